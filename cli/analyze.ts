/**
 * `npm run analyze -- --stack <s> [sources...]`: route analytics. Reads what Microsoft received
 * (`--received-routes <metro>=<file.json>`, or live with `--azure`) and what routers see
 * (`--frr <router>=<file.json>`), and what route collectors see from outside (`--mrt <file>...`:
 * RIPE RIS and RouteViews MRT dumps, analytics/publicView.ts), and checks it against the stack's
 * declared intent (analytics/analyze.ts). The report goes to stdout (a table, or `--json` lines), Prometheus text to
 * `--prom <file>`, progress to stderr.
 *
 * `--telemetry [--since 24h]` adds Azure Monitor's metrics of every peering of the stack
 * (telemetry/reader.ts) and their events (telemetry/analyze.ts) to the same outputs; `--html <file>`
 * writes one self-contained page of everything (telemetry/page.ts).
 *
 * Exit codes: 0 clean, 1 warnings only, 2 critical events; 64 an unreadable or malformed input
 * (a source file, an MRT dump with a truncated or malformed record, the inventory, the arguments),
 * naming it; 69 Azure could not be read (`--azure`);
 * 70 an internal error.
 */
import * as fs from "fs";
import * as path from "path";
import { analyze, exitCodeOf } from "../analytics/analyze";
import { intentOf, type Intent } from "../analytics/intent";
import { mergeObservations, type Observations } from "../analytics/model";
import { PublicView, withPublicView } from "../analytics/publicView";
import { MrtFileError, readMrtFile } from "../mrt/file";
import type { MrtError } from "../mrt/model";
import { analysisJsonLines, analysisPrometheus, formatAnalysisTable } from "../analytics/report";
import { InputError, readFrrJson, readReceivedRoutes, receivedRoutesFrom } from "../analytics/sources";
import {
  AZURE_ENDPOINT,
  AzureReadError,
  readPeerings,
  readReceivedRoutes as readAzureReceivedRoutes,
  type AzureTarget,
} from "../azure/client";
import { REPO_ROOT, StackNotFoundError } from "../load/files";
import { isAddressed, legsInOrder, type Plan } from "../plan/model";
import { peeringName } from "../plan/peeringTags";
import {
  analyzeTelemetry,
  DEFAULT_THRESHOLDS,
  type TelemetryAnalysis,
  type TelemetryThresholds,
} from "../telemetry/analyze";
import { withEvents } from "../telemetry/join";
import { parseSince, windowOf, type TelemetrySnapshot } from "../telemetry/model";
import { renderPage, seenAtOf } from "../telemetry/page";
import { metricsEndpointFor, readTelemetry, telemetryRequestOf } from "../telemetry/reader";
import {
  azureOptionDefaults,
  AzureOptionError,
  azureTarget,
  checkSubscriptionId,
  credentialFor,
  httpsOrigin,
  parseAzureOption,
  planStack,
  type AzureOptions,
} from "./azureOptions";
import { runCli } from "./main";
import { plural } from "./text";

/** The exit codes of a failed run; the report's own (0, 1, 2) come from exitCodeOf. */
export const EXIT = { input: 64, unavailable: 69 } as const;

const USAGE =
  "usage: npm run analyze -- --stack <name> [--received-routes <metro>=<file.json>]... [--frr <router>=<file.json>]... " +
  "[--azure] [--telemetry [--since <24h>] [--availability-target <percent>] [--max-flaps <n>] [--latency-margin <ms>] [--metrics-endpoint <https-url>]] " +
  "[--mrt <file>... [--upstream <asn>]...] " +
  "[--subscription <id>] [--endpoint <https-url> --ca <file.pem>] [--max-retries <n>] [--json] [--prom <file>] [--html <file>] [--root <dir>]";

