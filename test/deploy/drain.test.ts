/**
 * Draining a leg before a change that affects its sessions (deploy/drain.ts): which changes count,
 * the stages a push runs, and the FRR and BIRD push scripts run for real by sh against stand-ins
 * for `vtysh` and `birdc` (the lab runs them against the real daemons).
 */
import { spawnSync } from "child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import {
  affectedSessions,
  drainedRouter,
  parsePrevious,
  pushPlan,
  sessionFacts,
  type PushRendering,
} from "../../deploy/drain";
import { healthExpectations } from "../../deploy/health";
import { REDACT_FUNCTION, routerCommands, sectionMarker, type PushPlatform } from "../../deploy/scripts";
import { DEFAULT_GATE } from "../../deploy/settings";
import type { RouterPlan } from "../../plan/model";
import { createRenderer, loadTemplateSources } from "../../render";
import { edit, labFiles, planOf } from "../support/stack";

const routerOf = (files = labFiles(), host = "ams-edge-1"): RouterPlan => {
  const r = planOf(files).routers.find((x) => x.hostname === host);
  if (!r) throw new Error(host);
  return r;
};
const noKeys = (name: string): string => {
  throw new Error(`no MD5 key ${name} in the lab`);
};
const facts = (r: RouterPlan) => sessionFacts(r, noKeys);

describe("sessionFacts", () => {
  it("names per session what can reset it, sorted, one line each", () => {
    expect(facts(routerOf()).split("\n")).toEqual([
      "amsterdam/a/ipv4 | local 192.0.2.1/31 AS64500 | peer 192.0.2.0 AS8075 | md5 none | gtsm on | bfd 200x3 | max-prefix 2000 restart | interface bond-msft[ens1f0@100G,ens1f1@100G] lacp fast",
      "amsterdam/a/ipv6 | local 2001:db8:ffff::1/127 AS64500 | peer 2001:db8:ffff:: AS8075 | md5 none | gtsm on | bfd 200x3 | max-prefix 500 restart | interface bond-msft[ens1f0@100G,ens1f1@100G] lacp fast",
      "",
    ]);
  });

  it("shows an MD5 key only as a digest, and a new key as a change", () => {
    const r = routerOf();
    const keyed = { ...r, sessions: r.sessions.map((s) => ({ ...s, md5KeySecret: "amsKey" })) };
    const one = sessionFacts(keyed, () => "first-key");
    const two = sessionFacts(keyed, () => "second-key");
    expect(one).not.toContain("first-key");
    expect(one).toMatch(/md5 sha256:[0-9a-f]{16} /);
    expect(affectedSessions(one, two)).toEqual(["amsterdam/a/ipv4: md5 changed", "amsterdam/a/ipv6: md5 changed"]);
  });

  it("does not change with the policy, the description or the drain itself", () => {
    const r = routerOf();
    const policy = routerOf(
      edit(labFiles(), "sp.yaml", "description: Example Networks customers, Europe", "description: Europe"),
    );
    expect(facts(drainedRouter(r))).toBe(facts(r));
    expect(facts(policy)).toBe(facts(r));
  });
});

describe("affectedSessions", () => {
  const before = facts(routerOf());
  it("names each session whose facts change, and what changed", () => {
    const bfd = facts(routerOf(edit(labFiles(), "sp.yaml", "intervalMs: 200", "intervalMs: 300")));
    expect(affectedSessions(before, bfd)).toEqual(["amsterdam/a/ipv4: bfd changed", "amsterdam/a/ipv6: bfd changed"]);
  });

  it("counts a removed session, not an added one (an added one carries no traffic yet)", () => {
    const [v4, v6] = before.split("\n");
    expect(affectedSessions(`${v4}\n${v6}\n`, `${v4}\n`)).toEqual(["amsterdam/a/ipv6: removed"]);
    expect(affectedSessions(`${v4}\n`, `${v4}\n${v6}\n`)).toEqual([]);
  });
});

