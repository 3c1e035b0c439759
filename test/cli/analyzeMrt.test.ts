/**
 * `npm run analyze -- --mrt <file>...`: the public view through the same report, JSON lines,
 * Prometheus text and exit codes as every other source; a truncated or malformed dump exits 64
 * naming the file and the byte.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { parseAnalyzeArgs, runAnalyze } from "../../cli/analyze";
import { CLEAN, ribDump, update, type Row } from "../support/mrtWorld";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pac-analyze-mrt-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function analyze(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAnalyze(["--stack", "lab", ...args], {}, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const HIJACK: Row[] = [[0, "198.51.100.0/24", "64510 64666"]];

describe("npm run analyze --mrt", () => {
  it("a clean public view: exit 0, the section says clean", async () => {
    const r = await analyze(["--mrt", write("clean.gz", zlib.gzipSync(ribDump(CLEAN)))]);
    expect(r.stdout).toContain("Public view (1 MRT dump, 9 routes from 3 collector peers): clean");
    expect(r.stderr).toContain("clean.gz: MRT (gzip), 6 records, 9 routes");
    expect(r.code).toBe(0);
  });

  it("a hijack and a leak over a RIB and an update dump: exit 2, the events in the table", async () => {
    const rib = write("rib.mrt", ribDump([...CLEAN, ...HIJACK]));
    const updates = write("updates.mrt", update(0, { announce: ["192.0.2.128/25", "64510 64666 64500 8075"] }));
    const r = await analyze(["--mrt", rib, updates]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("Public view (2 MRT dumps, 11 routes from 3 collector peers): 2 critical, 0 warnings");
    expect(r.stdout).toContain(
      [
        "  [critical] origin hijack 198.51.100.0/24 at collector peer 192.0.2.10 AS64510 path 64510 64666",
        "      seen:   collector peer 192.0.2.10 AS64510 has 198.51.100.0/24 with origin AS64666 (path 64510 64666), at 2023-11-14T22:13:20Z",
        "      intent: 198.51.100.0/24 is registered with origin AS64500 (stacks/lab/sp.yaml:48)",
        `      source: ${rib}`,
      ].join("\n"),
    );
    expect(r.stdout).toContain(
      "  [critical] route leak 192.0.2.128/25 at collector peer 192.0.2.10 AS64510 path 64510 64666 64500 8075",
    );
    expect(r.stdout).toContain("Events by kind: origin hijack 1, route leak 1");
  });

  it("a registered prefix no collector peer has: missing at every collector peer, exit 2", async () => {
    const r = await analyze([
      "--mrt",
      write("missing.mrt", ribDump(CLEAN.filter((row) => row[1] !== "198.51.100.0/24"))),
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      [
        "  [critical] missing announcement 198.51.100.0/24 at every collector peer",
        "      seen:   198.51.100.0/24 is in the table of no collector peer",
        "      intent: 198.51.100.0/24 (origin AS64500) is announced and reachable from the Internet (stacks/lab/sp.yaml:48)",
      ].join("\n"),
    );
  });

  it("--json and --prom carry the same events", async () => {
    const prom = path.join(dir, "pv.prom");
    const r = await analyze(["--mrt", write("h.mrt", ribDump([...CLEAN, ...HIJACK])), "--json", "--prom", prom]);
    const events = r.stdout
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; kind?: string; collectorPeer?: string })
      .filter((l) => l.type === "event");
    expect(events.map((e) => [e.kind, e.collectorPeer])).toEqual([["origin-hijack", "192.0.2.10 AS64510"]]);
    const text = fs.readFileSync(prom, "utf8");
    expect(text).toContain('pac_public_view_events{stack="lab",kind="origin-hijack",severity="critical"} 1');
    expect(text).toContain('pac_public_view_events{stack="lab",kind="route-leak",severity="critical"} 0');
    expect(r.code).toBe(2);
  });

  it("--upstream: our prefix handed to a network not listed is a leak", async () => {
    const file = write("up.mrt", ribDump(CLEAN));
    expect(
      (await analyze(["--mrt", file, "--upstream", "64510", "--upstream", "AS64511", "--upstream", "64499"])).code,
    ).toBe(0);
    const r = await analyze(["--mrt", file, "--upstream", "64510"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      "AS64499 receives 198.51.100.0/24 from AS64500, and is not one of its declared upstreams",
    );
  });

  it("a truncated dump: exit 64 naming the file and the byte", async () => {
    const whole = ribDump(CLEAN);
    const file = write("cut.mrt", whole.subarray(0, whole.length - 5));
    const r = await analyze(["--mrt", file]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(
      new RegExp(
        `analyze: ${file}: byte \\d+: the record at byte \\d+ says it is \\d+ bytes long, but the stream ends after \\d+: truncated\\. Fix: `,
      ),
    );
  });

  it("a malformed record: reported with its offset, the rest analyzed, exit 64", async () => {
    const bytes = Buffer.from(ribDump([...CLEAN, ...HIJACK]));
    // The first RIB record's prefix length (after the PEER_INDEX_TABLE, the header and the sequence number): 40.
    const at = bytes.readUInt32BE(8) + 12 + 12 + 4;
    bytes[at] = 40;
    const file = write("bad.mrt", bytes);
    const r = await analyze(["--mrt", file]);
    expect(r.stderr).toContain(
      `${file}: malformed record skipped: byte ${at}: the prefix has length 40, more than the 32 of IPv4`,
    );
    expect(r.stderr).toContain("analyze: 1 malformed MRT record skipped");
    expect(r.code).toBe(64);
  });

  it("--upstream without --mrt is a usage error", async () => {
    const r = await analyze(["--upstream", "64499", "--frr", "x=y.json"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(
      "analyze: --upstream applies to the public view. Fix: give the MRT dumps with --mrt <file>...",
    );
  });

  it("--mrt takes the dumps up to the next flag, short flags too", () => {
    expect(parseAnalyzeArgs(["--mrt", "a.mrt", "-s", "other"], {})).toMatchObject({ mrt: ["a.mrt"], stack: "other" });
    expect(parseAnalyzeArgs(["--mrt", "a.mrt", "b.mrt", "--stack", "other"], {})).toMatchObject({
      mrt: ["a.mrt", "b.mrt"],
      stack: "other",
    });
  });
});