export interface AnalyzeOptions extends AzureOptions {
  stack: string;
  root: string;
  receivedRoutes: Array<{ metro: string; file: string }>;
  frr: Array<{ router: string; file: string }>;
  /** MRT dumps (TABLE_DUMP_V2 RIBs, BGP4MP updates; plain, gzip or bzip2), read in this order. */
  mrt: string[];
  /** The networks our ASN may hand its prefixes to (public view; unset: any). */
  upstreams: number[];
  azure: boolean;
  json: boolean;
  prom?: string;
  html?: string;
  telemetry: boolean;
  /** The telemetry window, ms back from now. */
  sinceMs: number;
  thresholds: TelemetryThresholds;
  /** Azure Monitor's metrics endpoint; default: the endpoint when it is not Azure's, else the peerings' region's. */
  metricsEndpoint?: string;
}

/** A usage error: printed with the usage, exit 64. */
class UsageError extends AzureOptionError {
  constructor(message: string, fix: string = USAGE) {
    super(message, fix);
  }
}

export function parseAnalyzeArgs(argv: string[], env: NodeJS.ProcessEnv): AnalyzeOptions {
  const opts: AnalyzeOptions = {
    stack: "lab",
    root: REPO_ROOT,
    receivedRoutes: [],
    frr: [],
    mrt: [],
    upstreams: [],
    azure: false,
    ...azureOptionDefaults(env),
    json: false,
    telemetry: false,
    sinceMs: 24 * 3_600_000,
    thresholds: { ...DEFAULT_THRESHOLDS },
  };
  const number = (i: number, flag: string, min: number, max: number) => {
    const n = Number(value(i, flag));
    if (!Number.isFinite(n) || n < min || n > max)
      throw new UsageError(`${flag} ${argv[i]} is not a number from ${min} to ${max}`);
    return n;
  };
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const pair = (text: string, flag: string, left: string) => {
    const at = text.indexOf("=");
    if (at <= 0 || at === text.length - 1)
      throw new UsageError(
        `${flag} ${JSON.stringify(text)} is not <${left}>=<file.json>`,
        `e.g. ${flag} ${left === "metro" ? "amsterdam" : "msft-amsterdam-a"}=routes.json`,
      );
    return [text.slice(0, at), text.slice(at + 1)] as const;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const azure = parseAzureOption(argv, i, opts, value, USAGE);
    if (azure !== undefined) i = azure;
    else if (a === "--stack" || a === "-s") opts.stack = value(++i, a);
    else if (a === "--root") opts.root = path.resolve(value(++i, a));
    else if (a === "--received-routes") {
      const [metro, file] = pair(value(++i, a), a, "metro");
      opts.receivedRoutes.push({ metro, file });
    } else if (a === "--frr") {
      const [router, file] = pair(value(++i, a), a, "router");
      opts.frr.push({ router, file });
    } else if (a === "--mrt") {
      // `--mrt a.gz b.bz2 ...`: every argument up to the next flag (`--stack` or `-s`) is a dump.
      opts.mrt.push(value(++i, a));
      while (argv[i + 1] !== undefined && !argv[i + 1].startsWith("-")) opts.mrt.push(argv[++i]);
    } else if (a === "--upstream") {
      const text = value(++i, a);
      const n = Number(text.replace(/^AS/i, ""));
      if (!Number.isInteger(n) || n < 1 || n > 4294967295)
        throw new UsageError(
          `--upstream ${JSON.stringify(text)} is not an ASN`,
          "e.g. --upstream 64499 (repeat it for each)",
        );
      opts.upstreams.push(n);
    } else if (a === "--azure") opts.azure = true;
    else if (a === "--json") opts.json = true;
    else if (a === "--prom") opts.prom = value(++i, a);
    else if (a === "--html") opts.html = value(++i, a);
    else if (a === "--telemetry") opts.telemetry = true;
    else if (a === "--since") {
      const since = parseSince(value(++i, a));
      if (since === undefined)
        throw new UsageError(
          `--since ${argv[i]} is not a window from 1h to 30d`,
          "give hours, days or minutes: --since 24h, --since 7d, --since 90m",
        );
      opts.sinceMs = since;
    } else if (a === "--availability-target") opts.thresholds.availabilityTargetPercent = number(++i, a, 0, 100);
    else if (a === "--max-flaps") opts.thresholds.maxFlaps = number(++i, a, 0, 1e6);
    else if (a === "--latency-margin") opts.thresholds.latencyMarginMs = number(++i, a, 0, 1e4);
    else if (a === "--metrics-endpoint")
      opts.metricsEndpoint = httpsOrigin(value(++i, a), a, "Azure speaks HTTPS only");
    else throw new UsageError(`unknown argument ${JSON.stringify(a)}`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(opts.stack))
    throw new UsageError(
      `--stack ${JSON.stringify(opts.stack)} is not a stack name`,
      "name a folder under stacks/, e.g. --stack lab",
    );
  if (
    opts.receivedRoutes.length === 0 &&
    opts.frr.length === 0 &&
    opts.mrt.length === 0 &&
    !opts.azure &&
    !opts.telemetry
  )
    throw new UsageError(
      "no source given: nothing to analyze",
      `give --received-routes, --frr, --mrt, --azure or --telemetry; ${USAGE}`,
    );
  if (opts.upstreams.length > 0 && opts.mrt.length === 0)
    throw new UsageError("--upstream applies to the public view", "give the MRT dumps with --mrt <file>...");
  if (opts.azure || opts.telemetry) {
    if (opts.subscription === undefined)
      throw new UsageError(
        `${opts.azure ? "--azure" : "--telemetry"} needs the Azure subscription`,
        "pass --subscription <id> or set AZURE_SUBSCRIPTION_ID (the subscription that holds the peerings)",
      );
    checkSubscriptionId(opts.subscription);
    opts.endpoint = httpsOrigin(opts.endpoint, "--endpoint");
  }
  return opts;
}

function readSource(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      file,
      code === "ENOENT" ? "does not exist" : `cannot be read (${e instanceof Error ? e.message : String(e)})`,
      "check the path given after the = sign",
    );
  }
}

