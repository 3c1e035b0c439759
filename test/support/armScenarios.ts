/**
 * Named worlds for the fake ARM endpoint: a stack and what Azure says of it. The tests use them,
 * and `npm run fake-arm -- <scenario>` serves one for a reader to run `npm run status` against.
 */
import * as path from "path";
import { loadStack, REPO_ROOT } from "../../load/files";
import type { Inventory } from "../../load/inventory";
import { formatProblems } from "../../load/problem";
import type { Plan } from "../../plan/model";
import { buildPlan } from "../../plan/plan";
import { azureAsPlanned, connectionOf, registeredPrefixOf } from "./armWorld";
import type { ArmWorld } from "./fakeArm";

export interface Scenario {
  description: string;
  /** The folder holding `stacks/` (`--root`). */
  root: string;
  stack: string;
  build(plan: Plan): ArmWorld;
}

export const ONBOARDING_ROOT = path.join(REPO_ROOT, "test/fixtures/stacks/onboarding");

/**
 * The onboarding fixture as Azure reports it a few days on: Frankfurt's connections went Active
 * (the inventory still says provisioning), London's request is half approved and Microsoft has
 * assigned leg b's addresses, and Microsoft is still validating one of Amsterdam's prefixes.
 */
export function onboardingWorld(plan: Plan): ArmWorld {
  const world = azureAsPlanned(plan, {
    stages: { frankfurt: "active", "london/a": "pending", "london/b": "approved" },
  });
  const b = connectionOf(world, plan, "london/b");
  b.bgpSession = {
    ...b.bgpSession,
    sessionPrefixV4: "192.0.2.62/31",
    microsoftSessionIPv4Address: "192.0.2.62",
    peerSessionIPv4Address: "192.0.2.63",
    sessionPrefixV6: "2001:db8:ffff::fe/127",
    microsoftSessionIPv6Address: "2001:db8:ffff::fe",
    peerSessionIPv6Address: "2001:db8:ffff::ff",
  };
  registeredPrefixOf(world, "2001:db8:1000::/48").r.properties.prefixValidationState = "Pending";
  return world;
}

export const SCENARIOS: Record<string, Scenario> = {
  lab: {
    description: "the lab stack exactly as planned: every metro Active, every registration Verified (in sync)",
    root: REPO_ROOT,
    stack: "lab",
    build: (plan) => azureAsPlanned(plan),
  },
  onboarding: {
    description:
      "test/fixtures/stacks/onboarding a few days on: Frankfurt Active, London half approved with leg b's addresses assigned, a prefix still Pending",
    root: ONBOARDING_ROOT,
    stack: "onboarding",
    build: onboardingWorld,
  },
};

/** A stack's inventory and plan (the test's view of what `npm run status` loads). */
export function loadScenarioStack(root: string, stack: string): { inventory: Inventory; plan: Plan } {
  const inv = loadStack(stack, root);
  if (!inv.ok) throw new Error(formatProblems(inv.problems));
  const plan = buildPlan(inv.value);
  if (!plan.ok) throw new Error(formatProblems(plan.problems));
  return { inventory: inv.value, plan: plan.value };
}
