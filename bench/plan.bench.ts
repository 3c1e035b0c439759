/**
 * `npm run bench`: how the offline plan scales with metros and registered prefixes. Not part of
 * `npm test` (a figure on this shared 2-core machine is a spread over runs, not a pass/fail).
 *
 * For each cell of metros × prefixes (default 10/100/1,000 × 100/1,000/10,000; `--cells 1000x1000,200x10000`
 * for some), on a synthetic stack (bench/synthetic.ts) written to a temp folder:
 * - in-process, each stage `--runs` times after one warm-up, in CPU time: load+validate (parse +
 *   schema), plan, render (every router's config, as `npm run plan` renders them), policies
 *   (declarations → what the engine receives → the policy pack);
 * - the whole offline plan as a child process (`npm run plan` as package.json runs it, into a fresh
 *   output folder each run, `--frozen-lock`): wall time, CPU time and peak RSS, from GNU time
 *   (`/usr/bin/time`);
 * - min / median / max of each; the growth exponent along each axis (the slope of log time over log
 *   size, fitted over the axis and between its two largest sizes, where a quadratic step shows);
 * - rendering against Jinja2 (Debian python3-jinja2, `/usr/bin/python3`) on the FRR routers of one
 *   cell (`--jinja2 100x1000`): the same per-router models, an FRR template set that mirrors ours
 *   (bench/jinja2/), both timed in CPU time from the model to the normalised text (ours also from
 *   the RouterPlan alone, building the policy model), the texts checked identical; the engines take
 *   turns, one round each (`max(--runs, 5)` rounds), and the ratio is a spread over the rounds.
 *
 * Writes bench/results/bench.json and bench/results/bench.md (`--out <dir>` elsewhere) and prints
 * the Markdown table.
 */
import { spawn, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import * as readline from "readline";
import { allStackDeclarations, declareStackParts } from "../declarations";
import { asRecorded, readStackConfig } from "../cli/declared";
import { checkStackPolicies } from "../cli/policies";
import { REPO_ROOT } from "../load/files";
import { parseInventory } from "../load/load";
import type { Plan } from "../plan/model";
import { buildPlan, planStack } from "../plan/plan";
import { createRenderer, loadTemplateSources, redactingResolver, type Renderer } from "../render";
import { policyModel } from "../render/policyModel";
import { VENDOR_PROFILES } from "../vendors";
import { writeSyntheticStack, type SyntheticSize } from "./synthetic";

interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number;
}

interface CellResult {
  metros: number;
  prefixes: number;
  routers: number;
  resources: number;
  configBytes: number;
  /** Milliseconds, in-process. */
  loadValidate: Spread;
  plan: Spread;
  render: Spread;
  policies: Spread;
  /** The whole offline plan as a child process: wall milliseconds and peak RSS in MiB. */
  wholeWallMs: Spread;
  /**
   * Its CPU time (user + system, GNU time): what the plan costs when it has a core to itself, which
   * the wall time on this shared machine under load does not show.
   */
  wholeCpuMs: Spread;
  wholePeakRssMiB: Spread;
}

interface Options {
  cells: SyntheticSize[];
  runs: number;
  jinja2: SyntheticSize | null;
  outDir: string;
}

const GRID_METROS = [10, 100, 1000];
const GRID_PREFIXES = [100, 1000, 10000];

function parseSize(s: string, flag: string): SyntheticSize {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`bench: ${flag} ${JSON.stringify(s)}: expected <metros>x<prefixes>, e.g. 1000x1000`);
  return { metros: Number(m[1]), prefixes: Number(m[2]) };
}

function parseArgs(argv: string[]): Options {
  let cells = GRID_METROS.flatMap((metros) => GRID_PREFIXES.map((prefixes) => ({ metros, prefixes })));
  let runs = 3;
  let jinja2: SyntheticSize | null = { metros: 100, prefixes: 1000 };
  let outDir = path.join(REPO_ROOT, "bench", "results");
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--cells") cells = (argv[++i] ?? "").split(",").map((c) => parseSize(c, "--cells"));
    else if (a === "--runs") runs = Number(argv[++i]);
    else if (a === "--jinja2") jinja2 = argv[i + 1] === "none" ? (i++, null) : parseSize(argv[++i] ?? "", "--jinja2");
    else if (a === "--out") outDir = path.resolve(argv[++i] ?? ".");
    else {
      console.error(
        `bench: unknown argument ${JSON.stringify(a)}. Usage: npm run bench -- [--cells 1000x1000,200x10000] [--runs 3] [--jinja2 100x1000|none] [--out <dir>]`,
      );
      process.exit(2);
    }
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error("bench: --runs must be a positive integer");
  return { cells, runs, jinja2, outDir };
}

