/**
 * Draining a leg before a change that affects its sessions (README, Deploying: "Drained first").
 *
 * A push that only changes policy (prefix-lists, route-maps, communities) is applied in one step:
 * the sessions stay up and routes are re-advertised. A push that changes what a session *is* (its
 * addresses, either ASN, the MD5 key, GTSM, BFD timers, the max-prefix limit, the LAG under it)
 * can reset it, and a reset costs the traffic on the leg until BFD and BGP notice and the other leg
 * takes over (the lab's failover figures). Such a push is done in three stages instead:
 *
 * 1. `drain`: the previous rendering with the router's sessions drained (RFC 8326: what we announce
 *    carries GRACEFUL_SHUTDOWN, what we learn gets local-pref 0); gated, then `drainSeconds` for
 *    Microsoft and our own network to move traffic to the other leg;
 * 2. `change`: the next rendering, still drained: the session may reset now, with no traffic on it;
 *    gated;
 * 3. `undrain`: the next rendering as declared; gated, then confirmed.
 *
 * A failure at any stage rolls back to the previous rendering (undrained, as it was). A leg the
 * inventory drains itself stays drained (no `undrain` stage); a leg that was already drained needs
 * no `drain` stage.
 *
 * What decides: the session facts (`sessionFacts`) of the previous push, which the router keeps
 * beside the previous rendering and its drained variant, against the next one's. The router holds
 * the three since the first push by this version; before that, a push is not drained automatically
 * and says so.
 *
 * Pure: no Pulumi, no I/O.
 */
import { createHash } from "crypto";
import type { RouterPlan } from "../plan/model";

/** What a push sends about the next rendering: the text, its drained variant, its session facts. */
export interface PushRendering {
  text: string;
  /** The same router rendered with every session drained (RFC 8326). */
  drained: string;
  /** `sessionFacts` of the router. */
  sessions: string;
}

/** What the router kept from the last confirmed push (`readPrevious`): empty text before the first. */
export interface PreviousRendering {
  text: string;
  /** Absent where the router was last pushed by a version that did not keep it. */
  drained?: string;
  sessions?: string;
}

export type StageName = "drain" | "change" | "undrain";

/** One stage of a push: from one rendering to the next. */
export interface PushStage {
  name: StageName;
  from: string;
  to: string;
}

export interface PushPlan {
  stages: PushStage[];
  /** Sessions whose facts change or which go away (the reason for the drain), `id: what`. */
  affected: string[];
  /** Why the push is or is not drained, one line for the log. */
  note: string;
}

/** The router with every leg and session drained: what the `drain` and `change` stages apply. */
export function drainedRouter(router: RouterPlan): RouterPlan {
  return {
    ...router,
    legs: router.legs.map((l) => ({ ...l, drain: true, sessions: l.sessions.map((s) => ({ ...s, drain: true })) })),
    sessions: router.sessions.map((s) => ({ ...s, drain: true })),
  };
}

/**
 * One line per session of the router, sorted by session id: everything a change of which can reset
 * the session or keep it from coming back. The MD5 key appears as the first 16 hex digits of its
 * sha256 (`md5` resolves a key by its secret config name), never as the key. Not in it: the
 * description, the policy (prefix-lists, communities), the connect-retry and restart timers, the
 * drain state itself: changing those does not reset a session.
 */
export function sessionFacts(router: RouterPlan, md5: (secretName: string) => string): string {
  const legs = new Map(router.legs.map((l) => [l.id, l]));
  const lines = router.sessions.map((s) => {
    const leg = legs.get(`${s.metro}/${s.leg}`);
    const lag = leg
      ? `${leg.interface}[${leg.members.map((m) => `${m.interface}@${m.speedGbps}G`).join(",")}] lacp ${leg.lacpRate}`
      : "-";
    const key = s.md5KeySecret
      ? `sha256:${createHash("sha256").update(md5(s.md5KeySecret)).digest("hex").slice(0, 16)}`
      : "none";
    const mp = s.maxPrefix;
    return [
      s.id,
      `local ${s.localAddress}/${s.prefixLength} AS${s.localAsn}`,
      `peer ${s.peerAddress} AS${s.peerAsn}`,
      `md5 ${key}`,
      `gtsm ${s.gtsm ? "on" : "off"}`,
      `bfd ${s.bfd.intervalMs}x${s.bfd.multiplier}`,
      `max-prefix ${mp.limit} ${mp.action}`,
      `interface ${lag}`,
    ].join(" | ");
  });
  return `${lines.sort().join("\n")}\n`;
}

