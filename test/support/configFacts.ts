/**
 * Parse-back: the facts a reviewer checks in a router config, read back from the rendered text of
 * each dialect by a small parser written for this test (independent of the templates), and the same
 * facts taken from the model. A test compares the two, so a template that drops a neighbor, a
 * prefix, a limit or a community, or wires a session to the wrong policy, fails.
 *
 * Per session: peer address and AS, max-prefix limit, GTSM, MD5, BFD and the bundle the session
 * runs over, and, following the session's own export and import policy by name: every prefix it
 * announces with the exact AS path it must arrive with (read back from the dialect's regular
 * expression or path mask) and the communities it then carries, and whether they are SET (every
 * other community removed) rather than added; the local-preference it sets on import. Per router:
 * the addresses of its bundle interfaces, its router-id (only where the inventory gives one), the
 * router-wide statements it renders, and for EOS the AS-path regex mode its lists are written in.
 */
import { Netmask } from "netmask";
import { Address6 } from "ip-address";
import type { Vendor } from "../../vendors";
import type { RouterPlan } from "../../plan/model";

export interface AnnouncedFact {
  prefix: string;
  /** The whole AS path the route must have before our ASN is prepended (empty: originated by us). */
  path: number[];
  communities: string[];
  /** The communities are set: anything else the route carried is removed. */
  replaces: boolean;
}

export interface SessionFacts {
  peer: string;
  remoteAs: number;
  maxPrefix: number;
  gtsm: boolean;
  md5: boolean;
  bfd: boolean;
  /** The bundle interface whose subnet holds the peer. */
  via: string | null;
  announced: AnnouncedFact[];
  importLocalPref: number | null;
}

export interface ConfigFacts {
  sessions: SessionFacts[];
  interfaceAddresses: string[];
  /** The rendered BGP router-id, or null when the config leaves it to the router. */
  routerId: string | null;
  /** Router-wide statements the config renders (each only because the inventory hands it over). */
  routerWide: string[];
  /** EOS: the regex mode its AS-path lists are written for ("asn" or "string"); null elsewhere. */
  asPathSyntax: "asn" | "string" | null;
}

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
const byPrefix = (a: AnnouncedFact, b: AnnouncedFact) => a.prefix.localeCompare(b.prefix);

/** The line-card location of an IOS-XR port, by this test's own reading of the name. */
function xrLocation(port: string): string {
  const [rack, slot] = port.replace(/^[A-Za-z]+/, "").split("/");
  return `${rack}/${slot}/CPU0`;
}

/** What the model asks for. */
export function modelFacts(router: RouterPlan): ConfigFacts {
  const routerWide: string[] = [];
  if (router.vendor === "iosxr" && router.routerWide.bfdMultipath)
    routerWide.push(
      ...sorted(new Set(router.legs.flatMap((l) => l.members.map((m) => xrLocation(m.interface))))).map(
        (l) => `bfd multipath include location ${l}`,
      ),
    );
  if (router.vendor === "eos" && router.routerWide.asPathRegexMode) routerWide.push("ip as-path regex-mode asn");
  if (router.vendor === "junos" && router.routerWide.aeDeviceCount !== undefined)
    routerWide.push(`device-count ${router.routerWide.aeDeviceCount}`);
  return {
    sessions: router.sessions
      .map((s) => ({
        peer: s.peerAddress,
        remoteAs: s.peerAsn,
        maxPrefix: s.maxPrefix.limit,
        gtsm: s.gtsm,
        md5: s.md5KeySecret !== undefined,
        bfd: true,
        via: router.legs.find((l) => l.id === `${s.metro}/${s.leg}`)?.interface ?? null,
        announced: (s.afi === "ipv4" ? router.exports.ipv4 : router.exports.ipv6)
          .map((p) => ({
            prefix: p.prefix,
            path: p.originAsn === router.asn ? [] : (p.asPath ?? [p.originAsn]),
            communities: sorted([
              router.exports.community,
              ...(p.communities ?? []),
              ...(s.drain ? [router.exports.gracefulShutdownCommunity] : []),
            ]),
            replaces: true,
          }))
          .sort(byPrefix),
        importLocalPref: s.drain ? router.exports.gracefulShutdownLocalPref : null,
      }))
      .sort((a, b) => a.peer.localeCompare(b.peer)),
    interfaceAddresses: sorted(
      router.legs.flatMap((l) => [`${l.ipv4.sp}/${l.ipv4.prefixLength}`, `${l.ipv6.sp}/${l.ipv6.prefixLength}`]),
    ),
    routerId: router.routerId ?? null,
    routerWide: sorted(routerWide),
    asPathSyntax: router.vendor === "eos" ? "asn" : null,
  };
}

