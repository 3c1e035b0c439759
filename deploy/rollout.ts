/**
 * The order of a rollout: metros in waves (every metro of a wave in parallel, each wave after the
 * one before), and within a metro one leg at a time, in the metro file's leg order. A leg's push
 * waits for a fresh health check of the leg before it, so the second router of a redundant pair is
 * never touched while the first is unhealthy. Only routers with a deploy target are pushed to,
 * and only while the lifecycle renders their legs (from `provisioning`: plan/lifecycle.ts).
 *
 * Pure: no Pulumi, no I/O.
 */
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
  // plan.routers holds only routers whose legs the lifecycle renders (plan/plan.ts): grouped once.
  const pushed = new Map<string, RouterPlan[]>();
  for (const r of plan.routers) {
    if (settings.targets[r.hostname] === undefined) continue;
    const list = pushed.get(r.metro.id);
    if (list) list.push(r);
    else pushed.set(r.metro.id, [r]);
  }
  const byMetro = new Map<string, MetroRollout>();
  for (const metro of plan.metros) {
    const routers = pushed.get(metro.id);
    if (routers === undefined) continue;
    routers.sort((a, b) => firstLeg(a) - firstLeg(b) || a.hostname.localeCompare(b.hostname));
    byMetro.set(metro.id, { metro: metro.id, routers });
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
