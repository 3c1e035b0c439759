/**
 * The exact command strings a push runs on a router over SSH, per platform, and what it is given
 * on standard input. The `RouterConfig` component (components/routerConfig.ts) hands these to
 * `@pulumi/command` `remote.Command`; the lab (test/lab/deploy.ts) runs the same strings over SSH
 * against real FRR and BIRD. They run in the deploy user's login shell, which must be POSIX
 * (`/bin/sh` or bash: README, Deploying).
 *
 * A push is transactional on every platform: the new config is applied with an automatic rollback
 * armed (the platform's own where it has one: BIRD `configure timeout`; on FRR the product's timer,
 * which restores the previous rendering), the health gate polls until the sessions to Microsoft are
 * healthy and stay so, and only then is the change confirmed. When the gate fails, the push rolls
 * back at once, says what was missing and exits non-zero, so Pulumi stops that metro's rollout.
 * If the runner dies half way, the armed rollback fires by itself after `confirmSeconds`.
 *
 * Pure: no Pulumi, no I/O. No secret ever appears in a command string: configs travel on stdin.
 */
import { createHash } from "crypto";
import type { RouterPlan } from "../plan/model";
import { FRR_OWNERSHIP } from "../vendors/frr";
import { healthExpectations, type SessionExpectation } from "./health";
import type { DeploySettings, DeployTarget } from "./settings";

/** Section markers of an FRR push's stdin: comment lines in FRR's syntax, never a rendered line. */
export const FRR_SECTION = {
  apply: "! peering-as-code: apply",
  rollback: "! peering-as-code: rollback",
  rendering: "! peering-as-code: rendering",
} as const;

/** The hash a push is triggered on: the rendered config, byte for byte. */
export function configHash(rendered: string): string {
  return `sha256:${createHash("sha256").update(rendered).digest("hex")}`;
}

export type PushPlatform = "frr" | "bird";

export interface RouterCommands {
  platform: PushPlatform;
  /**
   * Prints the rendering last confirmed on the router (empty before the first push): the
   * removals of the next push are computed from it. Undefined where a push needs none (BIRD
   * replaces its file whole).
   */
  readPrevious?: string;
  /** Applies, gates, confirms or rolls back. Its stdin is `pushInput(previous, next)`. */
  push: string;
  /** The health gate alone: a fresh check of this leg before the next leg of its metro is pushed. */
  check: string;
  /** What the push reads on stdin. */
  pushInput(previous: string, next: string): string;
}

/** The router's platform for pushes (the lab runs FRR for routers whose inventory vendor it cannot run). */
export function routerCommands(
  router: RouterPlan,
  target: DeployTarget,
  settings: Pick<DeploySettings, "gate" | "confirmSeconds">,
  platform: PushPlatform = router.vendor === "bird" ? "bird" : "frr",
): RouterCommands {
  const sessions = healthExpectations(router, settings.gate);
  const file = `${target.stateDir}/${router.hostname}`;
  const common = script.common(router.hostname, file, settings.gate.timeoutSeconds, settings.gate.holdSeconds);
  if (platform === "frr") {
    const check = `${common}\n${frr.check(sessions)}`;
    return {
      platform,
      readPrevious: `cat ${file}.conf 2>/dev/null || true`,
      push: [check, frr.push(settings.confirmSeconds)].join("\n"),
      check: [check, script.checkOnly].join("\n"),
      pushInput: frrPushInput,
    };
  }
  const birdFile = target.birdFile ?? `/etc/bird/${router.hostname}.bird.conf`;
  const check = `${common}\n${bird.check(sessions)}`;
  return {
    platform,
    push: [check, bird.push(birdFile, settings.confirmSeconds)].join("\n"),
    check: [check, script.checkOnly].join("\n"),
    pushInput: (_previous, next) => next,
  };
}

/**
 * FRR's stdin: the statements that turn `previous` into `next` (the ownership spec's removals,
 * then the rendering), the statements that turn it back, and the rendering itself, which the
 * router keeps as the previous one once confirmed.
 */
export function frrPushInput(previous: string, next: string): string {
  const apply = [...FRR_OWNERSHIP.removalsFor(previous, next), next.trimEnd()];
  const rollback = [...FRR_OWNERSHIP.removalsFor(next, previous), previous.trimEnd()];
  return [
    FRR_SECTION.apply,
    ...apply,
    FRR_SECTION.rollback,
    ...rollback,
    FRR_SECTION.rendering,
    next.trimEnd(),
    "",
  ].join("\n");
}