/**
 * Azure Monitor's metrics of every peering the stack declares, over the window ending now. The
 * metrics endpoint is regional (the peerings' `azure.location`); against a fake (`--endpoint`)
 * the same endpoint serves both.
 */
async function readTelemetrySource(
  opts: AnalyzeOptions,
  target: AzureTarget,
  plan: Plan,
  intent: Intent,
  progress: (line: string) => void,
  now: Date,
): Promise<{ snapshot: TelemetrySnapshot; analysis: TelemetryAnalysis }> {
  let endpoint = opts.metricsEndpoint;
  if (endpoint === undefined && opts.endpoint !== AZURE_ENDPOINT) endpoint = opts.endpoint;
  if (endpoint === undefined) {
    if (plan.sp.location === undefined)
      throw new UsageError(
        `Azure Monitor's metrics endpoint is regional, and ${plan.sp.file} gives no azure.location`,
        "set azure.location in sp.yaml to the Azure region of the peerings (e.g. westeurope), or pass --metrics-endpoint https://<region>.metrics.monitor.azure.com",
      );
    endpoint = metricsEndpointFor(plan.sp.location);
  }
  const request = telemetryRequestOf(plan, target.subscription, windowOf(now, opts.sinceMs));
  const snapshot = await readTelemetry({ ...target, endpoint }, request);
  for (const u of snapshot.unavailable) progress(`  Azure Monitor has no ${u.metric} for ${u.resourceId}: ${u.error}`);
  return { snapshot, analysis: analyzeTelemetry(plan, snapshot, opts.thresholds, intent) };
}

