/**
 * The offline plan as an engineer runs it (`npm run plan -- --stack lab`), in a child process on a
 * copy of the lab stack: exit codes, what is printed, and that a bad inventory writes nothing.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../../load/files";
import { parseSnapshot } from "../../gitops/snapshot";
import { LAB_CONFIG_FILES, lineOf, PARIS } from "../support/stack";

function copyLab(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pac-plan-"));
  fs.mkdirSync(path.join(root, "stacks"));
  fs.cpSync(path.join(REPO_ROOT, "stacks", "lab"), path.join(root, "stacks", "lab"), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.lab.yaml"), path.join(root, "stacks", "Pulumi.lab.yaml"));
  fs.copyFileSync(
    path.join(REPO_ROOT, "stacks", "Pulumi.lab.policy.json"),
    path.join(root, "stacks", "Pulumi.lab.policy.json"),
  );
  return root;
}

function editFile(root: string, file: string, from: string, to: string): void {
  const p = path.join(root, "stacks", "lab", file);
  const text = fs.readFileSync(p, "utf8");
  if (!text.includes(from)) throw new Error(`test edit did not match in ${file}`);
  fs.writeFileSync(p, text.replace(from, to));
}

function plan(root: string, ...args: string[]) {
  const r = spawnSync(
    process.execPath,
    [
      // What `npm run plan` runs (package.json).
      path.join(REPO_ROOT, "scripts", "run-ts.js"),
      path.join(REPO_ROOT, "cli", "plan.ts"),
      "--stack",
      "lab",
      "--root",
      root,
      ...args,
    ],
    {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
const fresh = () => {
  const r = copyLab();
  roots.push(r);
  return r;
};

describe("npm run plan", () => {
  it("plans the lab stack: exit 0, six configs, nothing secret printed, lock untouched", () => {
    const root = fresh();
    const lockBefore = fs.readFileSync(path.join(root, "stacks/lab/allocations.lock.yaml"), "utf8");
    const r = plan(root, "--frozen-lock");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Offline plan of stack "lab": Example Networks Lab, AS64500');
    expect(r.stdout).toContain("3 metros, 6 legs, 6 routers, 12 BGP sessions to Microsoft AS8075");
    expect(r.stdout).toContain("secret:md5-fra-b");
    expect(r.stdout).not.toContain("lab-md5-key-not-secret");
    // What a platform cannot express, from its profile (vendors/<vendor>.ts), for the engineer to see.
    expect(r.stdout).toContain(
      "\n  lon-edge-1 (BIRD 2) london/a/ipv4: max-prefix has no warning threshold: BIRD logs only at the limit of 2000, not at 90%\n",
    );
    expect(r.stdout).toContain(
      "\n  fra-edge-1 (Juniper Junos) frankfurt/a/ipv6: GTSM: Junos sends with TTL 255 (multihop ttl 255, BFD kept single-hop) but has no BGP statement that checks the received TTL;",
    );
    const files = fs
      .readdirSync(path.join(root, "out/lab"), { recursive: true })
      .map(String)
      .filter((f) => f.includes("."))
      .sort();
    expect(files).toEqual(LAB_CONFIG_FILES);
    expect(fs.readFileSync(path.join(root, "stacks/lab/allocations.lock.yaml"), "utf8")).toBe(lockBefore);
  });

  it("rejects a typo'd field and a newline in a description with file:line and a fix, writing nothing", () => {
    const root = fresh();
    editFile(root, "metros/amsterdam.yaml", "    interface: bond-msft", "    interfase: bond-msft");
    editFile(
      root,
      "metros/frankfurt.yaml",
      "description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711",
      'description: "MAPS Frankfurt\\nneighbor 192.0.2.6 shutdown"',
    );
    const r = plan(root);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toEqual([
      "3 problems in the inventory; nothing was planned or written:",
      `  stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "- name: a")} legs[0].interface: is required but missing. Fix: add \`interface:\` here`,
      `  stacks/lab/metros/amsterdam.yaml:${lineOf("amsterdam.yaml", "interface: bond-msft")} legs[0].interfase: is not a known field. Fix: did you mean \`interface\`? (allowed here: name, router, interface, members, lacpRate, description, sessionPrefixes, md5, md5KeySecret, status, drain, maxPrefix)`,
      `  stacks/lab/metros/frankfurt.yaml:${lineOf("frankfurt.yaml", "description: MAPS Frankfurt")} legs[1].description: value "MAPS Frankfurt\\nneighbor 192.0.2.6 shutdo…" contains a newline, which is not allowed here. Fix: use at most 80 characters of letters, digits, spaces and . _ , : / ( ) + @ = - (no newlines, quotes, ; ! { } #), not starting or ending with a space`,
    ]);
    expect(fs.existsSync(path.join(root, "out"))).toBe(false);
  });

  it("rejects an overlapping pinned prefix, writing nothing, lock untouched", () => {
    const root = fresh();
    const lockBefore = fs.readFileSync(path.join(root, "stacks/lab/allocations.lock.yaml"), "utf8");
    editFile(root, "metros/london.yaml", "ipv4: 192.0.2.62/31", "ipv4: 192.0.2.0/31");
    const r = plan(root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `stacks/lab/metros/london.yaml:${lineOf("london.yaml", "ipv4: 192.0.2.62/31")} legs[1].sessionPrefixes.ipv4: 192.0.2.0/31 of london/b (pinned) overlaps 192.0.2.0/31 of amsterdam/a (stacks/lab/allocations.lock.yaml:${lineOf("allocations.lock.yaml", "amsterdam/a:")}). Fix: give every leg its own session prefix: remove the pin, or pin a free /31 or /127`,
    );
    expect(fs.existsSync(path.join(root, "out"))).toBe(false);
    expect(fs.readFileSync(path.join(root, "stacks/lab/allocations.lock.yaml"), "utf8")).toBe(lockBefore);
  });

  it("names a drained leg in the report and drains it in that router's config only", () => {
    const root = fresh();
    editFile(
      root,
      "metros/frankfurt.yaml",
      "    description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711\n",
      "    description: MAPS Frankfurt leg b via DE-CIX cross-connect XC-4711\n    drain: true\n",
    );
    const r = plan(root, "--frozen-lock");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "  DRAINED (RFC 8326 graceful shutdown: announced with 65535:0, learned at local-pref 0): leg b on fra-edge-2\n",
    );
    expect(r.stdout.match(/DRAINED/g)).toHaveLength(1);
    const drainedConfig = fs.readFileSync(path.join(root, "out/lab/frankfurt/fra-edge-2.conf"), "utf8");
    expect(drainedConfig).toContain("  neighbor 192.0.2.6 route-map MAPS-OUT-DRAIN-V4 out\n");
    expect(drainedConfig).toContain(" set community 8075:8007 65535:0\n");
    expect(fs.readFileSync(path.join(root, "out/lab/frankfurt/fra-edge-1.junos.conf"), "utf8")).not.toMatch(
      /DRAIN|65535:0/,
    );
  });

  it("with --frozen-lock refuses a new metro whose prefixes the lock does not hold yet; without it, records them", () => {
    const root = fresh();
    fs.copyFileSync(path.join(root, "stacks/lab/metros/london.yaml"), path.join(root, "stacks/lab/metros/paris.yaml"));
    editFile(root, "metros/paris.yaml", "peeringLocation: London", "peeringLocation: Paris");
    editFile(root, "metros/paris.yaml", "hostname: lon-edge-1", "hostname: par-edge-1");
    editFile(root, "metros/paris.yaml", "hostname: lon-edge-2", "hostname: par-edge-2");
    editFile(root, "metros/paris.yaml", "routerId: 10.64.0.5", "routerId: 10.64.0.7");
    editFile(root, "metros/paris.yaml", "routerId: 10.64.0.6", "routerId: 10.64.0.8");
    editFile(
      root,
      "metros/paris.yaml",
      "    sessionPrefixes:\n      ipv4: 192.0.2.62/31\n      ipv6: 2001:db8:ffff::fe/127\n",
      "",
    );
    const frozen = plan(root, "--frozen-lock");
    expect(frozen.code).toBe(1);
    // Named relative to --root, as every inventory problem is (not relative to the repository).
    expect(frozen.stderr).toMatch(
      /^stacks\/lab\/allocations\.lock\.yaml: the allocation lock is out of date \(ipv4 paris\/a 192\.0\.2\.10\/31;/,
    );
    expect(fs.existsSync(path.join(root, "out"))).toBe(false);
    const r = plan(root);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "allocations.lock.yaml updated: 4 new allocation(s) (ipv4 paris/a 192.0.2.10/31; ipv4 paris/b 192.0.2.12/31; ipv6 paris/a 2001:db8:ffff::a/127; ipv6 paris/b 2001:db8:ffff::c/127)",
    );
    expect(fs.readFileSync(path.join(root, "stacks/lab/allocations.lock.yaml"), "utf8")).toContain(
      "paris/b: 192.0.2.12/31",
    );
  });

  it("reports each metro's lifecycle state, each registration's home, and what waits for what", () => {
    const root = fresh();
    editFile(root, "metros/london.yaml", "status: active", "status: provisioning");
    editFile(root, "sp.yaml", "    registerAt: frankfurt\n", "    registerAt: london\n");
    const r = plan(root, "--frozen-lock");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    // Table columns are padded: compare with runs of spaces as one.
    const rows = (from: number, count: number) =>
      lines.slice(from, from + count).map((l) => l.trim().replace(/ {2,}/g, " | "));
    expect(lines).toContain(
      "Metro london: Azure peering location London, PeeringDB facility 45, region europe-west, provisioning: cross-connects wired to the LOA, router configs rendered; Microsoft validates the sessions",
    );
    const registrations = lines.indexOf(
      "Registrations (each once, on its home peering; announced at every metro; the prefix key serves every location):",
    );
    expect(rows(registrations + 1, 1).concat(rows(registrations + 3, 4))).toEqual([
      "registration | origin | home | state | protection | why",
      `198.51.100.0/24 | AS64500 | amsterdam | registered | protected | pinned home (stacks/lab/allocations.lock.yaml:${lineOf("allocations.lock.yaml", "198.51.100.0/24:")})`,
      "203.0.113.0/24 | AS64501 | frankfurt | registered | protected | stays at frankfurt until london (registerAt) is active",
      `2001:db8:1000::/48 | AS64500 | amsterdam | registered | protected | pinned home (stacks/lab/allocations.lock.yaml:${lineOf("allocations.lock.yaml", "2001:db8:1000::/48:")})`,
      `AS64501 | - | frankfurt | registered | protected | pinned home (stacks/lab/allocations.lock.yaml:${lineOf("allocations.lock.yaml", "AS64501:")})`,
    ]);
    const waiting = lines.indexOf("Waiting:");
    expect(rows(waiting + 1, 1).concat(rows(waiting + 3, 2))).toEqual([
      "what | waits for | next",
      "metro london (provisioning) | Microsoft to report the connections Active; no registration here until then | set status: active once Microsoft reports the connections Active",
      "",
    ]);
  });

  it("reports a move and how to pin the new home, and writes no new home into the lock", () => {
    const root = fresh();
    const lockBefore = fs.readFileSync(path.join(root, "stacks/lab/allocations.lock.yaml"), "utf8");
    editFile(root, "sp.yaml", "    registerAt: frankfurt\n", "    registerAt: london\n");
    const r = plan(root, "--frozen-lock");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "  MOVE 203.0.113.0/24: pulumi up deletes its registration at frankfurt, then registers it at london (unprotected while it moves; expect a new prefix key for customers). " +
        "After pulumi up, pin the new home: write `203.0.113.0/24: london` under registeredPrefixes in stacks/lab/allocations.lock.yaml.\n",
    );
    expect(fs.readFileSync(path.join(root, "stacks/lab/allocations.lock.yaml"), "utf8")).toBe(lockBefore);
  });
});

describe("npm run plan -- --json (the machine-readable plan npm run diff compares)", () => {
  const read = (file: string) => parseSnapshot(fs.readFileSync(file, "utf8"), file);

  it("writes resources, options, review configs and policy results, secrets redacted, and nothing else; the same bytes twice", () => {
    const root = fresh();
    // A new metro whose prefixes the lock does not hold: --json lists them and leaves the lock alone.
    fs.writeFileSync(path.join(root, "stacks/lab/metros/paris.yaml"), PARIS);
    const lockBefore = fs.readFileSync(path.join(root, "stacks/lab/allocations.lock.yaml"), "utf8");
    const file = path.join(root, "plan.json");
    const r = plan(root, "--json", file);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("");
    // Paris' 100G legs against the region's 200G: the equal-capacity policy fails it (see below).
    expect(r.code).toBe(1);
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("lab-md5-key-not-secret");
    const s = read(file);
    expect(s.stack).toBe("lab");
    expect(s.problems).toEqual([]);
    expect(s.sp).toEqual({ name: "Example Networks Lab", asn: 64500 });
    expect(s.resources.map((x) => `${x.type.split(":").pop()} ${x.name}`)).toEqual([
      "PeerAsn sp-as64500",
      "Peering sp-amsterdam-peering",
      "Peering sp-frankfurt-peering",
      "Peering sp-london-peering",
      "Peering sp-paris-peering",
      "RegisteredAsn sp-origin-as64501",
      "RegisteredPrefix sp-prefix-198-51-100-0-24",
      "RegisteredPrefix sp-prefix-2001-db8-1000-48",
      "RegisteredPrefix sp-prefix-203-0-113-0-24",
    ]);
    // Pulumi marks all of `direct` secret for one MD5 key: only the key is hidden, the connections stay comparable.
    const frankfurt = s.resources.find((x) => x.name === "sp-frankfurt-peering");
    const direct = frankfurt?.inputs.direct as { connections: Array<Record<string, unknown>> };
    expect(direct.connections[1].bandwidthInMbps).toBe(200000);
    expect(direct.connections[1].bgpSession).toMatchObject({
      md5AuthenticationKey: "REDACTED",
      sessionPrefixV4: "192.0.2.6/31",
    });
    expect(frankfurt?.options).toEqual({
      additionalSecretOutputs: ["direct"],
      deleteBeforeReplace: false,
      ignoreChanges: [],
      protect: true,
      retainOnDelete: false,
    });
    expect(Object.keys(s.configs)).toEqual([...LAB_CONFIG_FILES, "paris/par-edge-1.conf", "paris/par-edge-2.conf"]);
    expect(s.configs["frankfurt/fra-edge-2.conf"]).toContain("REDACTED");
    expect(s.metros.find((m) => m.id === "paris")?.legs[0]).toEqual({
      name: "a",
      status: "active",
      hostname: "par-edge-1",
      vendor: "frr",
      interface: "bond-msft",
      members: 1,
      portGbps: 100,
      bandwidthMbps: 100000,
      drain: false,
      ipv4: "192.0.2.10/31",
      ipv6: "2001:db8:ffff::a/127",
      config: "paris/par-edge-1.conf",
    });
    expect(s.newAllocations).toEqual([
      "ipv4 paris/a 192.0.2.10/31",
      "ipv4 paris/b 192.0.2.12/31",
      "ipv6 paris/a 2001:db8:ffff::a/127",
      "ipv6 paris/b 2001:db8:ffff::c/127",
    ]);
    expect(s.policies?.violations.map((v) => `${v.level} ${v.policy}`)).toContain("mandatory equal-capacity");
    expect(fs.existsSync(path.join(root, "out"))).toBe(false);
    expect(fs.readFileSync(path.join(root, "stacks/lab/allocations.lock.yaml"), "utf8")).toBe(lockBefore);
    const again = path.join(root, "again.json");
    plan(root, "--json", again);
    expect(fs.readFileSync(again, "utf8")).toBe(text);
  });

  it("writes the problems of a stack that cannot be planned, and exits 1", () => {
    const root = fresh();
    editFile(root, "metros/london.yaml", "ipv4: 192.0.2.62/31", "ipv4: 192.0.2.0/31");
    const file = path.join(root, "plan.json");
    const r = plan(root, "--json", file);
    expect(r.code).toBe(1);
    const s = read(file);
    expect(s.problems).toEqual([
      expect.stringMatching(
        /^stacks\/lab\/metros\/london\.yaml:\d+ legs\[1\]\.sessionPrefixes\.ipv4: 192\.0\.2\.0\/31 of london\/b \(pinned\) overlaps/,
      ),
    ]);
    expect(s.resources).toEqual([]);
    expect(s.policies).toBeUndefined();
  });
});
