/**
 * `npm run bench:mrt`: the MRT reader on a synthetic full table. Writes (once, cached in the OS temp
 * directory) a TABLE_DUMP_V2 dump of 1,000,000 IPv4 and 200,000 IPv6 prefixes seen by 2 peers each
 * (about 140 MB, the size of a RouteViews or RIS full-table RIB), and a tenth of it; then reads each
 * in a fresh Node.js process per run, so every run's peak memory (max RSS) is its own:
 * - `parse`: records to routes, nothing kept;
 * - `public view`: the same, every route judged against the lab stack's intent.
 * Reports MB/s and peak RSS as median and min-max over the runs. The two sizes' peaks show whether
 * memory follows the dump's size (it must not).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { intentOf } from "../analytics/intent";
import { PublicView } from "../analytics/publicView";
import { readStackFiles } from "../load/files";
import { parseInventory } from "../load/load";
import { readMrtFile } from "../mrt/file";
import type { AsPathSegment } from "../mrt/model";
import { peerIndexTable, ribRecord, type RibEntrySpec } from "../mrt/write";
import { buildPlan } from "../plan/plan";

const VERSION = 1;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const T = 1700000000;

function entries(i: number, v6: boolean): RibEntrySpec[] {
  // Paths of 3 to 6 ASNs, some four-octet, some with an AS_SET, as a full table has them.
  const len = 3 + (i % 4);
  const asns = Array.from({ length: len }, (_v, k) =>
    k === 1 && i % 7 === 0 ? 4200000000 + (i % 1000) : 1000 + ((i * 31 + k * 7919) % 60000),
  );
  const asPath: AsPathSegment[] = [{ type: "sequence", asns }];
  if (i % 97 === 0) asPath.push({ type: "set", asns: [64496, 64497] });
  return [0, 1].map((peerIndex) => ({
    peerIndex,
    originated: T - (i % 86400),
    attributes: {
      origin: "IGP",
      asPath: peerIndex === 0 ? asPath : [{ type: "sequence", asns: [64511, ...asns] }, ...asPath.slice(1)],
      ...(v6 ? { mpNextHops: [`2001:db8::${peerIndex + 10}`] } : { nextHop: `192.0.2.${peerIndex + 10}` }),
      communities: [`${asns[0] % 65535}:${i % 1000}`],
    },
  }));
}

function write(file: string, v4: number, v6: number): void {
  const fd = fs.openSync(`${file}.tmp`, "w");
  const batch: Buffer[] = [];
  const flush = () => {
    fs.writeSync(fd, Buffer.concat(batch.splice(0)));
  };
  batch.push(
    peerIndexTable(T, "192.0.2.255", "bench", [
      { bgpId: "192.0.2.10", address: "192.0.2.10", asn: 64510 },
      { bgpId: "192.0.2.11", address: "192.0.2.11", asn: 64511 },
    ]),
  );
  for (let i = 0; i < v4; i++) {
    // Every /24 of 1.0.0.0 to 16.x, in order.
    const a = 1 + (i >> 16);
    const prefix = `${a}.${(i >> 8) & 0xff}.${i & 0xff}.0/24`;
    batch.push(ribRecord(T, i, prefix, entries(i, false)));
    if (batch.length >= 4096) flush();
  }
  for (let i = 0; i < v6; i++) {
    const prefix = `2001:${(0x400 + (i >> 16)).toString(16)}:${(i & 0xffff).toString(16)}::/48`;
    batch.push(ribRecord(T, v4 + i, prefix, entries(i, true)));
    if (batch.length >= 4096) flush();
  }
  flush();
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
}

function dumpFile(name: string, v4: number, v6: number): string {
  const file = path.join(os.tmpdir(), `pac-mrt-bench-v${VERSION}-${name}.mrt`);
  if (!fs.existsSync(file)) {
    const t = Date.now();
    write(file, v4, v6);
    console.error(
      `wrote ${file} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  return file;
}

type Mode = "parse" | "public-view";

/** One run, in this process: seconds, bytes, routes, peak RSS. */
async function once(file: string, mode: Mode): Promise<void> {
  let sink: (r: Parameters<PublicView["observe"]>[0]) => void = () => undefined;
  let view: PublicView | undefined;
  if (mode === "public-view") {
    const inv = parseInventory(readStackFiles("lab"));
    if (!inv.ok) throw new Error("bench: the lab inventory does not load");
    const plan = buildPlan(inv.value);
    if (!plan.ok) throw new Error("bench: the lab stack does not plan");
    view = new PublicView(intentOf(plan.value));
    const v = view;
    sink = (r) => v.observe(r, file);
  }
  const start = process.hrtime.bigint();
  const summary = await readMrtFile(file, { route: sink });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const events = view?.events([file]).length ?? 0;
  process.stdout.write(
    JSON.stringify({
      seconds,
      bytes: summary.bytes,
      routes: summary.routes,
      events,
      maxRssKb: process.resourceUsage().maxRSS,
    }),
  );
}

interface Sample {
  seconds: number;
  bytes: number;
  routes: number;
  maxRssKb: number;
}

function spread(values: number[], digits: number): string {
  const s = [...values].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(digits);
  return `${f(s[Math.floor(s.length / 2)])} (${f(s[0])}-${f(s[s.length - 1])})`;
}

function measure(file: string, mode: Mode): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--once", file, mode], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) throw new Error(`bench run failed: ${r.stderr}`);
    samples.push(JSON.parse(r.stdout) as Sample);
  }
  return samples;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--once");
  if (i >= 0) return once(process.argv[i + 1], process.argv[i + 2] as Mode);
  const full = dumpFile("full", 1_000_000, 200_000);
  const tenth = dumpFile("tenth", 100_000, 20_000);
  console.log(
    `MRT reader, ${RUNS} runs each, a fresh process per run; median (min-max); ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
  );
  console.log("| dump | MB | routes | mode | MB/s | routes/s (M) | peak RSS (MB) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [name, file] of [
    ["full table", full],
    ["a tenth", tenth],
  ] as const) {
    for (const mode of ["parse", "public-view"] as const) {
      const s = measure(file, mode);
      const mb = s[0].bytes / 1e6;
      console.log(
        `| ${name} | ${mb.toFixed(1)} | ${s[0].routes} | ${mode} | ${spread(
          s.map((x) => mb / x.seconds),
          1,
        )} | ${spread(
          s.map((x) => x.routes / x.seconds / 1e6),
          2,
        )} | ${spread(
          s.map((x) => x.maxRssKb / 1024),
          0,
        )} |`,
      );
    }
  }
}

main().catch((e: unknown) => {
  console.error(`bench:mrt: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(70);
});
