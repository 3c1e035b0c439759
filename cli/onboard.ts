/**
 * `npm run onboard`: scaffolds a metro, allocates its session prefixes, validates, and writes.
 *
 *   npm run onboard -- --stack lab --metro paris --location Paris --facility 75 --region europe-west \
 *     --latitude 48.86 --longitude 2.35 --router-a par-edge-1:frr --router-b par-edge-2:iosxr
 *
 * The metro file (`gitops/scaffold.ts`, `status: requested`) is validated with the rest of the stack
 * exactly as `npm run plan` validates it: the loader and its JSON Schemas, the plan (which allocates
 * the legs' /31 and /127 into the lock with the project's allocator), the Pulumi program under the
 * mock runtime and the policy pack. Only when all of that passes are the metro file and the lock
 * written: each to a temporary file beside it, then renamed, the metro file taken back if the lock
 * cannot be. A problem in the scaffold is reported as the flag to correct.
 *
 * Exit codes: 0 written (or, with --dry-run, valid); 1 the scaffold or the stack fails validation or
 * a mandatory policy (nothing written); 2 a bad argument (nothing written).
 */
import * as fs from "fs";
import * as path from "path";
import { readStackFiles, REPO_ROOT, StackNotFoundError } from "../load/files";
import { parseInventory, type StackFiles } from "../load/load";
import { formatLock } from "../load/lock";
import { formatProblem, InventoryError, type Problem } from "../load/problem";
import { stackPaths } from "../load/stackPaths";
import { isAddressed, legsInOrder } from "../plan/model";
import {
  ONBOARD_USAGE,
  parseOnboardArgs,
  problemOfFlag,
  scaffoldMetro,
  type ArgProblem,
  type OnboardArgs,
  type Scaffold,
} from "../gitops/scaffold";
import { formatViolations, PolicyConfigError, type Violation } from "../policies/run";
import { runOfflinePlan } from "./plan";
import { checkStackPolicies } from "./policies";
import { table } from "./report";
import { VENDOR_PROFILES } from "../vendors";
import { runCli } from "./main";

/** What to do about a mandatory violation of a scaffold, in flags. */
const POLICY_HINTS: Record<string, string> = {
  "local-redundancy":
    "give the metro two legs on two routers, e.g. --router-a <hostname>:<vendor> --router-b <other hostname>:<vendor>",
  "equal-capacity":
    "give every leg the capacity of the region's other metros: --ports <n> and --speed <100|10>, or --members-<leg> <port>,<port>",
  "geo-redundancy": "the region needs more metros: onboard them in the same pull request",
};

function formatArgProblems(problems: readonly ArgProblem[]): string {
  return [
    `onboard: ${problems.length} problem${problems.length === 1 ? "" : "s"} with the arguments; nothing was written:`,
    ...problems.map((p) => `  ${p.flag}: ${p.message}. Fix: ${p.fix}`),
    "",
    ONBOARD_USAGE,
  ].join("\n");
}

function formatValidationProblems(problems: readonly Problem[], scaffold: Scaffold, args: OnboardArgs): string {
  const lines = problems.map((p) => problemOfFlag(p, scaffold.file, args.legs) ?? formatProblem(p));
  return [
    `onboard: the scaffolded metro ${args.metro} does not validate (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was written:`,
    ...[...new Set(lines)].sort().map((l) => `  ${l}`),
  ].join("\n");
}

function formatPolicyFailure(violations: readonly Violation[], summary: string): string {
  const hints = [
    ...new Set(
      violations.filter((v) => v.enforcementLevel === "mandatory").flatMap((v) => POLICY_HINTS[v.policy] ?? []),
    ),
  ];
  return [
    formatViolations(violations),
    "",
    summary,
    ...(hints.length > 0 ? ["", "Fix the arguments:", ...hints.map((h) => `  ${h}`)] : []),
  ].join("\n");
}

/** Writes both files, or neither: temporary files beside them, then renames; the metro file is taken back if the lock fails. */
export function writeBoth(metroPath: string, metroText: string, lockPath: string, lockText: string): void {
  const tmp = (p: string) => path.join(path.dirname(p), `.${path.basename(p)}.onboard-${process.pid}`);
  const metroTmp = tmp(metroPath);
  const lockTmp = tmp(lockPath);
  try {
    fs.mkdirSync(path.dirname(metroPath), { recursive: true });
    fs.writeFileSync(metroTmp, metroText, { flag: "wx" });
    fs.writeFileSync(lockTmp, lockText, { flag: "wx" });
    fs.renameSync(metroTmp, metroPath);
    try {
      fs.renameSync(lockTmp, lockPath);
    } catch (e) {
      fs.rmSync(metroPath, { force: true });
      throw e;
    }
  } finally {
    fs.rmSync(metroTmp, { force: true });
    fs.rmSync(lockTmp, { force: true });
  }
}