/** The session id of a facts line. */
const idOf = (line: string) => line.slice(0, line.indexOf(" | "));

/**
 * Sessions of `previous` that `next` changes or no longer has, each as `id: what changed`. A session
 * only `next` has carries no traffic yet and needs no drain.
 */
export function affectedSessions(previous: string, next: string): string[] {
  const after = new Map(
    next
      .split("\n")
      .filter(Boolean)
      .map((l) => [idOf(l), l]),
  );
  const out: string[] = [];
  for (const line of previous.split("\n").filter(Boolean)) {
    const id = idOf(line);
    const now = after.get(id);
    if (now === undefined) out.push(`${id}: removed`);
    else if (now !== line) {
      const was = line.split(" | ");
      const is = now.split(" | ");
      const changed = is.filter((f, i) => f !== was[i]).map((f) => f.split(" ")[0]);
      out.push(`${id}: ${changed.join(", ")} changed`);
    }
  }
  return out;
}

/**
 * The stages of a push from what the router kept to the next rendering. `drainSeconds` 0 turns the
 * automatic drain off (README, Deploying).
 */
export function pushPlan(previous: PreviousRendering, next: PushRendering, drainSeconds: number): PushPlan {
  const direct = (note: string, affected: string[] = []): PushPlan => ({
    stages: [{ name: "change", from: previous.text, to: next.text }],
    affected,
    note,
  });
  if (previous.text.trim() === "") return direct("first push: no session carries traffic yet, nothing to drain");
  if (previous.sessions === undefined || previous.drained === undefined)
    return direct(
      "not drained: the router keeps no session facts from its last push (pushed by an older version); drain by hand if this change resets a session",
    );
  const affected = affectedSessions(previous.sessions, next.sessions);
  if (affected.length === 0) return direct("no session changes: applied in one step, not drained");
  if (drainSeconds === 0)
    return direct("drainSeconds is 0: a change that affects the sessions is not drained", affected);
  const same = (a: string, b: string) => a.trimEnd() === b.trimEnd();
  const stages: PushStage[] = [];
  if (!same(previous.drained, previous.text)) stages.push({ name: "drain", from: previous.text, to: previous.drained });
  stages.push({ name: "change", from: previous.drained, to: next.drained });
  if (!same(next.drained, next.text)) stages.push({ name: "undrain", from: next.drained, to: next.text });
  return {
    stages,
    affected,
    note: `the change affects ${affected.length} session(s): drained first (RFC 8326), ${stages.map((s) => s.name).join(", then ")}`,
  };
}

/** Section names of what the router keeps after a confirmed push, beside the rendering. */
export const KEPT = { drained: "drained", sessions: "sessions" } as const;

/**
 * What `readPrevious` printed: the previous rendering, then (since this version) its drained
 * variant and session facts, each after the platform's `marker(section)` line.
 */
export function parsePrevious(stdout: string, marker: (section: string) => string): PreviousRendering {
  const drainedAt = stdout.indexOf(`${marker(KEPT.drained)}\n`);
  const sessionsAt = stdout.indexOf(`${marker(KEPT.sessions)}\n`);
  if (drainedAt < 0 || sessionsAt < drainedAt) return { text: stdout };
  return {
    text: stdout.slice(0, drainedAt),
    drained: stdout.slice(drainedAt + marker(KEPT.drained).length + 1, sessionsAt),
    sessions: stdout.slice(sessionsAt + marker(KEPT.sessions).length + 1),
  };
}
