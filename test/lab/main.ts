/**
 * `npm run lab -- --stack lab [--repeat N]`: builds the lab of a stack, runs every check and
 * scenario, prints the short report and tears everything down; with `--repeat N`, N whole runs,
 * then the pass count and the spread (min / median / max) of every figure.
 * `npm run lab -- --cleanup` removes what killed runs left behind.
 */
import { bringUpCounters, productSessions, routesFrom, unsignedTcpConnects, waitConverged } from "./checks";
import { cleanupLeftovers, Lab } from "./lab";
import { spreads } from "./figures";
import { formatPath } from "./paths";
import {
  customerPrepend,
  maxPrefixFlood,
  microsoftRejectsPrepend,
  nearestEdge,
  oneLegLinkDown,
  oneLegSilentFailure,
  oneMetroDown,
  PROBE_INTERVAL_MS,
  type FailoverResult,
} from "./scenarios";
import { missingPrerequisites } from "./system";
import { deployMetros, deployProblems, deployScenario, LAB_DEPLOY_SETTINGS, LabSsh, type DeployResult } from "./deploy";

const USAGE = "usage: npm run lab -- [--stack <name>] [--repeat <N>] [--only deploy] | --cleanup";

interface Options {
  stack: string;
  repeat: number;
  cleanup: boolean;
  /** Only the bring-up and the deploy proof (`--only deploy`), for work on the deploy. */
  only?: "deploy";
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { stack: "lab", repeat: 1, cleanup: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined) fail(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--stack" || a === "-s") opts.stack = value(++i, a);
    else if (a.startsWith("--stack=")) opts.stack = a.slice("--stack=".length);
    else if (a === "--repeat" || a === "-n") opts.repeat = Number(value(++i, a));
    else if (a.startsWith("--repeat=")) opts.repeat = Number(a.slice("--repeat=".length));
    else if (a === "--cleanup") opts.cleanup = true;
    else if (a === "--only") {
      if (value(++i, a) !== "deploy") fail("--only takes deploy");
      opts.only = "deploy";
    } else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument ${JSON.stringify(a)}`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(opts.stack))
    fail(
      `--stack ${JSON.stringify(opts.stack)} is not a stack name. Fix: name a folder under stacks/, e.g. --stack lab`,
    );
  if (!Number.isInteger(opts.repeat) || opts.repeat < 1 || opts.repeat > 1000)
    fail(`--repeat must be a whole number from 1 to 1000`);
  return opts;
}

function fail(message: string): never {
  console.error(`lab: ${message}. ${USAGE}`);
  process.exit(2);
}

const ms = (n: number) => `${Math.round(n)} ms`;

/** One run's outcome: its report, its figures (name → ms) and the checks that failed. */
interface RunResult {
  lines: string[];
  figures: Array<[string, number]>;
  failed: string[];
}

/** Ends a run early after the part `--only` asked for. */
class SkipRest extends Error {}

function failoverLines(r: FailoverResult): string[] {
  const pathOk =
    formatPath(r.after.forward) === formatPath(r.expected.forward) &&
    formatPath(r.after.back) === formatPath(r.expected.back);
  return [
    `  ${`${r.scenario}, ${r.metro}`.padEnd(52)} outage ${ms(r.outage.outageMs).padStart(7)} (${r.outage.lost}/${r.outage.sent} probes lost)${r.outage.recovered ? "" : "  NOT RECOVERED"}; restored ${ms(r.restoredAfterMs)} after the repair`,
    `    failed ${r.failed.join(" + ")}`,
    `    to the service:   ${formatPath(r.after.forward)}${pathOk ? "" : `   EXPECTED ${formatPath(r.expected.forward)}`}`,
    `    back:             ${formatPath(r.after.back)}${pathOk ? "" : `   EXPECTED ${formatPath(r.expected.back)}`}`,
  ];
}

function deployLines(r: DeployResult): string[] {
  const [a, b] = r.routers;
  const steps = (list: DeployResult["adopt"]) =>
    list.map((s) => `${s.router} ${s.step}${s.code === 0 ? "" : " FAILED"} (${ms(s.ms)})`).join(" → ");
  return [
    `  ${r.metro}: adopt (first push of the running rendering): ${steps(r.adopt)}`,
    `    good change (max-prefix, a session's: drained first): ${steps(r.good.steps)}; ${r.good.probes.lost}/${r.good.probes.sent} probes lost`,
    `      leg a ${r.good.drained ? "drained, changed, undrained" : "NOT DRAINED"}: traffic off leg a ${r.good.drainMs.sp === undefined ? "NEVER" : ms(r.good.drainMs.sp)} (to Microsoft) and ${r.good.drainMs.msft === undefined ? "NEVER" : ms(r.good.drainMs.msft)} (from Microsoft) after the drain was applied; ${r.good.back ? "back on leg a after the undrain" : "NOT BACK on leg a"}`,
    `    bad change on leg a (${a}: Microsoft's ASN mistyped): gate said:${r.gateFinding ? ` ${r.gateFinding}` : " NOTHING"}`,
    `      ${steps(r.bad.steps)}; ${r.bad.rolledBack ? "rolled back" : "NOT ROLLED BACK"}${r.bad.rollbackMs === undefined ? "" : `, healthy again (held ${LAB_DEPLOY_SETTINGS.gate.holdSeconds} s) ${ms(r.bad.rollbackMs)} after the gate gave up at ${LAB_DEPLOY_SETTINGS.gate.timeoutSeconds} s`}; ${r.bad.probes.lost}/${r.bad.probes.sent} probes lost; leg b (${b}) ${r.bad.legBSteps === 0 && r.bad.legBUnchanged ? "never touched" : `TOUCHED (${r.bad.legBSteps} steps)`}`,
    `    the stack's rendering again: ${steps(r.restore)}`,
  ];
}

async function deployProof(
  lab: Lab,
  lines: string[],
  figures: Array<[string, number]>,
  check: (ok: boolean, what: string) => void,
) {
  const ssh = await LabSsh.start(lab);
  const metros = deployMetros(lab);
  lines.push(
    `Deploy (the remote.Command strings over SSH, sshd in the routers' namespaces; gate ${LAB_DEPLOY_SETTINGS.gate.timeoutSeconds} s, held ${LAB_DEPLOY_SETTINGS.gate.holdSeconds} s; drain ${LAB_DEPLOY_SETTINGS.drainSeconds} s; probes every 10 ms):`,
  );
  for (const metro of metros) {
    const r = await deployScenario(lab, ssh, metro);
    lines.push(...deployLines(r));
    figures.push(
      [`deploy ${metro}: good change, probes lost`, r.good.probes.lost],
      [`deploy ${metro}: bad change, probes lost`, r.bad.probes.lost],
      ...(r.good.drainMs.sp === undefined
        ? []
        : [[`deploy ${metro}: drain, traffic to Microsoft off leg a (ms)`, r.good.drainMs.sp] as [string, number]]),
      ...(r.good.drainMs.msft === undefined
        ? []
        : [[`deploy ${metro}: drain, traffic from Microsoft off leg a (ms)`, r.good.drainMs.msft] as [string, number]]),
    );
    if (r.bad.rollbackMs !== undefined)
      figures.push([`deploy ${metro}: rollback, gate gave up → healthy (held)`, r.bad.rollbackMs]);
    const problems = deployProblems(r);
    check(problems.length === 0, `deploy ${metro}: ${problems.join(", ")}`);
  }
}

async function runOnce(stack: string, log: (line: string) => void, only?: "deploy"): Promise<RunResult> {
  const started = Date.now();
  const lines: string[] = [];
  const figures: Array<[string, number]> = [];
  const failed: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failed.push(what);
  };
  const lab = await Lab.start({ stack, log });
  // Ctrl-C must not leave namespaces and daemons behind either.
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`lab: ${signal}: tearing down`);
    void lab.teardown().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const t = lab.topology;
  try {
    const convergedMs = await waitConverged(lab, 60_000);
    figures.push(
      ["bring-up: all BGP sessions Established (after start)", lab.establishedAfterMs],
      ["bring-up: converged (after Established)", convergedMs],
    );
    const sessions = await productSessions(lab);
    const up = sessions.filter((s) => s.state === "Established" && s.bfd === "up");
    lines.push(
      `Lab of stack ${stack}: ${t.sp.length} SP edges (the product's config unchanged: ${
        t.sp
          .filter((e) => e.daemon === "bird")
          .map((e) => `${e.hostname} on BIRD 2`)
          .join(", ") || "no BIRD router"
      }, the others on FRR), ${t.msft.length} Microsoft edges, ${t.customers.length} customer sites, ${t.plan.metros.length} metros`,
    );
    lines.push(
      `  backbones: IS-IS, ${t.spBackbone.length} links each; long-haul metrics ${[...new Set(t.spBackbone.filter((l) => l.kind === "long-haul").map((l) => `${l.a.replace(/-.*$/, "")}–${l.b.replace(/-.*$/, "")} ${l.metric}`))].join(", ")}`,
    );
    lines.push(
      `  BGP sessions Established: ${lab.sessionCount} (${sessions.length} to AS8075 from the product configs: ${up.length} Established with BFD up, ${sessions.filter((s) => s.md5).length} with MD5)`,
    );
    lines.push(
      `  all sessions Established ${ms(lab.establishedAfterMs)} after start; converged ${ms(convergedMs)} later`,
    );
    const counters = await bringUpCounters(lab);
    const unclean = counters.filter((c) => c.established !== 1 || c.dropped !== 0 || c.bfdUp !== 1 || c.bfdDown !== 0);
    lines.push(
      `  bring-up: ${counters.length} session ends to AS8075, ${unclean.length === 0 ? "each Established once, no reset, no BFD down" : `NOT CLEAN: ${unclean.map((c) => `${c.session} established ${c.established} dropped ${c.dropped} BFD up ${c.bfdUp} down ${c.bfdDown}`).join("; ")}`}`,
    );
    check(unclean.length === 0 && up.length === sessions.length, "bring-up");
    if (only === "deploy") {
      await deployProof(lab, lines, figures, check);
      throw new SkipRest();
    }
    const keyed = t.msft.filter((m) => m.leg.md5KeySecret !== undefined);
    const enforced: string[] = [];
    for (const m of keyed) if (!(await unsignedTcpConnects(lab, m))) enforced.push(m.leg.id);
    lines.push(
      `  MD5 enforced (an unsigned TCP SYN to the SP's BGP port is dropped): ${enforced.join(", ") || "none"} of ${keyed.map((m) => m.leg.id).join(", ") || "no keyed leg"}`,
    );
    check(enforced.length === keyed.length, "MD5");
    let leaks = 0;
    for (const m of t.msft) {
      for (const afi of ["ipv4", "ipv6"] as const) {
        const r = await routesFrom(lab, m.ns, afi, m.leg[afi].sp);
        if (r.received.join() !== [...t.registered[afi]].sort().join()) leaks++;
      }
    }
    lines.push(
      `  Microsoft learns exactly the registered prefixes on every leg: ${leaks === 0 ? "yes" : `NO (${leaks} leg/family mismatches)`}`,
    );
    check(leaks === 0, "exact announcements");
    const prepend = await customerPrepend(lab);
    const withheld =
      prepend.heldAt.length === t.sp.length &&
      prepend.receivedAt.length === 0 &&
      prepend.restoredAt.length === t.msft.length;
    lines.push(
      `  a customer path prepended (${prepend.prefix} ${prepend.prependedPath}): held by ${prepend.heldAt.length}/${t.sp.length} SP edges, received by ${prepend.receivedAt.length} Microsoft edges (${withheld ? "withheld by the SP" : "NOT WITHHELD"}), back at ${prepend.restoredAt.length}/${t.msft.length} once it stops`,
    );
    check(withheld, "prepended path withheld");
    const filter = await microsoftRejectsPrepend(lab);
    lines.push(
      `  Microsoft's simulated filter on its own: ${filter.injectedPath} injected at its edge, received ${filter.receivedPath ?? "nothing"}, ${filter.accepted ? "ACCEPTED" : "rejected"}`,
    );
    check(filter.receivedPath === filter.injectedPath && !filter.accepted, "Microsoft filter");
    lines.push(`Nearest edge (a customer in each metro, ${PROBE_INTERVAL_MS} ms probes):`);
    for (const metro of t.customers.map((c) => c.metro)) {
      const r = await nearestEdge(lab, metro);
      const ok =
        formatPath(r.paths.forward) === formatPath(r.expected.forward) &&
        formatPath(r.paths.back) === formatPath(r.expected.back) &&
        r.received === r.sent;
      lines.push(
        `  ${metro.padEnd(10)} ${formatPath(r.paths.forward)}; back ${formatPath(r.paths.back)} (${r.received}/${r.sent} probes)${ok ? "" : "  NOT THE NEAREST EDGE"}`,
      );
      check(ok, `nearest edge ${metro}`);
    }
    lines.push(
      `Failover (probes customer → service host every ${PROBE_INTERVAL_MS} ms; outage = lost probes × ${PROBE_INTERVAL_MS} ms):`,
    );
    const metros = t.customers.map((c) => c.metro);
    const scenarios: Array<[(lab: Lab, metro: string) => Promise<FailoverResult>, string]> = [
      ...metros.map((m) => [oneLegLinkDown, m] as [typeof oneLegLinkDown, string]),
      [oneLegSilentFailure, metros[0]],
      ...metros.map((m) => [oneMetroDown, m] as [typeof oneMetroDown, string]),
    ];
    for (const [scenario, metro] of scenarios) {
      const r = await scenario(lab, metro);
      lines.push(...failoverLines(r));
      figures.push(
        [`${r.scenario}, ${metro}: outage`, r.outage.outageMs],
        [`${r.scenario}, ${metro}: restored after repair`, r.restoredAfterMs],
      );
      const pathOk =
        formatPath(r.after.forward) === formatPath(r.expected.forward) &&
        formatPath(r.after.back) === formatPath(r.expected.back);
      // The same bounds as test/lab/lab.test.ts: a leg fails over within a second, a metro within two.
      const bound = scenario === oneMetroDown ? 2000 : 1000;
      check(r.outage.recovered && pathOk && r.outage.outageMs < bound, `${r.scenario}, ${metro}`);
      if (scenario === oneLegSilentFailure && r.outage.outageMs >= 1000) {
        failed.push("silent failure under 1 s");
        lines.push("  SILENT FAILURE OUTAGE NOT UNDER 1 s: BFD as rendered must detect it sooner");
      }
    }
    await deployProof(lab, lines, figures, check);
    const mp = await maxPrefixFlood(lab);
    figures.push(["max-prefix flood: session down after", mp.reactedAfterMs]);
    lines.push(
      `Max-prefix: ${mp.flooded} IPv6 prefixes flooded on leg ${mp.leg} against \`${mp.configured}\`: session ${mp.stateAfter} after ${ms(mp.reactedAfterMs)} (sent ${mp.notification}; retries in ${mp.restartInMinutes} min); IPv4 session ${mp.otherFamilyState}`,
    );
    check(mp.stateAfter === "Idle (PfxCt)" && mp.otherFamilyState === "Established", "max-prefix");
  } catch (e) {
    if (!(e instanceof SkipRest)) failed.push(e instanceof Error ? e.message : String(e));
  } finally {
    await lab.teardown();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    const left = await lab.leftovers();
    lines.push(
      left.length === 0 ? "Teardown: no namespace, link, process or file left" : `Teardown LEFT: ${left.join(", ")}`,
    );
    check(left.length === 0, "teardown");
  }
  const runMs = Date.now() - started;
  figures.push(["lab run", runMs]);
  lines.push(`Lab run: ${ms(runMs)}${failed.length === 0 ? "" : `; FAILED: ${failed.join("; ")}`}`);
  return { lines, figures, failed };
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    console.error(`lab: cannot run here:\n  ${missing.join("\n  ")}`);
    return 1;
  }
  if (opts.cleanup) {
    const removed = await cleanupLeftovers();
    console.log(removed.length ? `lab: removed\n  ${removed.join("\n  ")}` : "lab: nothing left over");
    return 0;
  }
  const runs: RunResult[] = [];
  for (let i = 1; i <= opts.repeat; i++) {
    if (opts.repeat > 1) console.log(`=== run ${i} of ${opts.repeat}`);
    const r = await runOnce(opts.stack, (l) => console.error(l), opts.only).catch((e: unknown): RunResult => ({
      lines: [`lab: ${e instanceof Error ? e.message : String(e)}`],
      figures: [],
      failed: ["start"],
    }));
    runs.push(r);
    console.log(r.lines.join("\n"));
  }
  if (opts.repeat > 1) {
    const passed = runs.filter((r) => r.failed.length === 0).length;
    console.log(
      `\n${passed} of ${runs.length} runs passed${
        passed === runs.length
          ? ""
          : `; failed: ${runs
              .map((r, i) => (r.failed.length ? `run ${i + 1} (${r.failed.join("; ")})` : ""))
              .filter(Boolean)
              .join(", ")}`
      }`,
    );
    console.log(
      `${"figure".padEnd(80)} ${"n".padStart(3)} ${"min".padStart(8)} ${"median".padStart(8)} ${"max".padStart(8)}`,
    );
    for (const s of spreads(runs.map((r) => r.figures))) {
      console.log(
        `${s.figure.padEnd(80)} ${String(s.n).padStart(3)} ${ms(s.min).padStart(8)} ${ms(s.median).padStart(8)} ${ms(s.max).padStart(8)}`,
      );
    }
  }
  return runs.every((r) => r.failed.length === 0) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`lab: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
