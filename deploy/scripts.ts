/**
 * The exact command strings a push runs on a router over SSH, per platform, and what it is given
 * on standard input. The `RouterConfig` component (components/routerConfig.ts) hands these to
 * `@pulumi/command` `remote.Command`; the lab (test/lab/deploy.ts) runs the same strings over SSH
 * against real FRR and BIRD. They run in the deploy user's login shell, which must be POSIX
 * (`/bin/sh` or bash: README, Deploying). IOS-XR, Junos and EOS have no such shell for a deploy
 * user: their commands run on the runner (`local.Command`) and drive the router's CLI over
 * `ssh`/`scp`, with the platform's own commit-confirmed transaction and the gate judged on the
 * runner (`networkOsCommands` below, deploy/gate.ts).
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
import { EOS_OWNERSHIP } from "../vendors/eos";
import { FRR_OWNERSHIP } from "../vendors/frr";
import { IOSXR_OWNERSHIP } from "../vendors/iosxr";
import { JUNOS_OWNERSHIP } from "../vendors/junos";
import type { Ownership } from "../vendors/ownership";
import type { NetworkOs } from "./gate";
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

export type PushPlatform = "frr" | "bird" | NetworkOs;

export interface RouterCommands {
  platform: PushPlatform;
  /**
   * Where the commands run: on the router (FRR, BIRD: its POSIX shell, `remote.Command`) or on the
   * runner (IOS-XR, Junos, EOS: a POSIX shell there drives the router's CLI over `ssh`/`scp` and
   * judges the gate itself, `local.Command`; the private key arrives in the environment variable
   * `PAC_SSH_KEY`, never on a command line).
   */
  runsOn: "router" | "runner";
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
  platform: PushPlatform = router.vendor,
): RouterCommands {
  const sessions = healthExpectations(router, settings.gate);
  if (platform === "iosxr" || platform === "junos" || platform === "eos")
    return networkOsCommands(platform, router, target, settings, sessions);
  const file = `${target.stateDir}/${router.hostname}`;
  const common = script.common(router.hostname, file, settings.gate.timeoutSeconds, settings.gate.holdSeconds);
  if (platform === "frr") {
    const check = `${common}\n${frr.check(sessions)}`;
    return {
      platform,
      runsOn: "router",
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
    runsOn: "router",
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

/**
 * Section markers of a network OS push's stdin, in the dialect's comment syntax: the removals
 * (`removalsFor(previous, next)` of the platform's ownership spec), then the rendering.
 */
export const NOS_SECTION: Record<NetworkOs, { removals: string; rendering: string }> = {
  junos: { removals: "# peering-as-code: removals", rendering: "# peering-as-code: rendering" },
  iosxr: { removals: "! peering-as-code: removals", rendering: "! peering-as-code: rendering" },
  eos: { removals: "! peering-as-code: removals", rendering: "! peering-as-code: rendering" },
};

const NOS_OWNERSHIP: Record<NetworkOs, Ownership> = {
  junos: JUNOS_OWNERSHIP,
  iosxr: IOSXR_OWNERSHIP,
  eos: EOS_OWNERSHIP,
};

/** A network OS push's stdin: the ownership spec's removals from `previous` to `next`, then `next`. */
export function networkOsPushInput(os: NetworkOs, previous: string, next: string): string {
  const removals = NOS_OWNERSHIP[os].removalsFor(previous, next);
  return [NOS_SECTION[os].removals, ...removals, NOS_SECTION[os].rendering, next.trimEnd(), ""].join("\n");
}

/** `600` → `00:10:00` (EOS `commit timer hh:mm:ss`). */
export function hhmmss(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
}

/**
 * Each network OS's transaction, as lines its CLI reads on stdin over `ssh -T` (one SSH exec per
 * step). Every apply runs twice: a check pass that loads the change and discards it (`rollback 0`,
 * `abort`), refusing the push on any error so a half-loaded candidate is never committed, then the
 * apply pass that commits with the platform's own automatic rollback armed. Sources:
 * - Junos: `configure exclusive` (a confirmed commit is refused on a private candidate: Junos XML
 *   protocol guide, "Commit the Candidate Configuration Only After Confirmation"), `load replace
 *   <file>` (the rendering's `replace:` tags, JUNOS_OWNERSHIP), `commit confirmed <minutes>`, then
 *   `commit` within the minutes; `rollback 1` + `commit` undoes it at once (Junos CLI User Guide,
 *   "commit confirmed", "rollback").
 * - IOS-XR: `configure exclusive`, `load <file>`, `commit confirmed <seconds>` (30 to 65535), then
 *   `commit` within them; `rollback configuration last 1` undoes it at once (Cisco IOS XR System
 *   Management Configuration Guide, "Configuration Management": commit confirmed, rollback).
 * - EOS: `configure session <name>` with the removals and the rendering, `commit timer hh:mm:ss`,
 *   then `configure session <name> commit`; `configure session <name> abort` undoes it at once
 *   (Arista EOS User Manual, "Configure Sessions": commit timer).
 * None of this has run against a real IOS-XR, Junos or EOS here (README, Deploying).
 */
interface NetworkOsTransaction {
  /** An extended regular expression (grep -E) matching the CLI's error lines: any match refuses the step. */
  errors: string;
  /** The CLI lines of the check pass (discarded) and the apply pass (armed). */
  check(files: NosFiles): string[];
  apply(files: NosFiles, confirmSeconds: number): string[];
  /** A line of the apply pass's output that proves the commit happened, if the CLI prints one. */
  committed?: string;
  confirm(files: NosFiles): string[];
  rollback(files: NosFiles): string[];
  /** How the automatic rollback is described in the log. */
  armed(confirmSeconds: number): string;
}

/** Paths of the push's files, as shell words (`$w` is the runner's temporary directory). */
interface NosFiles {
  /** The rendering (IOS-XR: removals + rendering) as the router's CLI loads it. */
  load: string;
  /** The configure session's name (EOS), a shell word. */
  session: string;
}

/** Junos confirms in whole minutes: at least the seconds asked for. */
const junosMinutes = (seconds: number) => Math.ceil(seconds / 60);

const TRANSACTIONS: Record<NetworkOs, NetworkOsTransaction> = {
  junos: {
    errors: "^error:|syntax error|unknown command|load complete \\([0-9]+ errors?\\)|commit failed|check-out failed",
    check: (f) => [
      "configure exclusive",
      "@removals",
      `load replace ${f.load}`,
      "commit check",
      "rollback 0",
      "exit configuration-mode",
    ],
    apply: (f, s) => [
      "configure exclusive",
      "@removals",
      `load replace ${f.load}`,
      `commit confirmed ${junosMinutes(s)} comment "peering-as-code: unconfirmed"`,
      "exit configuration-mode",
    ],
    committed: "commit complete",
    confirm: () => [
      "configure exclusive",
      'commit comment "peering-as-code: confirmed after the health gate"',
      "exit configuration-mode",
    ],
    rollback: () => [
      "configure exclusive",
      "rollback 1",
      'commit comment "peering-as-code: rolled back, health gate failed"',
      "exit configuration-mode",
    ],
    armed: (s) => `Junos rolls it back in ${junosMinutes(s)} min unless confirmed (commit confirmed)`,
  },
  iosxr: {
    errors: "^%|SEMANTIC ERRORS|SYNTAX/AUTHORIZATION ERRORS|Failed to commit|Invalid input",
    check: (f) => ["configure exclusive", `load ${f.load}`, "show configuration failed load", "abort"],
    apply: (f, s) => ["configure exclusive", `load ${f.load}`, `commit confirmed ${s}`, "end"],
    confirm: () => ["configure exclusive", "commit", "end"],
    rollback: () => ["rollback configuration last 1"],
    armed: (s) => `IOS-XR rolls it back in ${s} s unless confirmed (commit confirmed)`,
  },
  eos: {
    errors: "^%",
    check: (f) => [
      `configure session ${f.session}-check`,
      "@removals",
      "@rendering",
      `configure session ${f.session}-check`,
      "abort",
    ],
    // The rendering may end in `end`, which leaves the session: it is entered again to commit it.
    apply: (f, s) => [
      `configure session ${f.session}`,
      "@removals",
      "@rendering",
      `configure session ${f.session}`,
      `commit timer ${hhmmss(s)}`,
    ],
    confirm: (f) => [`configure session ${f.session} commit`],
    rollback: (f) => [`configure session ${f.session} abort`],
    armed: (s) => `EOS rolls it back in ${hhmmss(s)} unless confirmed (commit timer)`,
  },
};

/** The CLI lines of each step of a network OS push (`@removals`, `@rendering`: the stdin sections), for review and tests. */
export function networkOsSteps(
  os: NetworkOs,
  hostname: string,
  stateDir: string,
  confirmSeconds: number,
): Record<"check" | "apply" | "confirm" | "rollback", string[]> {
  const t = TRANSACTIONS[os];
  const files = nosFiles(os, hostname, stateDir);
  return {
    check: t.check(files),
    apply: t.apply(files, confirmSeconds),
    confirm: t.confirm(files),
    rollback: t.rollback(files),
  };
}

function nosFiles(os: NetworkOs, hostname: string, stateDir: string): NosFiles {
  return { load: cliPath(os, `${stateDir}/${hostname}.pac.next`), session: "$s" };
}

/**
 * Junos and IOS-XR `load` a file, copied to the router first (IOS-XR's holds the removals too); EOS
 * takes the lines on the session's stdin and needs none.
 */
function uploadLoadFile(os: NetworkOs, remote: string): string {
  if (os === "eos") return "";
  // Ends in a newline: the push script goes on after it.
  const dir = remote.slice(0, remote.lastIndexOf("/"));
  return `${os === "iosxr" ? `cat "$w/removals" "$w/next" > "$w/load"` : `cp "$w/next" "$w/load"`}
put "$w/load" ${remote} || { say "could not copy the rendering to ${dir} on the router"; exit 1; }
`;
}

/** The CLI path of a file under an IOS-XR `/harddisk:` (`harddisk:/x`); others load it as scp wrote it. */
function cliPath(os: NetworkOs, path: string): string {
  return os === "iosxr" ? path.replace(/^\//, "") : path;
}

/**
 * The runner's commands for a network OS router: `ssh`/`scp` with the key from `PAC_SSH_KEY`
 * (written to a private temporary file, removed on exit), the router's host key pinned where the
 * stack gives it, and the gate judged by `cli/gate.ts` on the runner (deploy/gate.ts).
 */
function networkOsCommands(
  os: NetworkOs,
  router: RouterPlan,
  target: DeployTarget,
  settings: Pick<DeploySettings, "gate" | "confirmSeconds">,
  sessions: SessionExpectation[],
): RouterCommands {
  const h = router.hostname;
  const dir = target.stateDir;
  const at = `${target.user}@${target.host}`;
  const knownHost = target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
  const hostKey =
    target.hostKey === undefined
      ? `o="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"`
      : `printf '%s\\n' '${knownHost} ${target.hostKey}' > "$w/known_hosts"
o="-o StrictHostKeyChecking=yes -o UserKnownHostsFile=$w/known_hosts"`;
  const gateArgs = [
    `--platform ${os}`,
    `--router ${h}`,
    `--timeout ${settings.gate.timeoutSeconds}`,
    `--hold ${settings.gate.holdSeconds}`,
    ...sessions.map((s) => `--session ${s.id},${s.afi},${s.peer},${s.sent},${s.minReceived}`),
  ].join(" ");
  const prelude = `set -u
h=${h}
say() { printf '%s %s: %s\\n' "$(date -u +%H:%M:%S)" "$h" "$*"; }
umask 077
w=$(mktemp -d) || exit 1
trap 'rm -rf "$w"' EXIT
[ -n "\${PAC_SSH_KEY:-}" ] || { say "PAC_SSH_KEY is empty: no private key to log in with"; exit 1; }
printf '%s\\n' "$PAC_SSH_KEY" > "$w/key"
${hostKey}
o="-i $w/key -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=15 $o"
cli() { ssh -T -p ${target.port} $o ${at} < "$1" 2>&1; }
put() { scp -q -P ${target.port} $o "$1" "${at}:$2"; }
gate() {
  [ -f cli/gate.ts ] || { say "cli/gate.ts is not in $(pwd): the command runs in the project directory (Pulumi starts the command provider there)"; return 1; }
  npx --no-install ts-node --transpile-only cli/gate.ts ${gateArgs} -- ssh -T -p ${target.port} $o ${at}
}`;
  const t = TRANSACTIONS[os];
  const files = nosFiles(os, h, dir);
  const sec = NOS_SECTION[os];
  /** Writes a step's CLI lines to a file: `@removals` and `@rendering` stand for the stdin sections. */
  const step = (name: string, lines: string[]) =>
    `{\n${lines
      .map((l) =>
        l === "@removals"
          ? `  cat "$w/removals"`
          : l === "@rendering"
            ? `  cat "$w/next"`
            : `  printf '%s\\n' "${l.replace(/"/g, '\\"')}"`,
      )
      .join("\n")}\n} > "$w/${name}"`;
  const refused = (what: string) =>
    `if printf '%s\\n' "$out" | grep -Eq '${t.errors}'; then printf '%s\\n' "$out" | grep -E '${t.errors}' >&2; ${what}; fi`;
  const committed = t.committed === undefined ? "" : ` || ! printf '%s\\n' "$out" | grep -q '${t.committed}'`;
  const push = `${prelude}