export function onboard(args: OnboardArgs): { code: number; out: string; err: string } {
  const root = args.root ? path.resolve(args.root) : REPO_ROOT;
  const paths = stackPaths(args.stack);
  const fail = (code: number, err: string) => ({ code, out: "", err });
  let files: StackFiles;
  try {
    files = readStackFiles(args.stack, root);
  } catch (e) {
    if (e instanceof StackNotFoundError)
      return fail(2, formatArgProblems([{ flag: "--stack", message: e.message, fix: "name an existing stack" }]));
    throw e;
  }
  const file = paths.metro(args.metro);
  const existing = files.metros.find((m) => m.file.replace(/\.ya?ml$/, "") === file.replace(/\.yaml$/, ""));
  if (existing)
    return fail(
      2,
      formatArgProblems([
        {
          flag: "--metro",
          message: `${existing.file} already exists`,
          fix: `edit that file to change the metro, or choose another --metro`,
        },
      ]),
    );

  const loaded = parseInventory(files);
  if (!loaded.ok)
    return fail(
      1,
      `onboard: the stack's inventory has problems of its own; fix them first (nothing was written):\n${loaded.problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`,
    );
  const scaffold = scaffoldMetro(args, loaded.value, file);
  const withMetro: StackFiles = { ...files, metros: [...files.metros, { file, text: scaffold.text }] };

  let run: ReturnType<typeof runOfflinePlan>;
  try {
    run = runOfflinePlan(args.stack, root, withMetro);
  } catch (e) {
    if (e instanceof InventoryError) return fail(1, formatValidationProblems(e.problems, scaffold, args));
    throw e;
  }
  let policies: ReturnType<typeof checkStackPolicies>;
  try {
    policies = checkStackPolicies(args.stack, root, run.resources);
  } catch (e) {
    if (e instanceof PolicyConfigError) return fail(1, e.message);
    throw e;
  }
  const summary = policies.text.split("\n").pop() ?? "";
  if (policies.mandatory > 0)
    return fail(
      1,
      `onboard: the scaffolded metro ${args.metro} fails the policy check; nothing was written.\n\n${formatPolicyFailure(policies.violations, summary)}`,
    );

  const lockText = formatLock(run.plan.lock);
  const metro = run.plan.metros.find((m) => m.id === args.metro);
  const rows = (metro ? legsInOrder(metro) : []).map((l) => {
    const s = scaffold.legs.find((x) => x.name === l.name);
    return [
      l.name,
      l.hostname,
      l.vendor,
      l.interface,
      `${l.members.length}x${l.portGbps}G=${l.bandwidthMbps / 1000}G`,
      (s?.members ?? []).join(","),
      isAddressed(l) ? l.ipv4.prefix : "from Microsoft",
      isAddressed(l) ? l.ipv6.prefix : "from Microsoft",
    ];
  });
  const defaults = scaffold.legs.flatMap((l) =>
    l.defaults.length === 0
      ? []
      : [
          `  leg ${l.name}: ${l.defaults.join("; ")}: the default names of ${VENDOR_PROFILES[l.vendor].name} (vendors/${l.vendor}.ts)`,
        ],
  );
  const newAllocations = run.plan.newAllocations;
  const report = [
    ...table(["leg", "router", "vendor", "bundle", "LAG", "members", "IPv4 session", "IPv6 session"], rows).map(
      (l) => `  ${l}`,
    ),
    ...(defaults.length > 0
      ? [
          "",
          "Defaults: check the names against the router and the LOA, and edit the file where they differ:",
          ...defaults,
        ]
      : []),
    "",
    policies.text,
  ];
  if (args.dryRun) {
    return {
      code: 0,
      out: [
        `onboard --dry-run: metro ${args.metro} of stack ${args.stack} validates; nothing was written. ${file} would be:`,
        "",
        scaffold.text.trimEnd(),
        "",
        ...report,
        "",
        `${paths.lock} would get ${newAllocations.length} new allocation(s): ${newAllocations.join("; ") || "none"}`,
      ].join("\n"),
      err: "",
    };
  }
  writeBoth(path.join(root, file), scaffold.text, path.join(root, paths.lock), lockText);
  return {
    code: 0,
    out: [
      `Onboarded metro ${args.metro} into stack ${args.stack} (status: requested); it validates and passes the policies.`,
      `  wrote ${file}`,
      `  updated ${paths.lock}: ${newAllocations.length} new allocation(s) (${newAllocations.join("; ") || "none"})`,
      "",
      ...report,
      "",
      "Next: review the file, commit both on a branch and open a pull request; CI posts the change report",
      `(here: npm run diff -- --stack ${args.stack} --base origin/main). README: "Onboard a metro in five steps".`,
    ].join("\n"),
    err: "",
  };
}

function main(): number {
  const parsed = parseOnboardArgs(process.argv.slice(2));
  if (!parsed.ok) {
    if (parsed.help) {
      console.log(ONBOARD_USAGE);
      return 0;
    }
    console.error(formatArgProblems(parsed.problems));
    return 2;
  }
  const r = onboard(parsed.value);
  if (r.out) console.log(r.out);
  if (r.err) console.error(r.err);
  return r.code;
}

if (require.main === module) runCli("onboard", main);