describe("pushPlan", () => {
  const next: PushRendering = { text: "next\n", drained: "next drained\n", sessions: "s | peer 2\n" };
  const kept = { text: "prev\n", drained: "prev drained\n", sessions: "s | peer 1\n" };

  it("drains, changes drained, then undrains when a session changes", () => {
    const plan = pushPlan(kept, next, 60);
    expect(plan.stages).toEqual([
      { name: "drain", from: "prev\n", to: "prev drained\n" },
      { name: "change", from: "prev drained\n", to: "next drained\n" },
      { name: "undrain", from: "next drained\n", to: "next\n" },
    ]);
    expect(plan.affected).toEqual(["s: peer changed"]);
  });

  it("applies in one step when only the policy changes, on a first push, or with drainSeconds 0", () => {
    const one = (p: ReturnType<typeof pushPlan>) => p.stages.map((s) => [s.name, s.from, s.to]);
    expect(one(pushPlan({ ...kept, sessions: "s | peer 2\n" }, next, 60))).toEqual([["change", "prev\n", "next\n"]]);
    expect(one(pushPlan({ text: "" }, next, 60))).toEqual([["change", "", "next\n"]]);
    const off = pushPlan(kept, next, 0);
    expect(one(off)).toEqual([["change", "prev\n", "next\n"]]);
    expect(off.note).toBe("drainSeconds is 0: a change that affects the sessions is not drained");
  });

  it("says so when the router kept nothing to decide with (pushed by an older version)", () => {
    const p = pushPlan({ text: "prev\n" }, next, 60);
    expect(p.stages).toHaveLength(1);
    expect(p.note).toMatch(/^not drained: the router keeps no session facts/);
  });

  it("skips the drain of a leg already drained, and keeps a leg the inventory drains drained", () => {
    const drainedBefore = pushPlan({ ...kept, drained: "prev\n" }, next, 60);
    expect(drainedBefore.stages.map((s) => s.name)).toEqual(["change", "undrain"]);
    const staysDrained = pushPlan(kept, { ...next, text: "next drained\n" }, 60);
    expect(staysDrained.stages.map((s) => s.name)).toEqual(["drain", "change"]);
  });

  it("reads back what readPrevious printed", () => {
    const m = (s: string) => sectionMarker("frr", s);
    expect(parsePrevious(`prev\n${m("drained")}\nprev drained\n${m("sessions")}\ns | peer 1\n`, m)).toEqual(kept);
    expect(parsePrevious("prev\n", m)).toEqual({ text: "prev\n" });
  });
});

describe("the drained rendering", () => {
  it("is the router's rendering with every session on the drain policies (RFC 8326)", () => {
    const renderer = createRenderer(loadTemplateSources());
    const r = routerOf();
    const normal = renderer.render(r, noKeys).text;
    const drained = renderer.render(drainedRouter(r), noKeys).text;
    expect(normal).not.toContain("MAPS-IN-DRAIN-V4");
    expect(drained).toContain("neighbor 192.0.2.0 route-map MAPS-IN-DRAIN-V4 in");
    expect(drained).toContain("neighbor 2001:db8:ffff:: route-map MAPS-OUT-DRAIN-V6 out");
    expect(drained).toContain("65535:0");
  });
});

/**
 * The FRR and BIRD push scripts run by sh, with `vtysh` or `birdc` a stand-in that keeps what was
 * applied and reports the sessions healthy unless the running config holds the word BREAK.
 */
