/**
 * Benchmarks: `npm run bench`. Median wall time of each stage on the lab stack, the same stages on
 * synthetic stacks of growing size (to show the plan stays near-linear), and the whole offline plan
 * (the Pulumi program under the mock runtime) once.
 */
import { performance } from "perf_hooks";
import { readStackFiles } from "../load/files";
import { parseInventory, type StackFiles } from "../load/load";
import { buildPlan } from "../plan/plan";
import { createRenderer, loadTemplateSources, redactingResolver } from "../render";
import type { Plan } from "../plan/model";
import { runOfflinePlan } from "../cli/plan";

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(runs: number, fn: () => T): { ms: number; result: T } {
  let result = fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = fn();
    samples.push(performance.now() - t);
  }
  return { ms: median(samples), result };
}

function planOf(files: StackFiles): Plan {
  const inv = parseInventory(files);
  if (!inv.ok) throw new Error("bench inventory rejected");
  const plan = buildPlan(inv.value);
  if (!plan.ok) throw new Error(plan.problems.map((p) => p.message).join("; "));
  return plan.value;
}

/** A stack with `n` metros of two FRR legs each, addressed from a /16 and a /104 pool. */
function syntheticStack(n: number): StackFiles {
  const lab = readStackFiles("lab");
  const sp = {
    ...lab.sp,
    text: lab.sp.text.replace("ipv4: 192.0.2.0/26", "ipv4: 10.64.0.0/16").replace("ipv6: 2001:db8:ffff::/120", "ipv6: 2001:db8:ffff::/104"),
  };
  const metros = Array.from({ length: n }, (_, i) => ({
    file: `stacks/bench/metros/m${String(i).padStart(4, "0")}.yaml`,
    text: `peeringLocation: Metro ${i}
peeringDbFacilityId: ${1000 + i}
region: europe-west
latitude: 50
longitude: 5
legs:
  - name: a
    router: { hostname: m${i}-edge-1, vendor: frr }
    interface: bond-msft
    members: [{ interface: ens1f0, speedGbps: 100 }]
  - name: b
    router: { hostname: m${i}-edge-2, vendor: frr }
    interface: bond-msft
    members: [{ interface: ens1f0, speedGbps: 100 }]
`,
  }));
  return { stack: "bench", sp, metros, lockFile: "stacks/bench/allocations.lock.yaml" };
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const lab = readStackFiles("lab");
  const renderer = createRenderer(loadTemplateSources());

  const load = time(50, () => parseInventory(lab));
  rows.push(["lab: load (parse + schema)", "6 legs", load.ms.toFixed(2)]);
  const plan = time(50, () => planOf(lab));
  rows.push(["lab: load + plan", "12 sessions", plan.ms.toFixed(2)]);
  const render = time(50, () => plan.result.routers.map((r) => renderer.render(r, redactingResolver).text));
  rows.push(["lab: render all routers", `${plan.result.routers.length} configs`, render.ms.toFixed(2)]);

  for (const n of [50, 200, 800]) {
    const files = syntheticStack(n);
    const p = time(5, () => planOf(files));
    rows.push([`synthetic: load + plan`, `${n} metros, ${p.result.sessions.length} sessions`, p.ms.toFixed(1)]);
    const r = time(3, () => p.result.routers.map((x) => renderer.render(x, redactingResolver).text));
    rows.push([`synthetic: render`, `${p.result.routers.length} configs`, r.ms.toFixed(1)]);
  }

  const t = performance.now();
  await runOfflinePlan("lab");
  rows.push(["lab: offline plan (program under Pulumi mocks, first run)", "16 resources", (performance.now() - t).toFixed(0)]);

  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ["benchmark", "size", "median ms"][i].length));
  const line = (c: string[]) => c.map((x, i) => (i === 2 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join("  ");
  console.log(line(["benchmark", "size", "median ms"]));
  for (const r of rows) console.log(line(r));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
