/**
 * `npm run status -- --stack lab --subscription <id>`: reads the stack's Microsoft.Peering
 * resources back from Azure and says, per metro and leg, where Microsoft's onboarding stands and
 * what to do next (status/compare.ts). Exit 0 in sync, 1 when Azure and the inventory disagree,
 * 2 on an error (the inventory, the arguments, authentication, the network, a malformed answer).
 * The report goes to stdout (a table, or `--json`); progress to stderr.
 *
 * Against Azure (the default endpoint) it signs in with `DefaultAzureCredential` (Azure CLI,
 * environment, managed identity, …). Against any other endpoint (`--endpoint`, a test's fake ARM)
 * it never sends an Azure credential: it sends the token in PAC_ARM_TOKEN.
 */
import * as fs from "fs";
import * as path from "path";
import {
  AZURE_ENDPOINT,
  AzureReadError,
  readAzure,
  staticTokenCredential,
  type TokenCredential,
} from "../azure/client";
import { loadStack, REPO_ROOT, StackNotFoundError } from "../load/files";
import { formatProblems } from "../load/problem";
import { buildPlan } from "../plan/plan";
import { compareWithAzure } from "../status/compare";
import { exitCodeOf, formatStatusTable, statusJson } from "./statusReport";

const USAGE =
  "usage: npm run status -- [--stack <name>] [--subscription <id>] [--json] [--show-secrets] [--max-retries <n>] [--root <dir>] [--endpoint <https-url> --ca <file.pem>]";

export interface StatusOptions {
  stack: string;
  root: string;
  subscription?: string;
  endpoint: string;
  caFile?: string;
  json: boolean;
  showSecrets: boolean;
  maxRetries: number;
}

/** A usage or setup error: printed with its fix, exit 2. */
class StatusError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

export function parseStatusArgs(argv: string[], env: NodeJS.ProcessEnv): StatusOptions {
  const opts: StatusOptions = {
    stack: "lab",
    root: REPO_ROOT,
    subscription: env.AZURE_SUBSCRIPTION_ID || undefined,
    endpoint: env.PAC_ARM_ENDPOINT || AZURE_ENDPOINT,
    caFile: env.PAC_ARM_CA || undefined,
    json: false,
    showSecrets: false,
    maxRetries: 3,
  };
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith("--")) throw new StatusError(`${flag} needs a value`, USAGE);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--stack" || a === "-s") opts.stack = value(++i, a);
    else if (a === "--root") opts.root = path.resolve(value(++i, a));
    else if (a === "--subscription") opts.subscription = value(++i, a);
    else if (a === "--endpoint") opts.endpoint = value(++i, a);
    else if (a === "--ca") opts.caFile = value(++i, a);
    else if (a === "--json") opts.json = true;
    else if (a === "--show-secrets") opts.showSecrets = true;
    else if (a === "--max-retries") {
      const n = Number(value(++i, a));
      if (!Number.isInteger(n) || n < 0 || n > 10)
        throw new StatusError(`--max-retries ${argv[i]} is not a number from 0 to 10`, USAGE);
      opts.maxRetries = n;
    } else throw new StatusError(`unknown argument ${JSON.stringify(a)}`, USAGE);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(opts.stack))
    throw new StatusError(
      `--stack ${JSON.stringify(opts.stack)} is not a stack name`,
      "name a folder under stacks/, e.g. --stack lab",
    );
  if (opts.subscription === undefined)
    throw new StatusError(
      "no Azure subscription given",
      "pass --subscription <id> or set AZURE_SUBSCRIPTION_ID (the subscription that holds the PeerAsn and the peerings)",
    );
  if (!/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/.test(opts.subscription))
    throw new StatusError(
      `subscription ${JSON.stringify(opts.subscription)} is not a subscription id`,
      "give the subscription's id (a GUID), as `az account show --query id` prints it",
    );
  let url: URL;
  try {
    url = new URL(opts.endpoint);
  } catch {
    throw new StatusError(
      `--endpoint ${JSON.stringify(opts.endpoint)} is not a URL`,
      `leave it out for Azure (${AZURE_ENDPOINT})`,
    );
  }
  if (url.protocol !== "https:")
    throw new StatusError(
      `--endpoint ${opts.endpoint} is not HTTPS`,
      "Azure Resource Manager (and the SDK's token policy) speaks HTTPS only",
    );
  opts.endpoint = url.origin;
  return opts;
}

/** `DefaultAzureCredential` for Azure; a static token for anything else, so no Azure token leaves for it. */
async function credentialFor(opts: StatusOptions, env: NodeJS.ProcessEnv): Promise<TokenCredential> {
  if (opts.endpoint === AZURE_ENDPOINT) {
    const { DefaultAzureCredential } = await import("@azure/identity");
    return new DefaultAzureCredential();
  }
  const token = env.PAC_ARM_TOKEN;
  if (!token)
    throw new StatusError(
      `${opts.endpoint} is not Azure Resource Manager, and the status command sends no Azure credential anywhere else`,
      "set PAC_ARM_TOKEN to the bearer token that endpoint expects (the fake ARM endpoint, `npm run fake-arm`, prints it)",
    );
  return staticTokenCredential(token);
}

export async function runStatus(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: { out: (s: string) => void; err: (s: string) => void },
): Promise<number> {
  const started = process.hrtime.bigint();
  let opts: StatusOptions;
  try {
    opts = parseStatusArgs(argv, env);
    const credential = await credentialFor(opts, env);
    const inventory = loadStack(opts.stack, opts.root);
    if (!inventory.ok) {
      io.err(formatProblems(inventory.problems).replace("nothing was planned or written", "nothing was compared"));
      return 2;
    }
    const plan = buildPlan(inventory.value);
    if (!plan.ok) {
      io.err(formatProblems(plan.problems).replace("nothing was planned or written", "nothing was compared"));
      return 2;
    }
    let ca: string | undefined;
    if (opts.caFile !== undefined) {
      try {
        ca = fs.readFileSync(opts.caFile, "utf8");
      } catch (e) {
        throw new StatusError(
          `--ca ${opts.caFile} cannot be read (${e instanceof Error ? e.message : String(e)})`,
          "give the PEM file of the endpoint's CA",
        );
      }
    }
    io.err(
      `Stack ${opts.stack}: ${plan.value.metros.length} metros, ${plan.value.registrations.length} registrations (${inventory.value.sp.file})`,
    );
    const snapshot = await readAzure({
      endpoint: opts.endpoint,
      subscription: opts.subscription!,
      resourceGroup: plan.value.sp.resourceGroup,
      credential,
      ...(ca !== undefined ? { ca } : {}),
      maxRetries: opts.maxRetries,
      progress: io.err,
    });
    const report = compareWithAzure(plan.value, inventory.value, snapshot);
    io.out(opts.json ? statusJson(report, opts.showSecrets) : formatStatusTable(report, opts.showSecrets));
    io.err(`Compared in ${Math.round(Number(process.hrtime.bigint() - started) / 1e6)} ms.`);
    return exitCodeOf(report);
  } catch (e) {
    if (e instanceof StatusError || e instanceof AzureReadError) {
      // ARM's messages end with a full stop of their own.
      io.err(`status: ${e.message.replace(/\.+$/, "")}. Fix: ${e.fix}`);
      return 2;
    }
    if (e instanceof StackNotFoundError) {
      io.err(e.message);
      return 2;
    }
    io.err(`status: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

if (require.main === module) {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log(USAGE);
    process.exit(0);
  }
  void runStatus(process.argv.slice(2), process.env, {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
