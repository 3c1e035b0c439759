"""Renders FRR configs with Jinja2 from the same per-router models as our Handlebars renderer.

`npm run bench` compares rendering speed: it writes the models (each RouterPlan with its policy
model, as JSON) to a file and runs this script with Debian's python3 and python3-jinja2. The
templates in bench/jinja2/frr/ mirror templates/frr/*.hbs include for partial, and the filters
below port the helpers they use (render/helpers.ts, vendors/ciscoStyle.ts) line for line, so the
texts must come out byte-identical: the script prints each text's SHA-256 for the bench to check.

Timing covers the model (already parsed from JSON) to the normalised text, in CPU time
(time.process_time), as our side does; template compilation and one warm-up round are done before
any round is timed, and process start-up is outside the timed section.

Usage: render.py <models.json>. It prints one line of JSON after the warm-up (versions, bytes and
each text's SHA-256), then renders every router once per line it reads on stdin and prints that
round's milliseconds (`{"ms": …}`), until stdin ends: the bench takes turns with it, round by
round, so that both engines are timed under the same load.
"""

import hashlib
import json
import os
import re
import sys
import time

import jinja2

COMMUNITY_NAMES = {
    "as-path-reject": "MAPS-AS-PATH-REJECT",
    "as-path-bogons": "MAPS-AS-PATH-BOGONS",
    "community": "MAPS-PEERING-SERVICE",
    "graceful-shutdown": "MAPS-GRACEFUL-SHUTDOWN",
    "bfd": "MAPS-BFD",
}
PER_FAMILY = {"in", "out", "bogons", "default", "sp-own", "too-long", "announce", "in-drain", "out-drain"}


def afi_suffix(afi):
    return "V4" if afi == "ipv4" else "V6"


def policy_name(kind, afi=None):
    fixed = COMMUNITY_NAMES.get(kind)
    if fixed is not None:
        if afi is not None:
            raise ValueError(f'policyName: "{kind}" is the same for both address families')
        return fixed
    if kind not in PER_FAMILY:
        raise ValueError(f'helper policyName: unknown policy kind "{kind}"')
    if afi is None:
        raise ValueError(f'policyName: "{kind}" needs an address family')
    return f"MAPS-{kind.upper()}-{afi_suffix(afi)}"


def session_policy(session, direction):
    if direction not in ("in", "out"):
        raise ValueError(f"helper sessionPolicy: expected in or out, got {direction!r}")
    return policy_name(f"{direction}-drain" if session["drain"] else direction, session["afi"])


def seq(index, step=10):
    if not isinstance(index, int) or index < 0:
        raise ValueError(f"seq: index must be a non-negative integer, got {index}")
    return (index + 1) * step


def asn_label(asn):
    if not isinstance(asn, int) or asn < 0 or asn > 4294967295:
        raise ValueError(f"asnLabel: invalid ASN {asn}")
    return f"AS{asn}"


def cidr(address, length):
    if "/" in address:
        raise ValueError(f'cidr: "{address}" already has a prefix length')
    return f"{address}/{length}"


def bandwidth_label(mbps):
    if mbps < 0:
        raise ValueError(f"bandwidthLabel: invalid bandwidth {mbps}")
    return f"{mbps // 1000} Gbit/s" if mbps >= 1000 and mbps % 1000 == 0 else f"{mbps} Mbit/s"


def truthy(value):
    return len(value) > 0 if isinstance(value, list) else bool(value)


def ip_keyword(afi):
    if afi not in ("ipv4", "ipv6"):
        raise ValueError(f"ipKeyword: {afi!r}")
    return "ip" if afi == "ipv4" else "ipv6"


def max_prefix_args(m):
    base = f'{m["limit"]} {m["warningPercent"]}'
    if m["action"] == "shutdown":
        return base
    if m["action"] == "restart":
        return f'{base} restart {m["restartMinutes"]}'
    if m["action"] == "warning-only":
        return f"{base} warning-only"
    raise ValueError(f'maxPrefixArgs: unknown action {m["action"]!r}')