/** Shell pieces every platform shares. */
const script = {
  /** Variables, logging, and `gate`: poll `check` every second until healthy for `hold` s, or `timeout` s passed. */
  common: (hostname: string, file: string, timeout: number, hold: number) =>
    `set -u
h=${hostname}; t=${file}; d=\${t%/*}
say() { printf '%s %s: %s\\n' "$(date -u +%H:%M:%S.%3N)" "$h" "$*"; }
gate() {
  start=$(date +%s); since=""
  while :; do
    now=$(date +%s)
    if check; then
      [ -n "$since" ] || since=$now
      if [ $((now - since)) -ge ${hold} ]; then say "healthy for ${hold} s: $healthy"; return 0; fi
    else
      since=""
      if [ $((now - start)) -ge ${timeout} ]; then say "NOT HEALTHY after ${timeout} s:$missing"; return 1; fi
    fi
    sleep 1
  done
}`,
  checkOnly: `if gate; then exit 0; fi
say "health check failed: the next leg of this metro is not pushed"
exit 1`,
};

/** Appends one session's finding to `missing` (or `healthy`), in shell, from variables st, bf, rx, tx. */
function judge(s: SessionExpectation): string {
  const name = `${s.peer} (${s.id})`;
  return `  [ "$st" = Established ] || missing="$missing ${name}: BGP \${st:-no session}, not Established;"
  [ "$bf" = up ] || missing="$missing ${name}: BFD \${bf:-no session}, not up;"
  [ "\${tx:-x}" = ${s.sent} ] || missing="$missing ${name}: \${tx:-no} prefixes sent, expected ${s.sent};"
  [ "\${rx:-0}" -ge ${s.minReceived} ] 2>/dev/null || missing="$missing ${name}: \${rx:-no} prefixes received, expected at least ${s.minReceived};"
  healthy="$healthy ${s.id} Established, BFD up, \${tx:-0} sent, \${rx:-0} received;"`;
}

const frr = {
  /** `check`: one pass over every session, from FRR's JSON (whitespace removed, so formatting does not matter). */
  check: (sessions: SessionExpectation[]) =>
    `val() { printf '%s' "$1" | sed -n "s/.*\\"$2\\":\\"\\{0,1\\}\\([A-Za-z0-9]*\\).*/\\1/p"; }
check() {
  missing=""; healthy=""
  peers=$(vtysh -c 'show bfd peers json' 2>/dev/null | tr -d ' \\n\\t' | sed 's/},{/}\\n{/g')
${sessions
  .map(
    (s) => `  j=$(vtysh -c 'show bgp neighbors ${s.peer} json' 2>/dev/null | tr -d ' \\n\\t')
  st=$(val "$j" bgpState); rx=$(val "$j" acceptedPrefixCounter); tx=$(val "$j" sentPrefixCounter)
  bf=$(val "$(printf '%s\\n' "$peers" | grep -F '"peer":"${s.peer}"' | head -n 1)" status)
${judge(s)}`,
  )
  .join("\n")}
  [ -z "$missing" ]
}`,
  push: (confirmSeconds: number) =>
    `apply() {
  out=$(vtysh -f "$1" 2>&1); rc=$?
  if [ $rc -ne 0 ] || printf '%s\\n' "$out" | grep -Eq '^%|line [0-9]+:'; then printf '%s\\n' "$out" | grep -E '^%|line [0-9]+:|rror' >&2; return 1; fi
}
armed() { [ -f "$t.timer" ] && kill -0 "$(cat "$t.timer")" 2>/dev/null; }
disarm() { if armed; then kill -TERM -- "-$(cat "$t.timer")" 2>/dev/null; fi; rm -f "$t.timer"; }
rollback() {
  say "rolling back to the previous rendering"
  if apply "$t.rollback"; then disarm; else say "ROLLBACK FAILED: the timer retries it"; return 1; fi
  if gate; then say "rolled back: healthy again"; else say "rolled back, still not healthy"; fi
}
umask 077; mkdir -p "$d" || exit 1
if armed; then say "an unconfirmed push is pending (its timer rolls it back); not pushing over it"; exit 1; fi
cat > "$t.push" || exit 1
rm -f "$t.apply" "$t.rollback" "$t.next"
awk -v t="$t" '$0 == "${FRR_SECTION.apply}" { f = t ".apply"; next }
  $0 == "${FRR_SECTION.rollback}" { f = t ".rollback"; next }
  $0 == "${FRR_SECTION.rendering}" { f = t ".next"; next }
  f { print > f }' "$t.push"
for s in apply rollback next; do [ -f "$t.$s" ] || { say "stdin has no $s section"; exit 1; }; done
setsid sh -c "sleep ${confirmSeconds}; vtysh -f $t.rollback > $t.timer.log 2>&1; rm -f $t.timer" </dev/null >/dev/null 2>&1 &
echo $! > "$t.timer"
say "applying $(grep -c . "$t.apply") lines; rolled back in ${confirmSeconds} s unless confirmed"
if ! apply "$t.apply"; then say "the router refused the change"; rollback; exit 1; fi
if gate; then
  disarm; mv "$t.next" "$t.conf"; rm -f "$t.push" "$t.apply" "$t.rollback"
  say "confirmed"; exit 0
fi
rollback; exit 1`,
};

