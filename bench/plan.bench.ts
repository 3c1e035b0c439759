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
import { urnOf } from "../cli/policies";
import type { RecordedResource } from "../cli/mockRuntime";
import { formatAddress } from "../plan/addressing";
import { readPackConfig, runPolicies, type DeclaredResource } from "../policies/run";
import { REPO_ROOT } from "../load/files";
import { stackPaths } from "../load/stackPaths";
import * as path from "path";

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
    // The synthetic metros are m0000 and on: no registerAt naming a lab metro.
    text: lab.sp.text
      .replace("ipv4: 192.0.2.0/26", "ipv4: 10.64.0.0/16")
      .replace("ipv6: 2001:db8:ffff::/120", "ipv6: 2001:db8:ffff::/104")
      .replace(/\n    registerAt: .*/g, ""),
  };
  const metros = Array.from({ length: n }, (_, i) => ({
    file: stackPaths("bench").metro(`m${String(i).padStart(4, "0")}`),
    text: `peeringLocation: Metro ${i}
peeringDbFacilityId: ${1000 + i}
region: europe-west
latitude: 50
longitude: 5
status: active
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
  return { stack: "bench", sp, metros, lockFile: stackPaths("bench").lock };
}

/**
 * The lab's declared resources grown to `n` metros for the policy pack: each metro a copy of
 * Amsterdam's peering with its own name, routers and session prefixes; the lab's registrations once,
 * on the first.
 */
function syntheticResources(lab: RecordedResource[], n: number): DeclaredResource[] {
  const custom = lab.filter((r) => r.custom);
  const template = custom.filter((r) => r.name.startsWith("sp-amsterdam-"));
  const registrations = custom
    .filter((r) => /Registered/.test(r.type))
    .map((r) => ({ ...r, inputs: { ...r.inputs, peeringName: "maps-as64500-m0" } }));
  const out: DeclaredResource[] = [
    ...custom.filter((r) => r.type === "azure-native:peering:PeerAsn"),
    ...registrations,
  ].map((r) => ({ ...r, urn: urnOf("bench", r) }));
  for (let i = 0; i < n; i++) {
    const metro = `m${i}`;
    const text = JSON.stringify(template)
      .replaceAll("sp-amsterdam-", `sp-${metro}-`)
      .replaceAll("maps-as64500-amsterdam", `maps-as64500-${metro}`)
      .replaceAll('"Amsterdam"', `"Metro ${i}"`)
      .replaceAll('"amsterdam"', `"${metro}"`)
      .replaceAll("ams-edge-", `${metro}-edge-`);
    const copies = JSON.parse(text) as RecordedResource[];
    for (const c of copies) {
      const connections =
        (c.inputs.direct as { connections?: Array<{ bgpSession: Record<string, unknown> }> } | undefined)
          ?.connections ?? [];
      connections.forEach((conn, leg) => {
        const v4 = BigInt(0x0a400000 + 4 * i + 2 * leg);
        const v6 = (0x20010db8ffffn << 80n) + BigInt(4 * i + 2 * leg);
        Object.assign(conn.bgpSession, {
          sessionPrefixV4: `${formatAddress("ipv4", v4)}/31`,
          microsoftSessionIPv4Address: formatAddress("ipv4", v4),
          peerSessionIPv4Address: formatAddress("ipv4", v4 + 1n),
          sessionPrefixV6: `${formatAddress("ipv6", v6)}/127`,
          microsoftSessionIPv6Address: formatAddress("ipv6", v6),
          peerSessionIPv6Address: formatAddress("ipv6", v6 + 1n),
        });
      });
      out.push({ ...c, urn: urnOf("bench", c) });
    }
  }
  return out;
}

function main(): void {
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
  const labRun = runOfflinePlan("lab");
  rows.push([
    "lab: offline plan (program under Pulumi mocks, first run)",
    `${labRun.resources.filter((r) => r.custom).length} resources`,
    (performance.now() - t).toFixed(0),
  ]);

  const policyConfig = readPackConfig(path.join(REPO_ROOT, "stacks/Pulumi.lab.policy.json"));
  const labDeclared = labRun.resources.filter((r) => r.custom).map((r) => ({ ...r, urn: urnOf("lab", r) }));
  const labPolicies = time(50, () => runPolicies(labDeclared, policyConfig));
  const mandatory = (v: { violations: Array<{ enforcementLevel: string; message: string }> }) =>
    v.violations.filter((x) => x.enforcementLevel === "mandatory");
  if (mandatory(labPolicies.result).length > 0) throw new Error("bench: the lab stack violates a mandatory policy");
  rows.push(["lab: all policies in-process", `${labDeclared.length} resources`, labPolicies.ms.toFixed(2)]);
  for (const n of [50, 200, 800, 3200]) {
    const resources = syntheticResources(labRun.resources, n);
    const run = time(3, () => runPolicies(resources, policyConfig));
    if (mandatory(run.result).length > 0)
      throw new Error(`bench: synthetic stack violates: ${mandatory(run.result)[0].message}`);
    rows.push([
      "synthetic: all policies in-process",
      `${n} metros, ${resources.length} resources, ${4 * n} sessions`,
      run.ms.toFixed(1),
    ]);
  }

  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((r) => r[i].length), ["benchmark", "size", "median ms"][i].length),
  );
  const line = (c: string[]) => c.map((x, i) => (i === 2 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join("  ");
  console.log(line(["benchmark", "size", "median ms"]));
  for (const r of rows) console.log(line(r));
}

main();
