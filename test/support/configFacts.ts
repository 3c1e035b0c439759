/**
 * Parse-back: the facts a reviewer checks in a router config, read back from the rendered text of
 * each dialect by a small parser written for this test (independent of the templates), and the same
 * facts taken from the model. A test compares the two, so a template that drops a neighbor, a
 * prefix, a limit or a community, or wires a session to the wrong policy, fails.
 *
 * Per session: peer address and AS, max-prefix limit, GTSM, MD5, and, following the session's own
 * export and import policy by name: the prefixes it announces, the communities it adds, the
 * local-preference it sets on import. Per router: the addresses of its bundle interfaces.
 */
import type { Vendor } from "../../vendors";
import type { RouterPlan } from "../../plan/model";

export interface SessionFacts {
  peer: string;
  remoteAs: number;
  maxPrefix: number;
  gtsm: boolean;
  md5: boolean;
  announced: string[];
  exportCommunities: string[];
  importLocalPref: number | null;
}

export interface ConfigFacts {
  sessions: SessionFacts[];
  interfaceAddresses: string[];
}

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** What the model asks for. */
export function modelFacts(router: RouterPlan): ConfigFacts {
  return {
    sessions: router.sessions
      .map((s) => ({
        peer: s.peerAddress,
        remoteAs: s.peerAsn,
        maxPrefix: s.maxPrefix.limit,
        gtsm: s.gtsm,
        md5: s.md5KeySecret !== undefined,
        announced: sorted((s.afi === "ipv4" ? router.exports.ipv4 : router.exports.ipv6).map((p) => p.prefix)),
        exportCommunities: sorted(
          s.drain ? [router.exports.community, router.exports.gracefulShutdownCommunity] : [router.exports.community],
        ),
        importLocalPref: s.drain ? router.exports.gracefulShutdownLocalPref : null,
      }))
      .sort((a, b) => a.peer.localeCompare(b.peer)),
    interfaceAddresses: sorted(
      router.legs.flatMap((l) => [`${l.ipv4.sp}/${l.ipv4.prefixLength}`, `${l.ipv6.sp}/${l.ipv6.prefixLength}`]),
    ),
  };
}

