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
import { VENDOR_PROFILES } from "../vendors";
import { KEPT, parsePrevious, pushPlan, type PreviousRendering, type PushPlan, type PushRendering } from "./drain";
import { isNetworkOs, type NetworkOs } from "./gate";
import { healthExpectations, type SessionExpectation } from "./health";
import { defaultBirdFile, type DeploySettings, type DeployTarget } from "./settings";

/**
 * The line that opens a section of a push's stdin (and of what `readPrevious` prints), a comment in
 * the platform's syntax that no rendering contains: `! peering-as-code: <section>` on FRR, IOS-XR
 * and EOS, `# peering-as-code: <section>` on BIRD and Junos. Section names are `[a-z0-9.]+`.
 */
export function sectionMarker(platform: PushPlatform, section: string): string {
  return `${VENDOR_PROFILES[platform].commentChar} peering-as-code: ${section}`;
}

/** The files FRR and BIRD keep beside the rendering after a confirmed push (`<stateDir>/<host>.drained.conf`). */
const KEPT_FILES = { drained: `${KEPT.drained}.conf`, sessions: `${KEPT.sessions}.conf` } as const;

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
   * Prints the rendering last confirmed on the router (empty before the first push), then its
   * drained variant and session facts (`sectionMarker` lines before each): the removals of the
   * next push, and whether it is drained first, are computed from them.
   */
  readPrevious: string;
  /**
   * Applies, gates, confirms or rolls back: in one stage, or drained first where the change
   * affects the sessions (deploy/drain.ts). Its stdin is `pushInput(previous, next)`.
   */
  push: string;
  /** The health gate alone: a fresh check of this leg before the next leg of its metro is pushed. */
  check: string;
  /** What the push reads on stdin: `previous` is what `readPrevious` printed. */
  pushInput(previous: string, next: PushRendering): string;
}

/** What a push needs of the deploy settings. */
export type PushSettings = Pick<DeploySettings, "gate" | "confirmSeconds" | "drainSeconds">;

/** The router's platform for pushes (the lab runs FRR for routers whose inventory vendor it cannot run). */
export function routerCommands(
  router: RouterPlan,
  target: DeployTarget,
  settings: PushSettings,
  platform: PushPlatform = router.vendor,
): RouterCommands {
  const sessions = healthExpectations(router, settings.gate);
  if (isNetworkOs(platform)) return networkOsCommands(platform, router, target, settings, sessions);
  const file = `${target.stateDir}/${router.hostname}`;
  const common = script.common(router.hostname, file, settings.gate.timeoutSeconds, settings.gate.holdSeconds);
  const onRouter = platform === "frr" ? frr : bird;
  // What the router runs is the previous rendering: FRR's kept copy, or BIRD's file, the product's whole.
  const rendering = platform === "frr" ? `${file}.conf` : (target.birdFile ?? defaultBirdFile(router.hostname));
  const check = `${common}\n${onRouter.check(sessions)}`;
  return {
    platform,
    runsOn: "router",
    readPrevious: script.readPrevious(platform, rendering, file),
    push: [check, onRouter.push(rendering, settings.confirmSeconds, settings.drainSeconds)].join("\n"),
    check: [check, script.checkOnly].join("\n"),
    pushInput: (previous, next) => pushInput(platform, previous, next, settings.drainSeconds),
  };
}

/**
 * A push's stdin: the plan's note (session ids and field names only, printed before anything is
 * applied), each stage's sections in the platform's terms (`STAGE_SECTIONS`), then what the router
 * keeps once the push is confirmed.
 */
function pushInput(platform: PushPlatform, previousOut: string, next: PushRendering, drainSeconds: number): string {
  const m = (section: string) => sectionMarker(platform, section);
  const previous = parsePrevious(previousOut, m);
  const plan = pushPlan(previous, next, drainSeconds);
  return [
    m("note"),
    plan.note,
    ...plan.affected.map((a) => `  ${a}`),
    ...STAGE_SECTIONS[platform](plan, previous, m),
    m("next"),
    next.text.trimEnd(),
    m(KEPT.drained),
    next.drained.trimEnd(),
    m(KEPT.sessions),
    next.sessions.trimEnd(),
    "",
  ].join("\n");
}

