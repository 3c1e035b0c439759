/**
 * `npm run lab -- --stack lab`: builds the FRR lab of a stack, runs every scenario, prints the short
 * report, tears everything down. `npm run lab -- --cleanup` removes what killed runs left behind.
 */
import { cleanupLeftovers, Lab } from "./lab";
import { productSessions, routesFrom, unsignedTcpConnects, waitConverged } from "./checks";
import { maxPrefixFlood, oneLegLinkDown, oneLegSilentFailure, oneMetroDown, type FailoverResult } from "./scenarios";
import { missingPrerequisites } from "./system";

const USAGE = "usage: npm run lab -- [--stack <name>] | --cleanup";

function parseArgs(argv: string[]): { stack: string; cleanup: boolean } {
  let stack = "lab";
  let cleanup = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--stack" || a === "-s") stack = argv[++i] ?? "";
    else if (a.startsWith("--stack=")) stack = a.slice("--stack=".length);
    else if (a === "--cleanup") cleanup = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`lab: unknown argument ${JSON.stringify(a)}. ${USAGE}`);
      process.exit(2);
    }
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    console.error(`lab: --stack ${JSON.stringify(stack)} is not a stack name. Fix: name a folder under stacks/, e.g. --stack lab`);
    process.exit(2);
  }
  return { stack, cleanup };
}

const ms = (n: number) => `${Math.round(n)} ms`;

function failoverLine(r: FailoverResult): string {
  return `  ${r.scenario.padEnd(44)} outage ${ms(r.outage.outageMs).padStart(7)} (${r.outage.lost}/${r.outage.sent} probes lost at 10 ms)${r.outage.recovered ? "" : "  NOT RECOVERED"}\n` +
    `  ${"".padEnd(44)} failed ${r.failed.join(" + ")}; now ${r.pathAfter}; restored in ${ms(r.restoredAfterMs)} after the repair`;
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
  const started = Date.now();
  const lab = await Lab.start({ stack: opts.stack, log: (l) => console.error(l) });
  // Ctrl-C must not leave namespaces and daemons behind either.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`lab: ${signal}: tearing down`);
      void lab.teardown().finally(() => process.exit(130));
    });
  }
  const lines: string[] = [];
  let failures = 0;
  try {
    const convergedMs = await waitConverged(lab, 30_000);
    const sessions = await productSessions(lab);
    const up = sessions.filter((s) => s.state === "Established" && s.bfd === "up");
    lines.push(`FRR lab of stack ${opts.stack}: ${lab.topology.sp.length} SP edges (product FRR config, unchanged), ${lab.topology.msft.length} Microsoft edges, ${lab.topology.plan.metros.length} metros`);
    lines.push(`  BGP sessions Established: ${lab.sessionCount} (${sessions.length} to AS8075 from the product configs: ${up.length} Established with BFD up, ${sessions.filter((s) => s.md5).length} with MD5)`);
    lines.push(`  all sessions Established ${ms(lab.establishedAfterMs)} after start; routes converged ${ms(convergedMs)} later`);
    const keyed = lab.topology.msft.filter((m) => m.leg.md5KeySecret !== undefined);
    const enforced: string[] = [];
    for (const m of keyed) if (!(await unsignedTcpConnects(lab, m))) enforced.push(m.leg.id);
    lines.push(`  MD5 enforced (an unsigned TCP SYN to the SP's BGP port is dropped): ${enforced.join(", ") || "none"} of ${keyed.map((m) => m.leg.id).join(", ") || "no keyed leg"}`);
    if (enforced.length !== keyed.length) failures++;
    let leaks = 0;
    for (const m of lab.topology.msft) {
      for (const afi of ["ipv4", "ipv6"] as const) {
        const r = await routesFrom(lab, m.ns, afi, m.leg[afi].sp);
        const expected = lab.topology.registered[afi];
        if (r.received.join() !== [...expected].sort().join()) leaks++;
      }
    }
    lines.push(`  Microsoft learns exactly the registered prefixes on every leg: ${leaks === 0 ? "yes" : `NO (${leaks} leg/family mismatches)`}`);
    failures += leaks === 0 ? 0 : 1;
    lines.push("Failover (probes customer → service host every 10 ms; outage = lost probes × 10 ms):");
    for (const scenario of [oneLegLinkDown, oneLegSilentFailure, oneMetroDown]) {
      const r = await scenario(lab);
      if (!r.outage.recovered) failures++;
      lines.push(failoverLine(r));
      if (scenario === oneLegSilentFailure && r.outage.outageMs >= 1000) {
        failures++;
        lines.push("  SILENT FAILURE OUTAGE NOT UNDER 1 s: BFD as rendered must detect it sooner");
      }
    }
    const mp = await maxPrefixFlood(lab);
    lines.push(`Max-prefix: ${mp.flooded} IPv6 prefixes flooded on leg ${mp.leg} against \`${mp.configured}\`: session ${mp.stateAfter} after ${ms(mp.reactedAfterMs)} (sent ${mp.notification}; retries in ${mp.restartInMinutes} min); IPv4 session ${mp.otherFamilyState}`);
  } finally {
    await lab.teardown();
    const left = await lab.leftovers();
    lines.push(left.length === 0 ? "Teardown: no namespace, link, process or file left" : `Teardown LEFT: ${left.join(", ")}`);
    if (left.length > 0) failures++;
  }
  lines.push(`Lab run: ${ms(Date.now() - started)}`);
  console.log(lines.join("\n"));
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`lab: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
