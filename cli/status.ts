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
import * as path from "path";
import { AzureReadError, readAzure } from "../azure/client";
import { REPO_ROOT, StackNotFoundError } from "../load/files";
import { compareWithAzure } from "../status/compare";
import {
  azureOptionDefaults,
  AzureOptionError,
  azureTarget,
  checkSubscriptionId,
  credentialFor,
  httpsOrigin,
  parseAzureOption,
  planStack,
  type AzureOptions,
} from "./azureOptions";
import { exitCodeOf, formatStatusTable, statusJson } from "./statusReport";

const USAGE =
  "usage: npm run status -- [--stack <name>] [--subscription <id>] [--json] [--show-secrets] [--max-retries <n>] [--root <dir>] [--endpoint <https-url> --ca <file.pem>]";

export interface StatusOptions extends AzureOptions {
  stack: string;
  root: string;
  json: boolean;
  showSecrets: boolean;
}

/** A usage or setup error: printed with its fix, exit 2. */
class StatusError extends AzureOptionError {}

export function parseStatusArgs(argv: string[], env: NodeJS.ProcessEnv): StatusOptions {
  const opts: StatusOptions = {
    stack: "lab",
    root: REPO_ROOT,
    ...azureOptionDefaults(env),
    json: false,
    showSecrets: false,
  };
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith("--")) throw new StatusError(`${flag} needs a value`, USAGE);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const azure = parseAzureOption(argv, i, opts, value, USAGE);
    if (azure !== undefined) i = azure;
    else if (a === "--stack" || a === "-s") opts.stack = value(++i, a);
    else if (a === "--root") opts.root = path.resolve(value(++i, a));
    else if (a === "--json") opts.json = true;
    else if (a === "--show-secrets") opts.showSecrets = true;
    else throw new StatusError(`unknown argument ${JSON.stringify(a)}`, USAGE);
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
  checkSubscriptionId(opts.subscription);
  opts.endpoint = httpsOrigin(opts.endpoint, "--endpoint");
  return opts;
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
    const credential = await credentialFor(opts.endpoint, env, "status");
    const stack = planStack(opts.stack, opts.root, "nothing was compared");
    if (!stack.ok) {
      io.err(stack.problems);
      return 2;
    }
    const { inventory, plan } = stack;
    const target = azureTarget(opts, credential, plan.sp.resourceGroup, io.err);
    io.err(
      `Stack ${opts.stack}: ${plan.metros.length} metros, ${plan.registrations.length} registrations (${inventory.sp.file})`,
    );
    const snapshot = await readAzure(target);
    const report = compareWithAzure(plan, inventory, snapshot);
    io.out(opts.json ? statusJson(report, opts.showSecrets) : formatStatusTable(report, opts.showSecrets));
    io.err(`Compared in ${Math.round(Number(process.hrtime.bigint() - started) / 1e6)} ms.`);
    return exitCodeOf(report);
  } catch (e) {
    if (e instanceof AzureOptionError || e instanceof AzureReadError) {
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