type StageSections = (plan: PushPlan, previous: PreviousRendering, m: (section: string) => string) => string[];

/** Each stage's sections on stdin, per platform. */
const STAGE_SECTIONS: Record<PushPlatform, StageSections> = {
  // The statements that turn the stage's `from` into its `to` (the ownership spec's removals, then
  // the rendering), and those that turn `to` back into the previous rendering (its rollback).
  frr: (plan, previous, m) =>
    plan.stages.flatMap((stage, i) => [
      m(`stage.${i + 1}.${stage.name}`),
      ...VENDOR_PROFILES.frr.ownership.removalsFor(stage.from, stage.to),
      stage.to.trimEnd(),
      m(`undo.${i + 1}.${stage.name}`),
      ...VENDOR_PROFILES.frr.ownership.removalsFor(stage.to, previous.text),
      previous.text.trimEnd(),
    ]),
  // The whole file each stage installs (its rollback is the previous file, which the router copies).
  bird: (plan, _previous, m) =>
    plan.stages.flatMap((stage, i) => [m(`stage.${i + 1}.${stage.name}`), stage.to.trimEnd()]),
  junos: (plan, previous, m) => networkOsStages("junos", plan, previous, m),
  iosxr: (plan, previous, m) => networkOsStages("iosxr", plan, previous, m),
  eos: (plan, previous, m) => networkOsStages("eos", plan, previous, m),
};

/**
 * A network OS stage: the ownership spec's removals from its `from` to its `to`
 * (`removals.<i>.<stage>`) and its rendering (`stage.<i>.<stage>`); for a later stage the removals
 * that restore the previous rendering from where the stage started (`restore.<i>.<stage>`); after
 * the stages, the previous rendering (`previous`).
 */
function networkOsStages(
  os: NetworkOs,
  plan: PushPlan,
  previous: PreviousRendering,
  m: (s: string) => string,
): string[] {
  const own = VENDOR_PROFILES[os].ownership;
  return [
    ...plan.stages.flatMap((stage, i) => {
      const id = `${i + 1}.${stage.name}`;
      return [
        m(`removals.${id}`),
        ...own.removalsFor(stage.from, stage.to),
        m(`stage.${id}`),
        stage.to.trimEnd(),
        ...(i === 0 ? [] : [m(`restore.${id}`), ...own.removalsFor(stage.from, previous.text)]),
      ];
    }),
    m("previous"),
    previous.text.trimEnd(),
  ];
}

/** FRR's stdin (`RouterCommands.pushInput` of an FRR router). */
export function frrPushInput(previousOut: string, next: PushRendering, drainSeconds: number): string {
  return pushInput("frr", previousOut, next, drainSeconds);
}

/** A network OS router's stdin (`RouterCommands.pushInput`). */
export function networkOsPushInput(
  os: NetworkOs,
  previousOut: string,
  next: PushRendering,
  drainSeconds: number,
): string {
  return pushInput(os, previousOut, next, drainSeconds);
}

/**
 * `redact`, a shell filter for what a router or daemon prints back before it reaches stderr (Pulumi's
 * log and state): a rejected line can be a key's (`vtysh -f` prints the line it refused), so the
 * word after `password` / `authentication-key` / `secret` (and a type such as `clear`, `7`) is
 * replaced by `<redacted>`.
 */
export const REDACT_FUNCTION = `redact() { sed -E 's/((password|authentication-key|secret)([[:space:]]+(clear|encrypted|[0-9]))?[[:space:]]+)"?[^[:space:]";]+"?/\\1<redacted>/g'; }`;