s=pac-${h}-$(date +%s)
cat > "$w/push" || exit 1
awk -v w="$w" '$0 == "${sec.removals}" { f = w "/removals"; next }
  $0 == "${sec.rendering}" { f = w "/next"; next }
  f { print > f }' "$w/push"
[ -f "$w/removals" ] || : > "$w/removals"
[ -f "$w/next" ] || { say "stdin has no rendering section"; exit 1; }
${uploadLoadFile(os, `${dir}/${h}.pac.next`)}${step("check", t.check(files))}
out=$(cli "$w/check")
${refused(`say "the router refused the change (check pass); nothing committed"; exit 1`)}
${step("apply", t.apply(files, settings.confirmSeconds))}
out=$(cli "$w/apply"); rc=$?
if [ $rc -ne 0 ]${committed} || printf '%s\\n' "$out" | grep -Eq '${t.errors}'; then
  printf '%s\\n' "$out" | grep -E '${t.errors}' >&2
  say "the commit failed; whatever the router committed, it rolls back by itself: ${t.armed(settings.confirmSeconds)}"
  exit 1
fi
say "applied $(grep -c . "$w/removals") removals and the rendering; ${t.armed(settings.confirmSeconds)}"
${step("confirm", t.confirm(files))}
${step("rollback", t.rollback(files))}
if gate; then
  out=$(cli "$w/confirm"); rc=$?
  if [ $rc -ne 0 ]${committed} || printf '%s\\n' "$out" | grep -Eq '${t.errors}'; then printf '%s\\n' "$out" >&2; say "the router did not confirm: it rolls back by itself"; exit 1; fi
  put "$w/next" ${dir}/${h}.pac.conf || say "confirmed, but the rendering could not be kept on the router: the next push removes from the older one"
  say "confirmed"; exit 0
fi
say "rolling back at once"
out=$(cli "$w/rollback")
${refused(`say "ROLLBACK FAILED: the router's own timer rolls it back"`)}
if gate; then say "rolled back: healthy again"; else say "rolled back, still not healthy"; fi
exit 1`;
  return {
    platform: os,
    runsOn: "runner",
    readPrevious: `${prelude}
if scp -q -P ${target.port} $o ${at}:${dir}/${h}.pac.conf "$w/previous" 2>/dev/null; then cat "$w/previous"; fi`,
    push,
    check: `${prelude}\n${script.checkOnly}`,
    pushInput: (previous, next) => networkOsPushInput(os, previous, next),
  };
}