/** What the config says, read by the parser of its dialect. */
export function configFacts(vendor: Vendor, text: string): ConfigFacts {
  const facts = PARSERS[vendor](text);
  return {
    sessions: facts.sessions
      .map((s) => ({ ...s, announced: [...s.announced].sort(byPrefix) }))
      .sort((a, b) => a.peer.localeCompare(b.peer)),
    interfaceAddresses: sorted(facts.interfaceAddresses),
    routerId: facts.routerId,
    routerWide: sorted(facts.routerWide),
    asPathSyntax: facts.asPathSyntax,
  };
}

const PARSERS: Record<Vendor, (text: string) => ConfigFacts> = {
  frr: parseFrr,
  bird: parseBird,
  iosxr: parseIosxr,
  junos: parseJunos,
  eos: parseEos,
};

function lines(text: string): string[] {
  return text.split("\n");
}

function all(text: string, re: RegExp): RegExpMatchArray[] {
  return [...text.matchAll(new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`))];
}

function one(text: string, re: RegExp, what: string): RegExpMatchArray {
  const found = all(text, re);
  if (found.length !== 1) throw new Error(`parse-back: expected exactly one ${what}, found ${found.length}`);
  return found[0];
}

function atMostOne(text: string, re: RegExp, what: string): string | null {
  const found = all(text, re);
  if (found.length > 1) throw new Error(`parse-back: expected at most one ${what}, found ${found.length}`);
  return found.length === 0 ? null : found[0][1];
}

/** Blocks that start at a line matching `start` and end before the next top-level line matching `end`. */
function blocks(text: string, start: RegExp, end: RegExp): Array<{ head: RegExpMatchArray; body: string[] }> {
  const out: Array<{ head: RegExpMatchArray; body: string[] }> = [];
  let current: { head: RegExpMatchArray; body: string[] } | undefined;
  for (const line of lines(text)) {
    const m = start.exec(line);
    if (m) {
      current = { head: m, body: [] };
      out.push(current);
    } else if (current && end.test(line)) {
      current = undefined;
    } else if (current) {
      current.body.push(line);
    }
  }
  return out;
}

/** Whether `address` lies in the subnet of the interface address `cidr` (`192.0.2.1/31`). */
function inSubnet(cidr: string, address: string): boolean {
  const [addr, len] = cidr.split("/");
  if (addr.includes(":") !== address.includes(":")) return false;
  if (!addr.includes(":")) return new Netmask(`${addr}/${len}`).contains(address);
  return new Address6(address).isInSubnet(new Address6(`${addr}/${len}`));
}

/** The interface (of `name → addresses`) whose subnet holds `peer`. */
function viaOf(interfaces: ReadonlyArray<[string, string[]]>, peer: string): string | null {
  const found = interfaces.filter(([, addresses]) => addresses.some((a) => inSubnet(a, peer)));
  if (found.length > 1) throw new Error(`parse-back: ${peer} lies in ${found.length} interfaces' subnets`);
  return found.length === 0 ? null : found[0][0];
}

/** An anchored Cisco-style regex of one exact AS path back to the path: `^$` → [], `^64502_64501$` → [64502, 64501]. */
function exactPathOfRegex(regex: string): number[] {
  const m = /^\^((?:\d+_)*\d+)?\$$/.exec(regex);
  if (!m) throw new Error(`parse-back: ${regex} is not an anchored regex of one exact AS path`);
  return m[1] === undefined ? [] : m[1].split("_").map(Number);
}

// ---------------------------------------------------------------------------------------------
// FRR and EOS: line-based route-maps; an export clause matches a prefix list AND an as-path list

interface RouteMapClause {
  action: string;
  prefixLists: string[];
  asPaths: string[];
  communities: string[];
  /** `set community …` without `additive`: the route leaves with exactly these. */
  replaces: boolean;
  localPref: number | null;
}

function routeMaps(text: string, end: RegExp): Map<string, RouteMapClause[]> {
  const maps = new Map<string, RouteMapClause[]>();
  for (const { head, body } of blocks(text, /^route-map (\S+) (permit|deny) \d+$/, end)) {
    const clause: RouteMapClause = {
      action: head[2],
      prefixLists: [],
      asPaths: [],
      communities: [],
      replaces: false,
      localPref: null,
    };
    for (const l of body) {
      const match = /^\s+match ipv?6? ?address prefix-list (\S+)$/.exec(l);
      if (match) clause.prefixLists.push(match[1]);
      const asPath = /^\s+match as-path (\S+)$/.exec(l);
      if (asPath) clause.asPaths.push(asPath[1]);
      const community = /^\s+set community (.+?)( additive)?$/.exec(l);
      if (community) {
        clause.communities.push(...community[1].split(" "));
        clause.replaces = community[2] === undefined;
      }
      const pref = /^\s+set local-preference (\d+)$/.exec(l);
      if (pref) clause.localPref = Number(pref[1]);
    }
    maps.set(head[1], [...(maps.get(head[1]) ?? []), clause]);
  }
  return maps;
}

/** What a session's export route-map announces: each permit clause's prefixes, with its exact path. */
function announcedBy(
  clauses: RouteMapClause[],
  prefixLists: Map<string, string[]>,
  asPathLists: Map<string, string[]>,
): AnnouncedFact[] {
  return clauses
    .filter((c) => c.action === "permit")
    .flatMap((c) => {
      if (c.prefixLists.length !== 1 || c.asPaths.length !== 1)
        throw new Error(`parse-back: an export clause must match one prefix list and one as-path list`);
      const regexes = asPathLists.get(c.asPaths[0]) ?? [];
      if (regexes.length !== 1)
        throw new Error(`parse-back: as-path list ${c.asPaths[0]} has ${regexes.length} entries`);
      const path = exactPathOfRegex(regexes[0]);
      return (prefixLists.get(c.prefixLists[0]) ?? []).map((prefix) => ({
        prefix,
        path,
        communities: sorted(c.communities),
        replaces: c.replaces,
      }));
    });
}

function lineSessions(
  text: string,
  lists: { prefix: Map<string, string[]>; asPath: Map<string, string[]> },
  maps: Map<string, RouteMapClause[]>,
  interfaces: ReadonlyArray<[string, string[]]>,
  re: { remoteAs: RegExp; maxPrefix: RegExp; gtsm: RegExp; md5: RegExp; bfd: RegExp; routeMap: RegExp },
): SessionFacts[] {
  return all(text, re.remoteAs).map((m) => {
    const peer = m[1];
    const of = (r: RegExp): RegExpMatchArray[] => all(text, r).filter((x) => x[1] === peer);
    const policy = (direction: string): RouteMapClause[] => {
      const uses = of(re.routeMap).filter((x) => x[3] === direction);
      if (uses.length !== 1) throw new Error(`parse-back: ${peer} has ${uses.length} ${direction} route-maps`);
      const found = maps.get(uses[0][2]);
      if (!found) throw new Error(`parse-back: ${peer} uses route-map ${uses[0][2]}, which is not defined`);
      return found;
    };
    const maxPrefix = of(re.maxPrefix);
    if (maxPrefix.length !== 1) throw new Error(`parse-back: ${peer} has ${maxPrefix.length} max-prefix lines`);
    return {
      peer,
      remoteAs: Number(m[2]),
      maxPrefix: Number(maxPrefix[0][2]),
      gtsm: of(re.gtsm).length === 1,
      md5: of(re.md5).length === 1,
      bfd: of(re.bfd).length === 1,
      via: viaOf(interfaces, peer),
      announced: announcedBy(policy("out"), lists.prefix, lists.asPath),
      importLocalPref: policy("in").find((c) => c.localPref !== null)?.localPref ?? null,
    };
  });
}

/** `interface X` blocks with their addresses. */
function interfaceBlocks(text: string, end: RegExp, address: RegExp): Array<[string, string[]]> {
  return blocks(text, /^interface (\S+)$/, end).map(({ head, body }) => [
    head[1],
    body.map((l) => address.exec(l)?.[1]).filter((a): a is string => a !== undefined),
  ]);
}

function parseFrr(text: string): ConfigFacts {
  const prefix = new Map<string, string[]>();
  for (const m of all(text, /^ipv?6? ?prefix-list (\S+) seq \d+ permit (\S+)$/m))
    prefix.set(m[1], [...(prefix.get(m[1]) ?? []), m[2]]);
  const asPath = new Map<string, string[]>();
  for (const m of all(text, /^bgp as-path access-list (\S+) seq \d+ permit (\S+)$/m))
    asPath.set(m[1], [...(asPath.get(m[1]) ?? []), m[2]]);
  const interfaces = interfaceBlocks(text, /^exit$/, /^ ipv?6? address (\S+)$/);
  return {
    sessions: lineSessions(text, { prefix, asPath }, routeMaps(text, /^exit$/), interfaces, {
      remoteAs: /^ neighbor (\S+) remote-as (\d+)$/m,
      maxPrefix: /^  neighbor (\S+) maximum-prefix (\d+)/m,
      gtsm: /^ neighbor (\S+) ttl-security hops 1$/m,
      md5: /^ neighbor (\S+) password \S+$/m,
      bfd: /^ neighbor (\S+) bfd profile \S+$/m,
      routeMap: /^  neighbor (\S+) route-map (\S+) (in|out)$/m,
    }),
    interfaceAddresses: interfaces.flatMap(([, a]) => a),
    routerId: atMostOne(text, /^ bgp router-id (\S+)$/m, "bgp router-id"),
    routerWide: [],
    asPathSyntax: null,
  };
}

/**
 * Which EOS regex mode an AS-path entry is written for: digit classes (`[0-9]`, `{2}`) only make
 * sense in string mode; a multi-digit range (`[64512-65534]`) only in asn mode.
 */
function eosSyntaxOf(regex: string): "asn" | "string" | null {
  if (/\[\d+-\d+\]/.test(regex) && /\[\d{2,}-|-\d{2,}\]/.test(regex)) return "asn";
  if (/\[\d-\d\]|\{\d+\}/.test(regex)) return "string";
  return null;
}

function parseEos(text: string): ConfigFacts {
  const prefix = new Map<string, string[]>();
  for (const { head, body } of blocks(text, /^ipv?6? prefix-list (\S+)$/, /^!/)) {
    prefix.set(
      head[1],
      body.map((l) => /^   seq \d+ permit (\S+)$/.exec(l)?.[1]).filter((p): p is string => p !== undefined),
    );
  }
  const asPath = new Map<string, string[]>();
  for (const m of all(text, /^ip as-path access-list (\S+) permit (\S+) any$/m))
    asPath.set(m[1], [...(asPath.get(m[1]) ?? []), m[2]]);
  const syntaxes = new Set(
    [...asPath.values()]
      .flat()
      .map(eosSyntaxOf)
      .filter((x) => x !== null),
  );
  if (syntaxes.size > 1) throw new Error("parse-back: EOS AS-path lists mix asn-mode and string-mode expressions");
  const interfaces = interfaceBlocks(text, /^!/, /^   ipv?6? address (\S+)$/);
  const bfdOn = interfaces.filter(([name]) =>
    blocks(text, new RegExp(`^interface ${name}$`), /^!/).some((b) => b.body.some((l) => /^   bfd interval /.test(l))),
  );
  const sessions = lineSessions(text, { prefix, asPath }, routeMaps(text, /^!/), interfaces, {
    remoteAs: /^   neighbor (\S+) remote-as (\d+)$/m,
    maxPrefix: /^   neighbor (\S+) maximum-routes (\d+)/m,
    gtsm: /^   neighbor (\S+) ttl maximum-hops 1$/m,
    md5: /^   neighbor (\S+) password 0 \S+$/m,
    bfd: /^   neighbor (\S+) bfd$/m,
    routeMap: /^      neighbor (\S+) route-map (\S+) (in|out)$/m,
  });
  return {
    // EOS runs BGP's BFD with the timers of the interface it leaves by: the bundle must have them.
    sessions: sessions.map((s) => ({ ...s, bfd: s.bfd && bfdOn.some(([name]) => name === s.via) })),
    interfaceAddresses: interfaces.flatMap(([, a]) => a),
    routerId: atMostOne(text, /^   router-id (\S+)$/m, "router-id"),
    routerWide: all(text, /^(ip as-path regex-mode \S+)$/m).map((m) => m[1]),
    asPathSyntax: syntaxes.size === 1 ? [...syntaxes][0] : null,
  };
}

// ---------------------------------------------------------------------------------------------
// IOS-XR: neighbor blocks, route-policies, prefix-sets, as-path-sets and community-sets

function maskLength(mask: string): number {
  return mask.split(".").reduce((n, octet) => n + Number(octet).toString(2).replace(/0/g, "").length, 0);
}

function parseIosxr(text: string): ConfigFacts {
  const sets = new Map<string, string[]>();
  for (const { head, body } of blocks(text, /^(?:prefix-set|community-set|as-path-set) (\S+)$/, /^end-set$/)) {
    sets.set(
      head[1],
      body.filter((l) => !/^\s*#/.test(l)).map((l) => l.trim().replace(/,$/, "")),
    );
  }
  const policies = new Map<string, string[]>();
  for (const { head, body } of blocks(text, /^route-policy (\S+)$/, /^end-policy$/))
    policies.set(
      head[1],
      body.map((l) => l.trim()),
    );
  const interfaces: Array<[string, string[]]> = blocks(text, /^interface (\S+)$/, /^!$/).map(({ head, body }) => [
    head[1],
    body
      .map((l) => {
        const v4 = /^ ipv4 address (\S+) (\S+)$/.exec(l);
        if (v4) return `${v4[1]}/${maskLength(v4[2])}`;
        return /^ ipv6 address (\S+)$/.exec(l)?.[1];
      })
      .filter((a): a is string => a !== undefined),
  ]);
  const neighbors = blocks(text, /^ neighbor (\S+)$/, /^ !$/);
  const announced = (policy: string[]): AnnouncedFact[] => {
    const out: AnnouncedFact[] = [];
    policy.forEach((l, i) => {
      const m = /^if destination in (\S+) and as-path in (\S+) then$/.exec(l);
      if (!m) return;
      const action = policy[i + 1];
      const set = /^set community (\S+)( additive)?$/.exec(action);
      if (!set || policy[i + 2] !== "done") throw new Error(`parse-back: export clause ${l} does not set and pass`);
      const regexes = (sets.get(m[2]) ?? []).map((e) => /^ios-regex '(.*)'$/.exec(e)?.[1]);
      if (regexes.length !== 1 || regexes[0] === undefined)
        throw new Error(`parse-back: as-path-set ${m[2]} is not one ios-regex`);
      const path = exactPathOfRegex(regexes[0]);
      for (const prefix of sets.get(m[1]) ?? [])
        out.push({ prefix, path, communities: sorted(sets.get(set[1]) ?? []), replaces: set[2] === undefined });
    });
    return out;
  };
  return {
    sessions: neighbors.map(({ head, body }) => {
      const peer = head[1];
      const joined = body.join("\n");
      const policy = (direction: string): string[] => {
        const found = policies.get(
          one(joined, new RegExp(`^   route-policy (\\S+) ${direction}$`, "m"), `${direction} policy of ${peer}`)[1],
        );
        if (!found) throw new Error(`parse-back: ${peer} uses an undefined route-policy`);
        return found;
      };
      const pref = policy("in")
        .map((l) => /^set local-preference (\d+)$/.exec(l)?.[1])
        .find((x) => x !== undefined);
      return {
        peer,
        remoteAs: Number(one(joined, /^  remote-as (\d+)$/m, `remote-as of ${peer}`)[1]),
        maxPrefix: Number(one(joined, /^   maximum-prefix (\d+)/m, `maximum-prefix of ${peer}`)[1]),
        gtsm: /^  ttl-security$/m.test(joined),
        md5: /^  password clear \S+$/m.test(joined),
        bfd: /^  bfd fast-detect$/m.test(joined),
        via: viaOf(interfaces, peer),
        announced: announced(policy("out")),
        importLocalPref: pref === undefined ? null : Number(pref),
      };
    }),
    interfaceAddresses: interfaces.flatMap(([, a]) => a),
    routerId: atMostOne(text, /^ bgp router-id (\S+)$/m, "bgp router-id"),
    routerWide: blocks(text, /^bfd$/, /^!$/).flatMap(({ body }) =>
      body
        .map((l) => /^ (multipath include location \S+)$/.exec(l)?.[1])
        .filter((x): x is string => x !== undefined)
        .map((x) => `bfd ${x}`),
    ),
    asPathSyntax: null,
  };
}

// ---------------------------------------------------------------------------------------------
// BIRD: protocol bgp blocks, filters, `define` sets and path masks

/** A BIRD path mask of one exact path back to the path: `[= =]` → [], `[= 64502 64501 =]` → [64502, 64501]. */
function exactPathOfMask(mask: string): number[] {
  const m = /^\[= ((?:\d+ )*)=\]$/.exec(mask);
  if (!m) throw new Error(`parse-back: ${mask} is not a path mask of one exact path`);
  return m[1].trim() === "" ? [] : m[1].trim().split(" ").map(Number);
}

function parseBird(text: string): ConfigFacts {
  const sets = new Map<string, string[]>();
  for (const { head, body } of blocks(text, /^define (\S+) = \[$/, /^\];$/)) {
    sets.set(
      head[1],
      body.filter((l) => !/^\s*#/.test(l)).map((l) => l.trim().replace(/,$/, "")),
    );
  }
  const masks = new Map<string, string>(all(text, /^define (\S+) = (\[=.*=\]);$/m).map((m) => [m[1], m[2]]));
  const filters = new Map<string, string[]>();
  for (const { head, body } of blocks(text, /^filter (\S+) \{$/, /^\}$/))
    filters.set(
      head[1],
      body.map((l) => l.trim()),
    );
  const filter = (name: string): string[] => {
    const body = filters.get(name);
    if (!body) throw new Error(`parse-back: undefined filter ${name}`);
    return body;
  };
  const announced = (body: string[]): AnnouncedFact[] => {
    const out: AnnouncedFact[] = [];
    body.forEach((l, i) => {
      const m = /^if net ~ (\S+) && bgp_path ~ (\S+) then \{$/.exec(l);
      if (!m) return;
      const mask = masks.get(m[2]);
      if (mask === undefined) throw new Error(`parse-back: undefined path mask ${m[2]}`);
      const block = body.slice(i + 1, body.indexOf("}", i));
      const communities = block
        .map((x) => /^bgp_community\.add\(\((\d+), (\d+)\)\);$/.exec(x))
        .filter((x): x is RegExpExecArray => x !== null)
        .map((x) => `${x[1]}:${x[2]}`);
      const replaces = [
        "bgp_community = -empty-;",
        "bgp_ext_community = --empty--;",
        "bgp_large_community = ---empty---;",
      ].every(
        (x) => block.indexOf(x) >= 0 && block.indexOf(x) < block.findIndex((y) => y.startsWith("bgp_community.add")),
      );
      for (const prefix of sets.get(m[1]) ?? [])
        out.push({ prefix, path: exactPathOfMask(mask), communities: sorted(communities), replaces });
    });
    return out;
  };
  // BIRD does not configure interfaces: the config documents the OS's bonds and addresses in comments.
  const interfaces: Array<[string, string[]]> = blocks(text, /^#   bond (\S+) to Microsoft/, /^#   bond |^$/).map(
    ({ head, body }) => [
      head[1],
      body.flatMap((l) => {
        const m = /^#     address (\S+), (\S+)$/.exec(l);
        return m ? [m[1], m[2]] : [];
      }),
    ],
  );
  const bfdInterfaces = all(text, /^  interface "(\S+)" \{$/m).map((m) => m[1]);
  return {
    sessions: blocks(text, /^protocol bgp (\S+) \{$/, /^\}$/).map(({ head, body }) => {
      const joined = body.join("\n");
      const neighbor = one(joined, /^  neighbor (\S+) as (\d+);$/m, `neighbor of ${head[1]}`);
      const pref = filter(one(joined, /^    import filter (\S+);$/m, `import filter of ${head[1]}`)[1])
        .map((l) => /^bgp_local_pref = (\d+);$/.exec(l)?.[1])
        .find((x) => x !== undefined);
      const via = viaOf(interfaces, neighbor[1]);
      return {
        peer: neighbor[1],
        remoteAs: Number(neighbor[2]),
        maxPrefix: Number(one(joined, /^    import limit (\d+) action \S+;$/m, `import limit of ${head[1]}`)[1]),
        gtsm: /^  ttl security on;$/m.test(joined),
        md5: /^  password "[^"]+";$/m.test(joined),
        // `bfd on` asks BIRD's BFD protocol, which must run on the session's interface.
        bfd: /^  bfd on;$/m.test(joined) && via !== null && bfdInterfaces.includes(via),
        via,
        announced: announced(filter(one(joined, /^    export filter (\S+);$/m, `export filter of ${head[1]}`)[1])),
        importLocalPref: pref === undefined ? null : Number(pref),
      };
    }),
    interfaceAddresses: interfaces.flatMap(([, a]) => a),
    routerId: atMostOne(text, /^router id (\S+);$/m, "router id"),
    routerWide: [],
    asPathSyntax: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Junos: a tokenizer and tree for the curly-brace hierarchy, then lookups by path

interface JunosNode {
  words: string[];
  children: JunosNode[];
}

export function parseJunosTree(text: string): JunosNode {
  const tokens = [...text.replace(/^\s*#.*$/gm, "").matchAll(/"([^"]*)"|([{};])|([^\s{};"]+)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
  const root: JunosNode = { words: [], children: [] };
  const stack: JunosNode[] = [root];
  let words: string[] = [];
  for (const t of tokens) {
    const top = stack[stack.length - 1];
    if (t === "{") {
      const node: JunosNode = { words, children: [] };
      top.children.push(node);
      stack.push(node);
      words = [];
    } else if (t === ";") {
      top.children.push({ words, children: [] });
      words = [];
    } else if (t === "}") {
      if (words.length > 0) throw new Error(`parse-back: Junos statement "${words.join(" ")}" is missing its ";"`);
      if (stack.length === 1) throw new Error("parse-back: Junos config has an unbalanced }");
      stack.pop();
    } else if (t === "replace:" && words.length === 0) {
      // `load replace` tag on the statement that follows: the tree is the same
      continue;
    } else {
      words.push(t);
    }
  }
  if (stack.length !== 1 || words.length > 0) throw new Error("parse-back: Junos config ends inside a block");
  return root;
}

/** Children whose first words are `path` (a `*` matches any one word). */
function find(node: JunosNode, ...path: string[]): JunosNode[] {
  return node.children.filter((c) => path.every((p, i) => p === "*" || c.words[i] === p));
}

function descend(node: JunosNode, ...paths: string[][]): JunosNode[] {
  return paths.reduce<JunosNode[]>((nodes, path) => nodes.flatMap((n) => find(n, ...path)), [node]);
}

/** A Junos AS-path expression of one exact path back to the path: `()` → [], `64502 64501` → [64502, 64501]. */
function exactPathOfJunos(regex: string): number[] {
  if (regex === "()") return [];
  if (!/^\d+( \d+)*$/.test(regex)) throw new Error(`parse-back: "${regex}" is not one exact Junos AS path`);
  return regex.split(" ").map(Number);
}

function parseJunos(text: string): ConfigFacts {
  const root = parseJunosTree(text);
  const policyOptions = descend(root, ["policy-options"]);
  const routeFilterLists = new Map<string, string[]>(
    descend(root, ["policy-options"], ["route-filter-list"]).map((n) => [
      n.words[1],
      n.children.map((c) => c.words[0]),
    ]),
  );
  const asPaths = new Map<string, string>(
    policyOptions.flatMap((p) => find(p, "as-path")).map((n) => [n.words[1], n.words[2]]),
  );
  // `community NAME members [ a b ];` → a, b
  const communities = new Map<string, string[]>(
    policyOptions
      .flatMap((p) => find(p, "community"))
      .map((n) => [n.words[1], n.words.slice(3).filter((w) => w !== "[" && w !== "]")]),
  );
  const policy = (name: string): JunosNode => {
    const found = descend(root, ["policy-options"], ["policy-statement", name]);
    if (found.length !== 1) throw new Error(`parse-back: policy-statement ${name} is defined ${found.length} times`);
    return found[0];
  };
  const word = (node: JunosNode, key: string): string => {
    const found = find(node, key);
    if (found.length !== 1) throw new Error(`parse-back: expected one "${key}" in ${node.words.join(" ")}`);
    return found[0].words[1];
  };
  const interfaces: Array<[string, string[]]> = descend(root, ["interfaces"], ["*"]).map((i) => [
    i.words[0],
    descend(i, ["unit", "*"], ["family", "*"], ["address"]).map((a) => a.words[1]),
  ]);
  const announced = (exportPolicy: JunosNode): AnnouncedFact[] =>
    exportPolicy.children
      .filter((t) => descend(t, ["then"], ["accept"]).length > 0)
      .flatMap((t) => {
        const lists = descend(t, ["from"], ["route-filter-list"]).map((r) => r.words[1]);
        const paths = descend(t, ["from"], ["as-path"]).map((r) => r.words[1]);
        if (lists.length !== 1 || paths.length !== 1)
          throw new Error(`parse-back: term ${t.words[1]} must match one route-filter-list and one as-path`);
        const set = descend(t, ["then"], ["community", "set"]);
        const added = descend(t, ["then"], ["community", "add"]);
        const regex = asPaths.get(paths[0]);
        if (regex === undefined) throw new Error(`parse-back: undefined as-path ${paths[0]}`);
        const values = [...set, ...added].flatMap((c) => communities.get(c.words[2]) ?? []);
        return (routeFilterLists.get(lists[0]) ?? []).map((prefix) => ({
          prefix,
          path: exactPathOfJunos(regex),
          communities: sorted(values),
          replaces: set.length === 1,
        }));
      });
  const neighbors = descend(root, ["protocols"], ["bgp"], ["group", "*"], ["neighbor", "*"]);
  const groupOf = (n: JunosNode) =>
    descend(root, ["protocols"], ["bgp"], ["group", "*"]).find((g) => g.children.includes(n));
  return {
    sessions: neighbors.map((n) => {
      const imports = policy(word(n, "import"));
      const pref = descend(imports, ["term", "*"], ["then"], ["local-preference"]).map((x) => Number(x.words[1]));
      const limit = descend(n, ["family", "*"], ["unicast"], ["prefix-limit"], ["maximum"]);
      if (limit.length !== 1)
        throw new Error(`parse-back: neighbor ${n.words[1]} has ${limit.length} prefix-limit maximums`);
      const group = groupOf(n);
      const bfd = group ? descend(group, ["bfd-liveness-detection"]) : [];
      // GTSM: sent with TTL 255 under `multihop`, whose BFD must then be kept single-hop on the link.
      const multihop = descend(n, ["multihop"], ["ttl", "255"]).length === 1;
      const singleHop = bfd.some((b) => find(b, "session-mode", "single-hop").length === 1);
      return {
        peer: n.words[1],
        remoteAs: Number(word(n, "peer-as")),
        maxPrefix: Number(limit[0].words[1]),
        gtsm: multihop && singleHop,
        md5: find(n, "authentication-key").length === 1,
        bfd: bfd.length === 1 && (!multihop || singleHop),
        via: viaOf(interfaces, n.words[1]),
        announced: announced(policy(word(n, "export"))),
        importLocalPref: pref.length === 0 ? null : pref[0],
      };
    }),
    interfaceAddresses: interfaces.flatMap(([, a]) => a),
    routerId: descend(root, ["routing-options"], ["router-id"]).map((r) => r.words[1])[0] ?? null,
    routerWide: descend(root, ["chassis"], ["aggregated-devices"], ["ethernet"], ["device-count"]).map(
      (d) => `device-count ${d.words[1]}`,
    ),
    asPathSyntax: null,
  };
}