/** Shell pieces every platform shares. */
const script = {
  /** Variables, logging, and `gate`: poll `check` every second until healthy for `hold` s, or `timeout` s passed. */
  common: (hostname: string, file: string, timeout: number, hold: number) =>
    `set -u
h=${hostname}; t=${file}; d=\${t%/*}
say() { printf '%s %s: %s\\n' "$(date -u +%H:%M:%S.%3N)" "$h" "$*"; }
${REDACT_FUNCTION}
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
  /**
   * Prints the rendering (`rendering`: the file the router runs or the product kept), then the
   * drained variant and session facts kept beside it, each after its section marker.
   */
  readPrevious: (platform: PushPlatform, rendering: string, t: string) =>
    `cat ${rendering} 2>/dev/null
if [ -f ${t}.${KEPT_FILES.drained} ] && [ -f ${t}.${KEPT_FILES.sessions} ]; then
  printf '%s\\n' '${sectionMarker(platform, "drained")}'; cat ${t}.${KEPT_FILES.drained}
  printf '%s\\n' '${sectionMarker(platform, "sessions")}'; cat ${t}.${KEPT_FILES.sessions}
fi
true`,
  /**
   * Splits the push's stdin (file `$1`) into one file per section, `$2.<section>` (an empty
   * section still gets its file). Only marker lines of the platform with a `[a-z0-9.]+` name open
   * a section: nothing a rendering holds can.
   */
  split: (platform: PushPlatform) =>
    `split() {
  rm -f "$2".*
  awk -v t="$2" -v p='${sectionMarker(platform, "")}' 'index($0, p) == 1 && substr($0, length(p) + 1) ~ /^[a-z0-9.]+$/ { f = t "." substr($0, length(p) + 1); printf "" > f; next }
    f { print > f }' "$1"
  for s in next ${KEPT.drained} ${KEPT.sessions}; do [ -f "$2.$s" ] || { say "stdin has no $s section"; return 1; }; done
  [ ! -f "$2.note" ] || while IFS= read -r l; do say "$l"; done < "$2.note"
}`,
  /**
   * The armed rollback's timer: `arm` (re)starts it, detached in its own process group, to run
   * `fire` after `seconds`; `disarm` kills the group. `kill -s TERM --`: dash refuses `-TERM --`.
   */
  timer: (seconds: string, fire: string) =>
    `armed() { [ -f "$t.timer" ] && kill -0 "$(cat "$t.timer")" 2>/dev/null; }
disarm() { if armed; then kill -s TERM -- "-$(cat "$t.timer")" 2>/dev/null; fi; rm -f "$t.timer"; }
arm() {
  disarm
  setsid sh -c "sleep ${seconds}; ${fire}; rm -f $t.timer" </dev/null >/dev/null 2>&1 &
  echo $! > "$t.timer"
}`,
  /** After a stage named drain: `drainSeconds` for traffic to leave the leg (the timer re-armed first where there is one). */
  drainWait: (drainSeconds: number, indent: string, rearm: boolean) =>
    [
      `if [ "$name" = drain ]; then`,
      ...(rearm ? ["  arm"] : []),
      `  say "drained (RFC 8326): ${drainSeconds} s for traffic to leave this leg before the change"`,
      `  sleep ${drainSeconds}`,
      "fi",
    ]
      .map((l) => indent + l)
      .join("\n"),
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
  push: (_rendering: string, confirmSeconds: number, drainSeconds: number) =>
    `apply() {
  out=$(vtysh -f "$1" 2>&1); rc=$?
  if [ $rc -ne 0 ] || printf '%s\\n' "$out" | grep -Eq '^%|line [0-9]+:'; then printf '%s\\n' "$out" | grep -E '^%|line [0-9]+:|rror' | redact >&2; return 1; fi
}
${script.timer(String(confirmSeconds), "vtysh -f $t.rollback > $t.timer.log 2>&1")}
rollback() {
  say "rolling back to the previous rendering"
  if apply "$t.rollback"; then disarm; else say "ROLLBACK FAILED: the timer retries it"; return 1; fi
  if gate; then say "rolled back: healthy again"; else say "rolled back, still not healthy"; fi
}
${script.split("frr")}
umask 077; mkdir -p "$d" || exit 1
if armed; then say "an unconfirmed push is pending (its timer rolls it back); not pushing over it"; exit 1; fi
cat > "$t.push" || exit 1
split "$t.push" "$t.in" || exit 1
for f in "$t".in.stage.*; do
  [ -f "$f" ] || { say "stdin has no stage"; exit 1; }
  i=\${f#"$t.in.stage."}; name=\${i#*.}
  cp "$t.in.undo.$i" "$t.rollback" || exit 1
  arm
  say "$name: applying $(grep -c . "$f") lines; rolled back in ${confirmSeconds} s unless confirmed"
  if ! apply "$f"; then say "the router refused the change"; rollback; exit 1; fi
  if ! gate; then rollback; exit 1; fi
${script.drainWait(drainSeconds, "  ", true)}
done
disarm
mv "$t.in.next" "$t.conf" && mv "$t.in.drained" "$t.${KEPT_FILES.drained}" && mv "$t.in.sessions" "$t.${KEPT_FILES.sessions}"
rm -f "$t.push" "$t.rollback" "$t".in.*
say "confirmed"; exit 0`,
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
  push: (file: string, confirmSeconds: number, drainSeconds: number) =>
    `f=${file}
ok() { case "$out" in *Reconfigured*|*"Reconfiguration in progress"*) return 0;; esac; printf '%s\\n' "$out" | redact >&2; return 1; }
${script.timer(`$((${confirmSeconds} + 5))`, "cp $t.previous $f; birdc configure >/dev/null 2>&1")}
rollback() {
  say "rolling back: the previous file restored, birdc configure"
  cp "$t.previous" "$f"; out=$(birdc configure 2>&1)
  if ok; then disarm; else say "ROLLBACK FAILED: BIRD did not reconfigure; the timer retries it"; return 1; fi
  if gate; then say "rolled back: healthy again"; else say "rolled back, still not healthy"; fi
}
${script.split("bird")}
umask 077; mkdir -p "$d" || exit 1
if armed; then say "an unconfirmed push is pending (its timer rolls it back); not pushing over it"; exit 1; fi
cat > "$t.push" || exit 1
split "$t.push" "$t.in" || exit 1
if [ -f "$f" ]; then cp "$f" "$t.previous"; else : > "$t.previous"; fi
for n in "$t".in.stage.*; do
  [ -f "$n" ] || { say "stdin has no stage"; exit 1; }
  i=\${n#"$t.in.stage."}; name=\${i#*.}
  cp "$n" "$f"
  out=$(birdc configure check 2>&1)
  case "$out" in *"Configuration OK"*) ;; *)
    printf '%s\\n' "$out" | redact >&2; say "BIRD refused the file of stage $name"
    case "$i" in 1.*) cp "$t.previous" "$f"; say "nothing applied"; exit 1;; esac
    rollback; exit 1;;
  esac
  say "$name: applying $(grep -c . "$n") lines; BIRD undoes it in ${confirmSeconds} s unless confirmed"
  out=$(birdc configure timeout ${confirmSeconds} 2>&1)
  if ! ok; then say "BIRD did not reconfigure"; rollback; exit 1; fi
  arm
  if ! gate; then rollback; exit 1; fi
  out=$(birdc configure confirm 2>&1)
  case "$out" in *confirmed*) ;; *) printf '%s\\n' "$out" | redact >&2; say "BIRD did not confirm"; rollback; exit 1;; esac
