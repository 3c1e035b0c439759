/**
 * The order of a rollout: metros in waves (every metro of a wave in parallel, each wave after the
 * one before), and within a metro one leg at a time, in the metro file's leg order. A leg's push
 * waits for a fresh health check of the leg before it, so the second router of a redundant pair is
 * never touched while the first is unhealthy. Only routers with a deploy target are pushed to,
 * and only while the lifecycle renders their legs (from `provisioning`: plan/lifecycle.ts).
 *
 * Pure: no Pulumi, no I/O.
 */
import { LIFECYCLE } from "../plan/lifecycle";
import type { Plan, RouterPlan } from "../plan/model";
import type { DeploySettings } from "./settings";

export interface MetroRollout {
  metro: string;
  /** Routers in the order they are pushed: by their first leg's position in the metro file. */
  routers: RouterPlan[];
}

/** Waves of metros, each metro's routers in push order. Metros without a deploy target are left out. */
export function rolloutWaves(
  plan: Pick<Plan, "metros" | "routers">,
  settings: Pick<DeploySettings, "targets" | "waves">,
): MetroRollout[][] {
  const byMetro = new Map<string, MetroRollout>();
  for (const metro of plan.metros) {
    const routers = plan.routers
      .filter((r) => r.metro.id === metro.id && settings.targets[r.hostname] !== undefined)
      .filter((r) => r.legs.some((l) => LIFECYCLE[l.status].rendered))
      .sort((a, b) => firstLeg(a) - firstLeg(b) || a.hostname.localeCompare(b.hostname));
    if (routers.length > 0) byMetro.set(metro.id, { metro: metro.id, routers });
  }
  const waves: MetroRollout[][] = [];
  const placed = new Set<string>();
  for (const wave of settings.waves) {
    const metros = wave.flatMap((id) => (byMetro.has(id) ? [byMetro.get(id) as MetroRollout] : []));
    metros.forEach((m) => placed.add(m.metro));
    if (metros.length > 0) waves.push(metros);
  }
  const rest = [...byMetro.values()].filter((m) => !placed.has(m.metro));
  if (rest.length > 0) waves.push(rest);
  return waves;
}

function firstLeg(r: RouterPlan): number {
  return Math.min(...r.legs.map((l) => l.position));
}