/** Microsoft's view of every metro of the stack: session states of each connection and receivedRoutes. */
async function readAzureSources(target: AzureTarget, plan: Plan): Promise<Observations> {
  const peerings = await readPeerings(target);
  const byName = new Map(plan.metros.map((m) => [peeringName(plan.sp.asn, m.id).toLowerCase(), m]));
  const ours = peerings.filter((p) => byName.has(p.name.toLowerCase()));
  const obs: Observations[] = [];
  for (const peering of ours) {
    const metro = byName.get(peering.name.toLowerCase());
    if (!metro) continue;
    const legs = legsInOrder(metro);
    for (const c of peering.connections) {
      const leg = legs[c.position];
      if (!leg || !isAddressed(leg)) continue;
      for (const afi of ["ipv4", "ipv6"] as const) {
        const state = c[afi].state;
        if (state === undefined) continue;
        obs.push({
          routes: [],
          tables: [],
          sessions: [{ source: "azure", peer: leg[afi].sp, metro: metro.id, leg: leg.name, afi, state }],
        });
      }
    }
  }
  for (const r of await readAzureReceivedRoutes(
    target,
    ours.map((p) => p.name),
  )) {
    const metro = byName.get(r.peering.toLowerCase());
    if (metro) obs.push(receivedRoutesFrom({ value: r.routes }, `azure:${r.peering}`, metro.id));
  }
  return mergeObservations(obs);
}