${script.drainWait(drainSeconds, "  ", true)}
done
disarm
mv "$t.in.drained" "$t.${KEPT_FILES.drained}" && mv "$t.in.sessions" "$t.${KEPT_FILES.sessions}"
rm -f "$t.previous" "$t.push" "$t".in.*
say "confirmed"; exit 0`,
};

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
put "$w/load" ${remote} || { say "could not copy the rendering to ${dir} on the router"; return 1; }
`;
}

/** Every line of `text` indented by `by` (a shell function's body). */
function indent(text: string, by: string): string {
  return text.replace(/^(?=.)/gm, by);
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
  settings: PushSettings,
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
${REDACT_FUNCTION}
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
  node scripts/run-ts.js cli/gate.ts ${gateArgs} -- ssh -T -p ${target.port} $o ${at}
}`;
  const t = TRANSACTIONS[os];
  const files = nosFiles(os, h, dir);
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
    `if printf '%s\\n' "$out" | grep -Eq '${t.errors}'; then printf '%s\\n' "$out" | grep -E '${t.errors}' | redact >&2; ${what}; fi`;
  const committed = t.committed === undefined ? "" : ` || ! printf '%s\\n' "$out" | grep -q '${t.committed}'`;
  const failed = `[ $rc -ne 0 ]${committed} || printf '%s\\n' "$out" | grep -Eq '${t.errors}'`;
  const m = (section: string) => sectionMarker(os, section);
  const push = `${prelude}
