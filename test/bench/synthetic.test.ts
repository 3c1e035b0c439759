/**
 * The benchmark's synthetic stacks are stacks the product accepts as they are: they load, plan
 * without a new allocation (the lock is complete), register each prefix once on an active metro,
 * mix every lifecycle state and every platform, and pass every mandatory policy.
 */
import { asRecorded } from "../../cli/declared";
import { urnOf } from "../../cli/policies";
import { syntheticStackFiles, type SyntheticSize } from "../../bench/synthetic";
import { allStackDeclarations, declareStackParts } from "../../declarations";
import { LIFECYCLE_STATES } from "../../plan/lifecycle";
import { planStack } from "../../plan/plan";
import { secretConfigKeys } from "../../plan/secrets";
import { runPolicies } from "../../policies/run";
import { VENDORS } from "../../vendors";

const POLICY_CONFIG = {
  "peering-service-settings": { allowDocumentationRanges: true },
  "registered-prefixes": { allowDocumentationRanges: true },
};

function planned(size: SyntheticSize) {
  const r = planStack(syntheticStackFiles(size));
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return r.value;
}

describe("synthetic stacks (bench/synthetic.ts)", () => {
  const size = { metros: 60, prefixes: 250 };
  const plan = planned(size);

  it("have the size asked for, two legs per metro, every lifecycle state and every platform", () => {
    expect(plan.metros).toHaveLength(60);
    expect(plan.sp.prefixes).toHaveLength(250);
    expect(plan.metros.every((m) => m.legs.length + m.legsAwaitingAddresses.length === 2)).toBe(true);
    expect(new Set(plan.metros.map((m) => m.status))).toEqual(new Set(LIFECYCLE_STATES));
    expect(new Set(plan.routers.map((r) => r.vendor))).toEqual(new Set(VENDORS));
  });

  it("come with a complete lock: nothing to allocate, every registration on its pinned, active home", () => {
    expect(plan.newAllocations).toEqual([]);
    const active = new Set(plan.metros.filter((m) => m.status === "active").map((m) => m.id));
    expect(plan.registrations.length).toBeGreaterThan(250);
    for (const r of plan.registrations) {
      expect(r.state).toBe("registered");
      expect(active.has(r.home ?? "")).toBe(true);
    }
  });

  it("pass every mandatory policy", () => {
    const config = Object.fromEntries(secretConfigKeys(plan).map((k) => [`peering-as-code:${k}`, `key-${k}`]));
    const resources = asRecorded(plan.stack, allStackDeclarations(declareStackParts(plan)), config).filter(
      (r) => r.custom,
    );
    const { violations } = runPolicies(
      resources.map((r) => ({ ...r, urn: urnOf(plan.stack, r) })),
      POLICY_CONFIG,
    );
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it("are the same for the same size", () => {
    expect(syntheticStackFiles({ metros: 7, prefixes: 30 })).toEqual(syntheticStackFiles({ metros: 7, prefixes: 30 }));
  });
});