describe("the FRR and BIRD pushes, drained, against stand-ins for the daemons", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pac-drain-"));
    mkdirSync(join(dir, "bin"));
    mkdirSync(join(dir, "state"));
  });
  afterEach(() => {
    // Every push disarmed its rollback timer: none is left to roll a confirmed change back later
    // (dash's `kill` once refused `-TERM --`, which left them all running).
    const timers = spawnSync("pgrep", ["-f", `sleep 60; vtysh -f ${dir}|sleep 65; cp ${dir}`], { encoding: "utf8" });
    spawnSync("pkill", ["-f", `sleep 6[05]; (vtysh -f|cp) ${dir}`]);
    rmSync(dir, { recursive: true, force: true });
    expect(timers.stdout).toBe("");
  });

  const stub = (name: string, body: string) => {
    writeFileSync(join(dir, "bin", name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, "bin", name), 0o755);
  };

  const setUp = (platform: PushPlatform) => {
    const r = routerOf();
    const expected = healthExpectations(r, DEFAULT_GATE);
    const sent = Object.fromEntries(expected.map((e) => [e.peer, e.sent]));
    const healthy = `! grep -qx BREAK "$RUNNING" 2>/dev/null`;
    if (platform === "frr") {
      stub(
        "vtysh",
        `if [ "$1" = -f ]; then
  if grep -qx REFUSE "$2"; then echo "line 2: % Unknown command[4]: $(grep -m 1 password "$2")"; exit 2; fi
  printf '== apply: %s\\n' "$(grep -m 1 '^! ' "$2")" >> "$LOG"; cat "$2" > "$RUNNING"; exit 0
fi
case "$2" in
  "show bfd peers json") printf '[%s]' "$(for p in ${Object.keys(sent).join(" ")}; do printf '{"peer":"%s","status":"up"},' $p; done | sed 's/,$//')";;
  "show bgp neighbors "*) ip=$(echo "$2" | cut -d' ' -f4)
    if ${healthy}; then st=Established; else st=Active; fi
    case "$ip" in ${Object.entries(sent)
      .map(([p, n]) => `${p}) n=${n};;`)
      .join(" ")} esac
    printf '{"%s":{"bgpState":"%s","acceptedPrefixCounter":5,"sentPrefixCounter":%s}}' "$ip" "$st" "$n";;
esac`,
      );
    } else {
      stub(
        "birdc",
        `case "$*" in
  "configure check") echo "Configuration OK";;
  "configure timeout"*) printf '== configure timeout: %s\\n' "$(head -n 1 "$RUNNING")" >> "$LOG"; echo "Reconfigured";;
  "configure confirm") echo "== confirm" >> "$LOG"; echo "Reconfiguration confirmed";;
  "configure") printf '== configure: %s\\n' "$(head -n 1 "$RUNNING")" >> "$LOG"; echo "Reconfigured";;
  "show bfd sessions") for p in ${Object.keys(sent).join(" ")}; do echo "$p bond-msft Up 10:00:00 0.200 0.200"; done;;
  "show protocols all"*) if ${healthy}; then echo "  BGP state:          Established"; else echo "  BGP state:          Active"; fi
    case "$4" in ${expected.map((e) => `${e.birdProtocol}) n=${e.sent};;`).join(" ")} esac
    echo "    Routes:         5 imported, $n exported, 5 preferred";;
esac`,
      );
    }
    const target = {
      hostname: r.hostname,
      host: "127.0.0.1",
      port: 22,
      user: "maps-deploy",
      privateKeySecret: "deploySshPrivateKey",
      stateDir: join(dir, "state"),
      birdFile: join(dir, "bird.conf"),
    };
    const cmds = routerCommands(
      r,
      target,
      { gate: { ...DEFAULT_GATE, timeoutSeconds: 2, holdSeconds: 0 }, confirmSeconds: 60, drainSeconds: 1 },
      platform,
    );
    const env = {
      PATH: `${join(dir, "bin")}:${process.env.PATH}`,
      LOG: join(dir, "log"),
      RUNNING: platform === "frr" ? join(dir, "running") : target.birdFile,
    };
    const sh = (script: string, input = "") => {
      const out = spawnSync("sh", ["-c", script], { encoding: "utf8", input, env });
      return { status: out.status, stdout: out.stdout, stderr: out.stderr };
    };
    const log = () => (existsSync(env.LOG) ? readFileSync(env.LOG, "utf8") : "");
    /** Reads what the router kept, then pushes `next`, as the RouterConfig's two commands do. */
    const push = (next: PushRendering) => sh(cmds.push, cmds.pushInput(sh(cmds.readPrevious).stdout, next));
    return { push, log, state: (f: string) => readFileSync(join(dir, "state", `${r.hostname}.${f}`), "utf8") };
  };

  const rendering = (platform: PushPlatform, name: string, sessions: string, extra = ""): PushRendering => {
    const c = platform === "frr" ? "!" : "#";
    return {
      text: `${c} ${name}\n${extra}`,
      drained: `${c} ${name} drained\n${extra}`,
      sessions,
    };
  };
  const applied = (log: string) =>
    [...log.matchAll(/^== (?:apply|configure timeout|configure): [!#] (.*)$/gm)].map((m) => m[1]);

  it.each(["frr", "bird"] as const)(
    "%s: a session change is drained first, then undrained, and the three are kept",
    (platform) => {
      const { push, log, state } = setUp(platform);
      expect(push(rendering(platform, "v1", "s | peer 1\n")).status).toBe(0);
      const policyOnly = push(rendering(platform, "v2", "s | peer 1\n"));
      expect(policyOnly.stdout).toContain("no session changes: applied in one step, not drained");
      const r = push(rendering(platform, "v3", "s | peer 2\n"));
      expect(r.stdout).toContain(
        "the change affects 1 session(s): drained first (RFC 8326), drain, then change, then undrain",
      );
      expect(r.stdout).toContain("s: peer changed");
      expect(r.stdout).toContain("drained (RFC 8326): 1 s for traffic to leave this leg before the change");
      expect(r.stdout).toMatch(/confirmed\n$/);
      expect(r.status).toBe(0);
      expect(applied(log())).toEqual(["v1", "v2", "v2 drained", "v3 drained", "v3"]);
      if (platform === "frr") expect(state("conf")).toBe("! v3\n");
      expect(state("drained.conf")).toBe(`${platform === "frr" ? "!" : "#"} v3 drained\n`);
      expect(state("sessions.conf")).toBe("s | peer 2\n");
    },
  );

  it.each(["frr", "bird"] as const)(
    "%s: a change that breaks the session is rolled back to the previous rendering, undrained",
    (platform) => {
      const { push, log, state } = setUp(platform);
      expect(push(rendering(platform, "v1", "s | peer 1\n")).status).toBe(0);
      const r = push({
        ...rendering(platform, "v2", "s | peer 2\n"),
        drained: `${platform === "frr" ? "!" : "#"} v2 drained\nBREAK\n`,
      });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("NOT HEALTHY after 2 s:");
      expect(r.stdout).toMatch(/rolled back: healthy again\n$/);
      expect(applied(log()).slice(1)).toEqual(["v1 drained", "v2 drained", "v1"]);
      // What the router keeps is still the previous push's: the next push starts from it.
      expect(state("sessions.conf")).toBe("s | peer 1\n");
    },
  );

  it("frr: a line the router refuses reaches stderr without its key", () => {
    const { push } = setUp("frr");
    expect(push(rendering("frr", "v1", "s | peer 1\n")).status).toBe(0);
    const r = push(rendering("frr", "v2", "s | peer 1\n", " neighbor 192.0.2.0 password s3cr3t-key\nREFUSE\n"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("neighbor 192.0.2.0 password <redacted>");
    expect(r.stderr + r.stdout).not.toContain("s3cr3t-key");
  });
});

describe("redact, the filter of what routers print back", () => {
  it.each([
    [" neighbor 192.0.2.0 password s3cr3t", " neighbor 192.0.2.0 password <redacted>"],
    ['    password "s3cr3t";', "    password <redacted>;"],
    ['authentication-key "$9$s3cr3t"; ## SECRET-DATA', "authentication-key <redacted>; ## SECRET-DATA"],
    [" password clear s3cr3t", " password clear <redacted>"],
    ["   neighbor 192.0.2.0 password 7 0822455D0A16", "   neighbor 192.0.2.0 password 7 <redacted>"],
    ["% Invalid input detected at '^' marker.", "% Invalid input detected at '^' marker."],
  ])("%s", (line, redacted) => {
    const r = spawnSync("sh", ["-c", `${REDACT_FUNCTION}\nredact`], { input: `${line}\n`, encoding: "utf8" });
    expect(r.stdout).toBe(`${redacted}\n`);
  });
});