const bird = {
  check: (sessions: SessionExpectation[]) =>
    `check() {
  missing=""; healthy=""
  bfds=$(birdc show bfd sessions 2>/dev/null)
${sessions
  .map(
    (s) => `  p=$(birdc show protocols all ${s.birdProtocol} 2>/dev/null)
  st=$(printf '%s\\n' "$p" | sed -n 's/^ *BGP state: *\\([A-Za-z]*\\).*/\\1/p' | head -n 1)
  rx=$(printf '%s\\n' "$p" | sed -n 's/^ *Routes: *\\([0-9]*\\) imported.*/\\1/p' | head -n 1)
  tx=$(printf '%s\\n' "$p" | sed -n 's/^ *Routes: .* \\([0-9]*\\) exported.*/\\1/p' | head -n 1)
  bf=$(printf '%s\\n' "$bfds" | awk '$1 == "${s.peer}" { print tolower($3); exit }')
${judge(s)}`,
  )
  .join("\n")}
  [ -z "$missing" ]
}`,
  push: (file: string, confirmSeconds: number) =>
    `f=${file}
armed() { [ -f "$t.timer" ] && kill -0 "$(cat "$t.timer")" 2>/dev/null; }
disarm() { if armed; then kill -TERM -- "-$(cat "$t.timer")" 2>/dev/null; fi; rm -f "$t.timer"; }
rollback() {
  say "rolling back: birdc configure undo, the previous file restored"
  cp "$t.previous" "$f"; birdc configure undo >/dev/null; disarm
  if gate; then say "rolled back: healthy again"; else say "rolled back, still not healthy"; fi
}
umask 077; mkdir -p "$d" || exit 1
if armed; then say "an unconfirmed push is pending (its timer rolls it back); not pushing over it"; exit 1; fi
cat > "$t.next" || exit 1
if [ -f "$f" ]; then cp "$f" "$t.previous"; else : > "$t.previous"; fi
cp "$t.next" "$f"
out=$(birdc configure check 2>&1)
case "$out" in *"Configuration OK"*) ;; *) cp "$t.previous" "$f"; printf '%s\\n' "$out" >&2; say "BIRD refused the file; nothing applied"; exit 1;; esac
out=$(birdc configure timeout ${confirmSeconds} 2>&1)
case "$out" in *Reconfigured*|*"Reconfiguration in progress"*) ;; *) cp "$t.previous" "$f"; printf '%s\\n' "$out" >&2; say "BIRD did not reconfigure"; exit 1;; esac
setsid sh -c "sleep ${confirmSeconds}; cp $t.previous $f; rm -f $t.timer" </dev/null >/dev/null 2>&1 &
echo $! > "$t.timer"
say "reconfigured; BIRD undoes it in ${confirmSeconds} s unless confirmed"
if gate; then
  out=$(birdc configure confirm 2>&1)
  case "$out" in *"confirmed"*|*"Reconfiguration confirmed"*) ;; *) printf '%s\\n' "$out" >&2; say "BIRD did not confirm"; rollback; exit 1;; esac
  disarm; rm -f "$t.previous" "$t.next"; say "confirmed"; exit 0
fi
rollback; exit 1`,
};