/** What the config says, read by the parser of its dialect. */
export function configFacts(vendor: Vendor, text: string): ConfigFacts {
  const facts = PARSERS[vendor](text);
  return {
    sessions: facts.sessions.sort((a, b) => a.peer.localeCompare(b.peer)),
    interfaceAddresses: sorted(facts.interfaceAddresses),
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

// ---------------------------------------------------------------------------------------------
// FRR and EOS: line-based, route-maps with `set community … additive`, `match … prefix-list`

interface RouteMapFacts {
  prefixLists: string[];
  communities: string[];
  localPref: number | null;
}

function routeMaps(text: string, end: RegExp): Map<string, RouteMapFacts> {
  const maps = new Map<string, RouteMapFacts>();
  for (const { head, body } of blocks(text, /^route-map (\S+) (permit|deny) \d+$/, end)) {
    const facts = maps.get(head[1]) ?? { prefixLists: [], communities: [], localPref: null };
    if (head[2] === "permit") {
      for (const l of body) {
        const match = /^\s+match ipv?6? ?address prefix-list (\S+)$/.exec(l);
        if (match) facts.prefixLists.push(match[1]);
        const community = /^\s+set community (.+) additive$/.exec(l);
        if (community) facts.communities.push(...community[1].split(" "));
        const pref = /^\s+set local-preference (\d+)$/.exec(l);
        if (pref) facts.localPref = Number(pref[1]);
      }
    }
    maps.set(head[1], facts);
  }
  return maps;
}

function lineSessions(
  text: string,
  prefixLists: Map<string, string[]>,
  maps: Map<string, RouteMapFacts>,
  re: { remoteAs: RegExp; maxPrefix: RegExp; gtsm: RegExp; md5: RegExp; routeMap: RegExp },
): SessionFacts[] {
  return all(text, re.remoteAs).map((m) => {
    const peer = m[1];
    const of = (r: RegExp): RegExpMatchArray[] => all(text, r).filter((x) => x[1] === peer);
    const policy = (direction: string): RouteMapFacts => {
      const uses = of(re.routeMap).filter((x) => x[3] === direction);
      if (uses.length !== 1) throw new Error(`parse-back: ${peer} has ${uses.length} ${direction} route-maps`);
      const found = maps.get(uses[0][2]);
      if (!found) throw new Error(`parse-back: ${peer} uses route-map ${uses[0][2]}, which is not defined`);
      return found;
    };
    const out = policy("out");
    const maxPrefix = of(re.maxPrefix);
    if (maxPrefix.length !== 1) throw new Error(`parse-back: ${peer} has ${maxPrefix.length} max-prefix lines`);
    return {
      peer,
      remoteAs: Number(m[2]),
      maxPrefix: Number(maxPrefix[0][2]),
      gtsm: of(re.gtsm).length === 1,
      md5: of(re.md5).length === 1,
      announced: sorted(out.prefixLists.flatMap((l) => prefixLists.get(l) ?? [])),
      exportCommunities: sorted(out.communities),
      importLocalPref: policy("in").localPref,
    };
  });
}

function parseFrr(text: string): ConfigFacts {
  const prefixLists = new Map<string, string[]>();
  for (const m of all(text, /^ipv?6? ?prefix-list (\S+) seq \d+ permit (\S+)$/m))
    prefixLists.set(m[1], [...(prefixLists.get(m[1]) ?? []), m[2]]);
  return {
    sessions: lineSessions(text, prefixLists, routeMaps(text, /^exit$/), {
      remoteAs: /^ neighbor (\S+) remote-as (\d+)$/m,
      maxPrefix: /^  neighbor (\S+) maximum-prefix (\d+)/m,
      gtsm: /^ neighbor (\S+) ttl-security hops 1$/m,
      md5: /^ neighbor (\S+) password \S+$/m,
      routeMap: /^  neighbor (\S+) route-map (\S+) (in|out)$/m,
    }),
    interfaceAddresses: all(text, /^ ipv?6? address (\S+)$/m).map((m) => m[1]),
  };
}

function parseEos(text: string): ConfigFacts {
  const prefixLists = new Map<string, string[]>();
  for (const { head, body } of blocks(text, /^ipv?6? prefix-list (\S+)$/, /^!/)) {
    prefixLists.set(
      head[1],
      body.map((l) => /^   seq \d+ permit (\S+)$/.exec(l)?.[1]).filter((p): p is string => p !== undefined),
    );
  }
  return {
    sessions: lineSessions(text, prefixLists, routeMaps(text, /^!/), {
      remoteAs: /^   neighbor (\S+) remote-as (\d+)$/m,
      maxPrefix: /^   neighbor (\S+) maximum-routes (\d+)/m,
      gtsm: /^   neighbor (\S+) ttl maximum-hops 1$/m,
      md5: /^   neighbor (\S+) password 0 \S+$/m,
      routeMap: /^      neighbor (\S+) route-map (\S+) (in|out)$/m,
    }),
    interfaceAddresses: all(text, /^   ipv?6? address (\S+)$/m).map((m) => m[1]),
  };
}

// ---------------------------------------------------------------------------------------------
// IOS-XR: neighbor blocks, route-policies, prefix-sets and community-sets

function maskLength(mask: string): number {
  return mask.split(".").reduce((n, octet) => n + Number(octet).toString(2).replace(/0/g, "").length, 0);
}

function parseIosxr(text: string): ConfigFacts {
  const sets = new Map<string, string[]>();
  for (const { head, body } of blocks(text, /^(?:prefix-set|community-set) (\S+)$/, /^end-set$/)) {
    sets.set(
      head[1],
      body.filter((l) => !/^\s*#/.test(l)).map((l) => l.trim().replace(/,$/, "")),
    );
  }
  const policies = new Map<string, string[]>();
  for (const { head, body } of blocks(text, /^route-policy (\S+)$/, /^end-policy$/)) policies.set(head[1], body);
  const neighbors = blocks(text, /^ neighbor (\S+)$/, /^ !$/);
  return {
    sessions: neighbors.map(({ head, body }) => {
      const peer = head[1];
      const joined = body.join("\n");
      const policy = (direction: string): string[] => {
        const body = policies.get(
          one(joined, new RegExp(`^   route-policy (\\S+) ${direction}$`, "m"), `${direction} policy of ${peer}`)[1],
        );
        if (!body) throw new Error(`parse-back: ${peer} uses an undefined route-policy`);
        return body.map((l) => l.trim());
      };
      const out = policy("out");
      const pref = policy("in")
        .map((l) => /^set local-preference (\d+)$/.exec(l)?.[1])
        .find((x) => x !== undefined);
      return {
        peer,
        remoteAs: Number(one(joined, /^  remote-as (\d+)$/m, `remote-as of ${peer}`)[1]),
        maxPrefix: Number(one(joined, /^   maximum-prefix (\d+)/m, `maximum-prefix of ${peer}`)[1]),
        gtsm: /^  ttl-security$/m.test(joined),
        md5: /^  password clear \S+$/m.test(joined),
        announced: sorted(out.flatMap((l) => sets.get(/^if destination in (\S+) then$/.exec(l)?.[1] ?? "") ?? [])),
        exportCommunities: sorted(
          out.flatMap((l) => sets.get(/^set community (\S+) additive$/.exec(l)?.[1] ?? "") ?? []),
        ),
        importLocalPref: pref === undefined ? null : Number(pref),
      };
    }),
    interfaceAddresses: [
      ...all(text, /^ ipv4 address (\S+) (\S+)$/m).map((m) => `${m[1]}/${maskLength(m[2])}`),
      ...all(text, /^ ipv6 address (\S+)$/m).map((m) => m[1]),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// BIRD: protocol bgp blocks, filters, `define` sets

function parseBird(text: string): ConfigFacts {
  const sets = new Map<string, string[]>();
  for (const { head, body } of blocks(text, /^define (\S+) = \[$/, /^\];$/)) {
    sets.set(
      head[1],
      body.filter((l) => !/^\s*#/.test(l)).map((l) => l.trim().replace(/,$/, "")),
    );
  }
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
  return {
    sessions: blocks(text, /^protocol bgp (\S+) \{$/, /^\}$/).map(({ head, body }) => {
      const joined = body.join("\n");
      const neighbor = one(joined, /^  neighbor (\S+) as (\d+);$/m, `neighbor of ${head[1]}`);
      const out = filter(one(joined, /^    export filter (\S+);$/m, `export filter of ${head[1]}`)[1]);
      const pref = filter(one(joined, /^    import filter (\S+);$/m, `import filter of ${head[1]}`)[1])
        .map((l) => /^bgp_local_pref = (\d+);$/.exec(l)?.[1])
        .find((x) => x !== undefined);
      return {
        peer: neighbor[1],
        remoteAs: Number(neighbor[2]),
        maxPrefix: Number(one(joined, /^    import limit (\d+) action \S+;$/m, `import limit of ${head[1]}`)[1]),
        gtsm: /^  ttl security on;$/m.test(joined),
        md5: /^  password "[^"]+";$/m.test(joined),
        announced: sorted(out.flatMap((l) => sets.get(/^if net ~ (\S+) then \{$/.exec(l)?.[1] ?? "") ?? [])),
        exportCommunities: sorted(
          out
            .map((l) => /^bgp_community\.add\(\((\d+), (\d+)\)\);$/.exec(l))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m) => `${m[1]}:${m[2]}`),
        ),
        importLocalPref: pref === undefined ? null : Number(pref),
      };
    }),
    // BIRD does not configure interfaces: the config documents the OS's addresses in a comment.
    interfaceAddresses: all(text, /^#     address (\S+), (\S+)$/m).flatMap((m) => [m[1], m[2]]),
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

function parseJunos(text: string): ConfigFacts {
  const root = parseJunosTree(text);
  const policyOptions = descend(root, ["policy-options"]);
  const routeFilterLists = new Map<string, string[]>(
    descend(root, ["policy-options"], ["route-filter-list"]).map((n) => [
      n.words[1],
      n.children.map((c) => c.words[0]),
    ]),
  );
  const communities = new Map<string, string[]>(
    policyOptions.flatMap((p) => find(p, "community")).map((n) => [n.words[1], n.words.slice(3)]),
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
  const neighbors = descend(root, ["protocols"], ["bgp"], ["group", "*"], ["neighbor", "*"]);
  return {
    sessions: neighbors.map((n) => {
      const accepting = policy(word(n, "export")).children.filter(
        (t) => find(t, "then", "accept").length + descend(t, ["then"], ["accept"]).length > 0,
      );
      const imports = policy(word(n, "import"));
      const pref = descend(imports, ["term", "*"], ["then"], ["local-preference"]).map((x) => Number(x.words[1]));
      const limit = descend(n, ["family", "*"], ["unicast"], ["prefix-limit"], ["maximum"]);
      if (limit.length !== 1)
        throw new Error(`parse-back: neighbor ${n.words[1]} has ${limit.length} prefix-limit maximums`);
      return {
        peer: n.words[1],
        remoteAs: Number(word(n, "peer-as")),
        maxPrefix: Number(limit[0].words[1]),
        gtsm: find(n, "ttl", "255").length === 1,
        md5: find(n, "authentication-key").length === 1,
        announced: sorted(
          accepting.flatMap((t) =>
            descend(t, ["from"], ["route-filter-list"]).flatMap((r) => routeFilterLists.get(r.words[1]) ?? []),
          ),
        ),
        exportCommunities: sorted(
          accepting.flatMap((t) =>
            descend(t, ["then"], ["community", "add"]).flatMap((c) => communities.get(c.words[2]) ?? []),
          ),
        ),
        importLocalPref: pref.length === 0 ? null : pref[0],
      };
    }),
    interfaceAddresses: descend(root, ["interfaces"], ["*"], ["unit", "*"], ["family", "*"], ["address"]).map(
      (a) => a.words[1],
    ),
  };
}