${script.split(os)}
# One transaction: $1 the removals, $2 the rendering. A check pass that loads and discards them,
# then the commit with the platform's own rollback armed. 1: refused, nothing committed; 2: the commit failed.
transact() {
  cp "$1" "$w/removals" && cp "$2" "$w/next" || return 1
  s=pac-${h}-$(date +%s)-$n
${indent(uploadLoadFile(os, `${dir}/${h}.pac.next`), "  ")}${indent(step("check", t.check(files)), "  ")}
  out=$(cli "$w/check")
  ${refused(`say "the router refused the change (check pass); nothing committed"; return 1`)}
${indent(step("apply", t.apply(files, settings.confirmSeconds)), "  ")}
  out=$(cli "$w/apply"); rc=$?
  if ${failed}; then
    printf '%s\\n' "$out" | grep -E '${t.errors}' | redact >&2
    say "the commit failed; whatever the router committed, it rolls back by itself: ${t.armed(settings.confirmSeconds)}"
    return 2
  fi
  say "applied $(grep -c . "$w/removals") removals and the rendering; ${t.armed(settings.confirmSeconds)}"
}
confirm() {
${indent(step("confirm", t.confirm(files)), "  ")}
  out=$(cli "$w/confirm"); rc=$?
  if ${failed}; then printf '%s\\n' "$out" | redact >&2; return 1; fi
}
undo() {
${indent(step("rollback", t.rollback(files)), "  ")}
  out=$(cli "$w/rollback")
  ${refused(`say "ROLLBACK FAILED: the router's own timer rolls it back"`)}
}
# Back to the previous rendering from where stage $1 started, once an earlier stage was confirmed.
restore() {
  [ "$confirmed" -gt 0 ] || return 0
  say "restoring the previous rendering: the stages before this one were confirmed"
  n=$((n + 1))
  if transact "$w/in.restore.$1" "$w/in.previous" && confirm; then say "restored"; else say "RESTORE FAILED: the leg is as the last confirmed stage left it"; fi
}
n=0; confirmed=0
cat > "$w/push" || exit 1
split "$w/push" "$w/in" || exit 1
for f in "$w"/in.stage.*; do
  [ -f "$f" ] || { say "stdin has no stage"; exit 1; }
  i=\${f#"$w/in.stage."}; name=\${i#*.}; n=$((n + 1))
  transact "$w/in.removals.$i" "$f"; rc=$?
  if [ $rc -eq 1 ]; then restore "$i"; exit 1; fi
  if [ $rc -ne 0 ]; then
    # What the failed commit left is unknown until the router's own rollback fires: nothing more is committed over it.
    [ "$confirmed" -eq 0 ] || say "the stages before this one stay confirmed (the leg may stay drained): run the push again once the router has rolled the failed commit back"
    exit 1
  fi
  if gate; then
    if ! confirm; then
      # The commit is still pending, as after a failed gate: undone at once, and the earlier stages restored.
      say "the router did not confirm: rolling back at once"
      undo
      restore "$i"
      exit 1
    fi
    confirmed=$((confirmed + 1))
${script.drainWait(settings.drainSeconds, "    ", false)}
    continue
  fi
  say "rolling back at once"
  undo
  restore "$i"
  if gate; then say "rolled back: healthy again"; else say "rolled back, still not healthy"; fi
  exit 1
done
# The rendering, its drained variant and its session facts, in one file: the next push reads them together.
{ cat "$w/in.next"; printf '%s\\n' '${m("drained")}'; cat "$w/in.drained"; printf '%s\\n' '${m("sessions")}'; cat "$w/in.sessions"; } > "$w/kept"
put "$w/kept" ${dir}/${h}.pac.conf || say "confirmed, but the rendering could not be kept on the router: the next push removes from the older one"
say "confirmed"; exit 0`;
  return {
    platform: os,
    runsOn: "runner",
    readPrevious: `${prelude}
if scp -q -P ${target.port} $o ${at}:${dir}/${h}.pac.conf "$w/previous" 2>/dev/null; then cat "$w/previous"; fi`,
    push,
    check: `${prelude}\n${script.checkOnly}`,
    pushInput: (previous, next) => pushInput(os, previous, next, settings.drainSeconds),
  };
}