/** Written whole or not at all: a scraper or a browser never reads half a file. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export async function runAnalyze(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: { out: (s: string) => void; err: (s: string) => void },
  now: () => Date = () => new Date(),
): Promise<number> {
  const started = process.hrtime.bigint();
  try {
    const opts = parseAnalyzeArgs(argv, env);
    const stack = planStack(opts.stack, opts.root, "nothing was analyzed");
    if (!stack.ok) {
      io.err(stack.problems);
      return EXIT.input;
    }
    const plan = stack.plan;
    const intent = intentOf(plan);
    const metros = new Set(intent.metros.map((m) => m.id));
    io.err(
      `Stack ${opts.stack}: ${intent.metros.length} metros announcing, ${intent.prefixes.length} registered prefixes (${stack.inventory.sp.file})`,
    );
    const sources: string[] = [];
    const all: Observations[] = [];
    for (const { metro, file } of opts.receivedRoutes) {
      if (!metros.has(metro))
        throw new UsageError(
          `--received-routes ${metro}=${file}: ${metro} is no metro of stack ${opts.stack} that announces`,
          `name one of ${[...metros].join(", ")}`,
        );
      const r = readReceivedRoutes(readSource(file), file, metro);
      io.err(`  ${file}: ${r.routes.length} routes Microsoft received at ${metro}`);
      if (r.nextLink !== undefined)
        io.err(
          `  ${file}: holds one page of several (nextLink); the routes of the other pages are not read (--azure reads every page)`,
        );
      all.push(r);
      sources.push(`receivedRoutes of ${metro} (${path.basename(file)})`);
    }
    const frrFiles = new Map<string, number>();
    for (const { router, file } of opts.frr) {
      const r = readFrrJson(readSource(file), file, router);
      io.err(`  ${file}: FRR ${r.kind} of ${router}, ${r.routes.length} paths, ${r.sessions.length} sessions`);
      all.push(r);
      frrFiles.set(router, (frrFiles.get(router) ?? 0) + 1);
    }
    for (const [router, n] of frrFiles) sources.push(`FRR of ${router} (${plural(n, "file")})`);
    // One target (one credential, the CA read once) for every Azure read of the run.
    const target =
      opts.azure || opts.telemetry
        ? azureTarget(opts, await credentialFor(opts.endpoint, env, "analyze"), plan.sp.resourceGroup, io.err)
        : undefined;
    if (opts.azure && target) {
      all.push(await readAzureSources(target, plan));
      sources.push(`Azure at ${opts.endpoint}`);
    }
    let telemetry: { snapshot: TelemetrySnapshot; analysis: TelemetryAnalysis } | undefined;
    if (opts.telemetry && target) {
      telemetry = await readTelemetrySource(opts, target, plan, intent, io.err, now());
      sources.push(`Azure Monitor (${telemetry.snapshot.window.start} to ${telemetry.snapshot.window.end})`);
    }
    const observations = mergeObservations(all);
    let analysis = withEvents(analyze(intent, observations), telemetry?.analysis.events ?? []);
    let malformed = 0;
    if (opts.mrt.length > 0) {
      const view = new PublicView(intent, opts.upstreams.length > 0 ? { upstreams: opts.upstreams } : {});
      for (const file of opts.mrt) {
        const bad: MrtError[] = [];
        const skipped = new Map<string, number>();
        const summary = await readMrtFile(
          file,
          {
            route: (r) => view.observe(r, file),
            malformed: (e) => bad.push(e),
            skipped: (s) => skipped.set(s.reason, (skipped.get(s.reason) ?? 0) + 1),
          },
          {
            onProgress: (bytes) =>
              io.err(`  ${file}: ${Math.round(bytes / 1e6)} MB read, ${view.routes} routes so far`),
          },
        );
        io.err(
          `  ${file}: MRT (${summary.compression === "none" ? "plain" : summary.compression}), ${summary.records} records, ${summary.routes} routes`,
        );
        for (const [reason, n] of skipped) io.err(`  ${file}: ${plural(n, "record")} skipped: ${reason}`);
        for (const e of bad.slice(0, 10)) io.err(`  ${file}: malformed record skipped: ${e.message}`);
        if (bad.length > 10) io.err(`  ${file}: ... and ${bad.length - 10} more malformed records`);
        malformed += bad.length;
        sources.push(`MRT ${path.basename(file)}`);
      }
      analysis = withPublicView(analysis, view, opts.mrt);
    }
    io.out(opts.json ? analysisJsonLines(analysis) : formatAnalysisTable(analysis, sources));
    if (opts.prom !== undefined) {
      const text = await analysisPrometheus(analysis);
      writeAtomically(opts.prom, text);
      io.err(`Prometheus metrics written to ${opts.prom}`);
    }
    if (opts.html !== undefined) {
      const page = renderPage({
        plan,
        events: analysis.events,
        generatedAt: now().toISOString(),
        ...(telemetry ? { telemetry } : {}),
        // Only receivedRoutes name the metro a route entered at.
        ...(opts.receivedRoutes.length > 0 || opts.azure ? { seenAt: seenAtOf(observations) } : {}),
      });
      writeAtomically(opts.html, page);
      io.err(`Page written to ${opts.html}`);
    }
    io.err(
      `Analyzed ${analysis.counts.routes} routes and ${analysis.counts.sessions} sessions in ${Math.round(Number(process.hrtime.bigint() - started) / 1e6)} ms: ${analysis.counts.critical} critical, ${analysis.counts.warning} warnings.`,
    );
    if (malformed > 0) {
      io.err(
        `analyze: ${plural(malformed, "malformed MRT record")} skipped (named above): the report leaves them out. Fix: fetch the dump again; a collector's file that stays malformed is worth a report to its operator`,
      );
      return EXIT.input;
    }
    return exitCodeOf(analysis);
  } catch (e) {
    if (e instanceof InputError || e instanceof AzureOptionError) {
      io.err(`analyze: ${e.message}. Fix: ${e.fix}`);
      return EXIT.input;
    }
    if (e instanceof MrtFileError) {
      io.err(
        `analyze: ${e.message}. Fix: give an MRT dump (TABLE_DUMP_V2 or BGP4MP; plain, gzip or bzip2), complete: a download cut short is truncated`,
      );
      return EXIT.input;
    }
    if (e instanceof StackNotFoundError) {
      io.err(e.message);
      return EXIT.input;
    }
    if (e instanceof AzureReadError) {
      io.err(`analyze: ${e.message.replace(/\.+$/, "")}. Fix: ${e.fix}`);
      return e.kind === "malformed" ? EXIT.input : EXIT.unavailable;
    }
    throw e;
  }
}

if (require.main === module) {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log(USAGE);
    process.exit(0);
  }
  runCli("analyze", () =>
    runAnalyze(process.argv.slice(2), process.env, {
      out: (s) => process.stdout.write(`${s}\n`),
      err: (s) => process.stderr.write(`${s}\n`),
    }),
  );
}