function spread(samples: number[]): Spread {
  const s = [...samples].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor((s.length - 1) / 2)], max: s[s.length - 1], runs: s.length };
}

/** This process's CPU time (user + system), in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * `fn` timed `runs` times after a warm-up, in CPU time: on this shared 2-core machine a wall clock
 * measures the other users' load as much as our code (the whole plan's wall time is reported too).
 */
function timed<T>(runs: number, fn: () => T): { ms: Spread; result: T } {
  let result = fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t = cpuMs();
    result = fn();
    samples.push(cpuMs() - t);
  }
  return { ms: spread(samples), result };
}

/** Renders every router as `npm run plan` does; returns the bytes (the texts are dropped as they come). */
function renderStack(renderer: Renderer, plan: Plan): number {
  let bytes = 0;
  for (const config of renderer.renderAll(plan.routers, redactingResolver)) bytes += config.text.length;
  return bytes;
}

/** `npm run plan` (its command from package.json) on the stack, once, under GNU time. */
function wholePlan(root: string, stack: string, outDir: string): { wallMs: number; cpuMs: number; rssMiB: number } {
  fs.rmSync(outDir, { recursive: true, force: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const [node, ...script] = pkg.scripts.plan.split(" ");
  if (node !== "node") throw new Error("bench: package.json's plan script no longer starts with node");
  const args = [...script, "--root", root, "--stack", stack, "--out", outDir, "--frozen-lock"];
  const t = performance.now();
  const run = spawnSync("/usr/bin/time", ["-f", "peak-rss-kib %M cpu-s %U %S", process.execPath, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const wallMs = performance.now() - t;
  if (run.error) throw new Error(`bench: cannot run /usr/bin/time (Debian package time): ${run.error.message}`);
  if (run.status !== 0) throw new Error(`bench: npm run plan failed on ${stack}:\n${run.stderr.slice(-2000)}`);
  const rss = /peak-rss-kib (\d+)/.exec(run.stderr);
  if (!rss) throw new Error("bench: GNU time reported no peak RSS");
  const cpu = /cpu-s ([\d.]+) ([\d.]+)/.exec(run.stderr);
  if (!cpu) throw new Error("bench: GNU time reported no CPU time");
  fs.rmSync(outDir, { recursive: true, force: true });
  return { wallMs, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000, rssMiB: Number(rss[1]) / 1024 };
}

function benchCell(size: SyntheticSize, runs: number, renderer: Renderer, tmp: string): CellResult {
  const root = path.join(tmp, `${size.metros}x${size.prefixes}`);
  const { stack, files } = writeSyntheticStack(root, size);
  const load = timed(runs, () => parseInventory(files));
  if (!load.result.ok) throw new Error("bench: synthetic inventory rejected");
  const inventory = load.result.value;
  const planned = timed(runs, () => buildPlan(inventory));
  if (!planned.result.ok) throw new Error("bench: synthetic stack not planned");
  const plan = planned.result.value;
  const render = timed(runs, () => renderStack(renderer, plan));
  const { config } = readStackConfig(stack, root);
  const policies = timed(runs, () => {
    const resources = asRecorded(stack, allStackDeclarations(declareStackParts(plan)), config);
    const outcome = checkStackPolicies(stack, root, resources);
    if (outcome.mandatory > 0) throw new Error(`bench: ${stack} violates a mandatory policy:\n${outcome.text}`);
    return resources.length;
  });
  const wall: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = wholePlan(root, stack, path.join(tmp, "out"));
    wall.push(r.wallMs);
    cpu.push(r.cpuMs);
    rss.push(r.rssMiB);
  }
  fs.rmSync(root, { recursive: true, force: true });
  return {
    ...size,
    routers: plan.routers.length,
    resources: policies.result,
    configBytes: render.result,
    loadValidate: load.ms,
    plan: planned.ms,
    render: render.ms,
    policies: policies.ms,
    wholeWallMs: spread(wall),
    wholeCpuMs: spread(cpu),
    wholePeakRssMiB: spread(rss),
  };
}

interface Jinja2Result {
  metros: number;
  prefixes: number;
  routers: number;
  bytes: number;
  jinja2Version: string;
  python: string;
  /** Milliseconds to render every FRR router once. */
  handlebars: Spread;
  /** The same from the same per-router model as Jinja2 is handed (the policy model built beforehand). */
  handlebarsModel: Spread;
  /** The same, through `renderAll` (the shared partials rendered once per stack), as `npm run plan` does. */
  handlebarsBatch: Spread;
  jinja2: Spread;
  /**
   * Jinja2's time over Handlebars' in each round (the engines take turns, one round each, so a
   * change of the machine's load between rounds falls on both): against `render`, which also
   * builds the policy model per router.
   */
  ratio: Spread;
  /** The same, like for like: both engines from the same model (RouterPlan and policy model) to the text. */
  ratioModel: Spread;
  /** The same against `renderAll`. */
  ratioBatch: Spread;
  identical: boolean;
}

/** One line of JSON from the Jinja2 renderer (bench/jinja2/render.py), or a clear error. */
async function nextLine<T>(lines: AsyncIterator<string>, what: string): Promise<T> {
  const line = await lines.next();
  if (line.done === true) throw new Error(`bench: bench/jinja2/render.py ended before ${what}`);
  return JSON.parse(line.value) as T;
}

/**
 * Both engines on the FRR routers of one synthetic stack, from the per-router model to the text.
 * Jinja2 runs in a Python process of its own that renders every router once per line it reads,
 * so the engines take turns round by round (each idle while the other renders), and each round's
 * ratio compares two renderings a second apart.
 */
async function benchJinja2(size: SyntheticSize, runs: number, renderer: Renderer, tmp: string): Promise<Jinja2Result> {
  const root = path.join(tmp, "jinja2");
  const { files } = writeSyntheticStack(root, size);
  const planned = planStack(files);
  if (!planned.ok) throw new Error(`bench: synthetic stack not planned: ${planned.problems[0]?.message}`);
  const plan = planned.value;
  // The synthetic stacks' MD5 keys are named in the stack config; both sides render the same value.
  const secret = (name: string) => `bench-${name}`;
  const routers = plan.routers.filter((r) => r.vendor === "frr");
  const rounds = Math.max(runs, 5);
  const models = routers.map((r) => policyModel(r, VENDOR_PROFILES[r.vendor]));
  const secrets: Record<string, string> = {};
  for (const r of routers)
    for (const s of r.sessions) if (s.md5KeySecret) secrets[s.md5KeySecret] = secret(s.md5KeySecret);
  const modelsFile = path.join(root, "models.json");
  fs.writeFileSync(
    modelsFile,
    JSON.stringify({
      commentChar: VENDOR_PROFILES.frr.commentChar,
      secrets,
      models: routers.map((r, i) => ({ ...r, policy: models[i] })),
    }),
  );
  const python = spawn("/usr/bin/python3", [path.join(REPO_ROOT, "bench/jinja2/render.py"), modelsFile], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const failed = new Promise<never>((_, reject) =>
    python.on("error", (e) => reject(new Error(`bench: cannot run /usr/bin/python3: ${e.message}`))),
  );
  const lines = readline.createInterface({ input: python.stdout })[Symbol.asyncIterator]();
  try {
    const py = await Promise.race([
      nextLine<{ jinja2: string; python: string; bytes: number; sha256: string[] }>(lines, "its first rendering"),
      failed,
    ]);
    const engines = {
      render: () => routers.map((r) => renderer.render(r, secret).text),
      model: () => routers.map((r, i) => renderer.renderWithPolicy(r, models[i], secret).text),
      batch: () => [...renderer.renderAll(routers, secret)].map((c) => c.text),
    };
    // One warm-up each, as Jinja2 has had (the texts compared below).
    const texts = { render: engines.render(), model: engines.model(), batch: engines.batch() };
    const ms = { render: [] as number[], model: [] as number[], batch: [] as number[], jinja2: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      for (const engine of ["render", "model", "batch"] as const) {
        (globalThis as { gc?: () => void }).gc?.();
        const t = cpuMs();
        engines[engine]();
        ms[engine].push(cpuMs() - t);
      }
      python.stdin.write("round\n");
      ms.jinja2.push((await nextLine<{ ms: number }>(lines, `round ${i + 1}`)).ms);
    }
    const ourHashes = texts.render.map((t) => crypto.createHash("sha256").update(t, "utf8").digest("hex"));
    const identical =
      ourHashes.length === py.sha256.length &&
      ourHashes.every((h, i) => h === py.sha256[i]) &&
      texts.batch.every((t, i) => t === texts.render[i]) &&
      texts.model.every((t, i) => t === texts.render[i]);
    const ratios = (ours: number[]) => spread(ms.jinja2.map((j, i) => j / ours[i]));
    return {
      ...size,
      routers: routers.length,
      bytes: py.bytes,
      jinja2Version: py.jinja2,
      python: py.python,
      handlebars: spread(ms.render),
      handlebarsModel: spread(ms.model),
      handlebarsBatch: spread(ms.batch),
      jinja2: spread(ms.jinja2),
      ratio: ratios(ms.render),
      ratioModel: ratios(ms.model),
      ratioBatch: ratios(ms.batch),
      identical,
    };
  } finally {
    python.stdin.end();
    python.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

type Stage = "loadValidate" | "plan" | "render" | "policies" | "wholeWallMs" | "wholeCpuMs";
const STAGES: Stage[] = ["loadValidate", "plan", "render", "policies", "wholeWallMs", "wholeCpuMs"];

/** Least-squares slope of log(median) over log(size), and the slope between the two largest sizes. */
function exponent(points: Array<[size: number, ms: number]>): { fit: number; last: number } | null {
  if (points.length < 2) return null;
  const xs = points.map(([s]) => Math.log(s));
  const ys = points.map(([, ms]) => Math.log(ms));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const fit = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) * (x - mx), 0);
  const n = points.length;
  const last = (ys[n - 1] - ys[n - 2]) / (xs[n - 1] - xs[n - 2]);
  return { fit, last };
}

interface Growth {
  axis: "metros" | "prefixes";
  /** The other axis, held fixed. */
  at: number;
  sizes: number[];
  exponents: Record<Stage, { fit: number; last: number } | null>;
}

/** Every line of cells that varies one axis with the other fixed, over three sizes or more, else two. */
function growth(cells: CellResult[]): Growth[] {
  const out: Growth[] = [];
  for (const axis of ["metros", "prefixes"] as const) {
    const other = axis === "metros" ? "prefixes" : "metros";
    const fixed = [...new Set(cells.map((c) => c[other]))].sort((a, b) => a - b);
    for (const at of fixed) {
      const line = cells.filter((c) => c[other] === at).sort((a, b) => a[axis] - b[axis]);
      if (line.length < 2) continue;
      const exponents = Object.fromEntries(
        STAGES.map((stage) => [stage, exponent(line.map((c) => [c[axis], c[stage].median]))]),
      ) as Growth["exponents"];
      out.push({ axis, at, sizes: line.map((c) => c[axis]), exponents });
    }
  }
  return out;
}

const ms = (s: Spread) =>
  s.median >= 1000
    ? `${(s.min / 1000).toFixed(2)} / ${(s.median / 1000).toFixed(2)} / ${(s.max / 1000).toFixed(2)} s`
    : `${s.min.toFixed(0)} / ${s.median.toFixed(0)} / ${s.max.toFixed(0)} ms`;
const ratio = (s: Spread) => `${s.min.toFixed(1)} / ${s.median.toFixed(1)} / ${s.max.toFixed(1)}×`;
const mib = (s: Spread) => `${s.min.toFixed(0)} / ${s.median.toFixed(0)} / ${s.max.toFixed(0)} MiB`;

function markdown(
  cells: CellResult[],
  grows: Growth[],
  jinja2: Jinja2Result | null,
  meta: Record<string, string>,
): string {
  const lines = [
    `Spreads are min / median / max over ${cells[0]?.wholeWallMs.runs ?? 0} runs (${meta.machine}, ${meta.node}, load average at start ${meta.loadavg}, at the end ${meta.loadavgEnd}). The stages are CPU time in-process; the whole plan is a child process, its wall time and CPU time.`,
    "",
    "| metros | prefixes | routers | resources | configs | load+validate | plan | render | policies | whole plan (wall) | whole plan (CPU) | whole plan (peak RSS) |",
    "| ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- | --- | --- |",
    ...cells.map(
      (c) =>
        `| ${c.metros} | ${c.prefixes} | ${c.routers} | ${c.resources} | ${(c.configBytes / 2 ** 20).toFixed(0)} MiB | ${ms(c.loadValidate)} | ${ms(c.plan)} | ${ms(c.render)} | ${ms(c.policies)} | ${ms(c.wholeWallMs)} | ${ms(c.wholeCpuMs)} | ${mib(c.wholePeakRssMiB)} |`,
    ),
  ];
  if (grows.length > 0) {
    lines.push(
      "",
      "Growth exponents (slope of log median time over log size: least-squares fit over the line / between its two largest sizes):",
      "",
      "| axis | sizes | other axis at | load+validate | plan | render | policies | whole plan (wall) | whole plan (CPU) |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...grows.map(
        (g) =>
          `| ${g.axis} | ${g.sizes.join(", ")} | ${g.at} | ${STAGES.map((s) => {
            const e = g.exponents[s];
            return e ? `${e.fit.toFixed(2)} / ${e.last.toFixed(2)}` : "—";
          }).join(" | ")} |`,
      ),
    );
  }
  if (jinja2) {
    lines.push(
      "",
      `Rendering, ${jinja2.routers} FRR routers of ${jinja2.metros} metros × ${jinja2.prefixes} prefixes (${(jinja2.bytes / 2 ** 20).toFixed(1)} MiB of config), model → normalised text, texts ${jinja2.identical ? "byte-identical" : "NOT identical"}:`,
      "",
      "| engine | all routers, min / median / max |",
      "| --- | --- |",
      `| Handlebars, router by router (\`render\`: the policy model built, the model checked) | ${ms(jinja2.handlebars)} |`,
      `| Handlebars, router by router from the same model as Jinja2 (\`renderWithPolicy\`; the model still checked) | ${ms(jinja2.handlebarsModel)} |`,
      `| Handlebars, the stack at once (\`renderAll\`, as \`npm run plan\`) | ${ms(jinja2.handlebarsBatch)} |`,
      `| Jinja2 ${jinja2.jinja2Version} (Python ${jinja2.python}), router by router | ${ms(jinja2.jinja2)} |`,
      "",
      `Jinja2's time over Handlebars' in the same round (the engines take turns), min / median / max over the rounds: like for like (the same model to the text) ${ratio(jinja2.ratioModel)}; against \`render\` (which also builds the policy model) ${ratio(jinja2.ratio)}; against \`renderAll\` (shared partials rendered once per stack) ${ratio(jinja2.ratioBatch)}.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "peering-bench-"));
  const meta = {
    machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node: `Node.js ${process.version}`,
    loadavg: os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" "),
    date: new Date().toISOString(),
    loadavgEnd: "",
  };
  try {
    const renderer = createRenderer(loadTemplateSources());
    const cells: CellResult[] = [];
    for (const size of opts.cells) {
      console.error(`bench: ${size.metros} metros × ${size.prefixes} prefixes…`);
      cells.push(benchCell(size, opts.runs, renderer, tmp));
    }
    let jinja2: Jinja2Result | null = null;
    if (opts.jinja2) {
      console.error(`bench: Jinja2 on ${opts.jinja2.metros} metros × ${opts.jinja2.prefixes} prefixes…`);
      jinja2 = await benchJinja2(opts.jinja2, opts.runs, renderer, tmp);
      if (!jinja2.identical)
        console.error("bench: Jinja2's texts differ from ours: the comparison is not like for like");
    }
    meta.loadavgEnd = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
    const grows = growth(cells);
    fs.mkdirSync(opts.outDir, { recursive: true });
    const md = markdown(cells, grows, jinja2, meta);
    fs.writeFileSync(
      path.join(opts.outDir, "bench.json"),
      `${JSON.stringify({ meta, cells, growth: grows, jinja2 }, null, 2)}\n`,
    );
    fs.writeFileSync(path.join(opts.outDir, "bench.md"), md);
    console.log(md);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