def check_asn_range(r):
    for n in r:
        if not isinstance(n, int) or n < 0 or n > 4294967295:
            raise ValueError(f"ASN range: invalid ASN {n}")
    if r[0] > r[1]:
        raise ValueError(f"ASN range: {r[0]} is above {r[1]}")


def range_stops(lo, hi):
    stops = {hi}
    nines = 1
    while True:
        stop = int(str(lo)[:-nines] + "9" * nines)
        if not (lo <= stop <= hi):
            break
        if nines >= len(str(lo)) or lo % 10**nines != 0:
            stops.add(stop)
        nines += 1
    zeros = 1
    while True:
        stop = (hi + 1) // 10**zeros * 10**zeros - 1
        if not (lo < stop <= hi):
            break
        stops.add(stop)
        zeros += 1
    return sorted(stops)


def digit_pattern(start, stop):
    if len(start) != len(stop):
        raise ValueError(f"numberRangeRegex: internal error {start}..{stop}")
    pattern = ""
    any_digits = 0
    for a, b in zip(start, stop):
        if a == b:
            pattern += a
        elif a != "0" or b != "9":
            pattern += f"[{a}-{b}]"
        else:
            any_digits += 1
    if any_digits == 1:
        pattern += "[0-9]"
    elif any_digits > 1:
        pattern += f"[0-9]{{{any_digits}}}"
    return pattern


def number_range_regex(lo, hi):
    check_asn_range([lo, hi])
    parts = []
    start = lo
    for stop in range_stops(lo, hi):
        parts.append(digit_pattern(str(start), str(stop)))
        start = stop + 1
    return "|".join(parts)


def as_path_entry(r):
    body = number_range_regex(r[0], r[1])
    return f"_({body})_" if "|" in body else f"_{body}_"


TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)
BLANK_RUNS = re.compile(r"\n{3,}")


def exact_as_path(asns):
    """As vendors/ciscoStyle.ts exactAsPathRegex: `[]` → `^$`, `[64502, 64501]` → `^64502_64501$`."""
    for a in asns:
        check_asn_range([a, a])
    return "^" + "_".join(str(a) for a in asns) + "$"


def normalise(text):
    """As render/render.ts normaliseConfigText: no trailing spaces, no blank runs, one final newline."""
    body = BLANK_RUNS.sub("\n\n", TRAILING_SPACE.sub("", text)).strip("\n")
    return body + "\n"


def environment(template_dir):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters.update(
        policy_name=policy_name,
        session_policy=session_policy,
        seq=seq,
        asn_label=asn_label,
        cidr=cidr,
        bandwidth_label=bandwidth_label,
        truthy=truthy,
        ip_keyword=ip_keyword,
        max_prefix_args=max_prefix_args,
        as_path_entry=as_path_entry,
        exact_as_path=exact_as_path,
    )
    return env


def main():
    models_file = sys.argv[1]
    with open(models_file, encoding="utf-8") as f:
        data = json.load(f)
    env = environment(os.path.join(os.path.dirname(os.path.abspath(__file__))))
    template = env.get_template("frr/router.j2")
    secrets = data["secrets"]
    env.filters["secret"] = lambda name: secrets[name]
    models = data["models"]

    def render_all():
        return [normalise(template.render(m, comment_char=data["commentChar"])) for m in models]

    texts = render_all()  # warm-up: every template compiled and every include loaded
    print(
        json.dumps(
            {
                "jinja2": jinja2.__version__,
                "python": sys.version.split()[0],
                "bytes": sum(len(t) for t in texts),
                "sha256": [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts],
            }
        ),
        flush=True,
    )
    for _ in sys.stdin:
        started = time.process_time()
        render_all()
        print(json.dumps({"ms": (time.process_time() - started) * 1000}), flush=True)


if __name__ == "__main__":
    main()
