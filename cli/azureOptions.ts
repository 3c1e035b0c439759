/**
 * What every command that reads Azure takes and does the same way (`npm run status`,
 * `npm run analyze -- --azure`/`--telemetry`): the options `--subscription`, `--endpoint`, `--ca`
 * and `--max-retries` with their environment defaults, the checks on them, the credential (never an
 * Azure one for an endpoint that is not Azure's), the CA file, the `AzureTarget` they make, and
 * the stack's plan they read it for.
 */
import * as fs from "fs";
import { AZURE_ENDPOINT, staticTokenCredential, type AzureTarget, type TokenCredential } from "../azure/client";
import type { Inventory } from "../load/inventory";
import { loadStack } from "../load/files";
import { formatProblems } from "../load/problem";
import type { Plan } from "../plan/model";
import { buildPlan } from "../plan/plan";

export interface AzureOptions {
  subscription?: string;
  /** ARM's origin: Azure's, or a fake's (`--endpoint`, PAC_ARM_ENDPOINT). */
  endpoint: string;
  caFile?: string;
  maxRetries: number;
}

/** A usage or setup error of these options: the command prints it with its fix. */
export class AzureOptionError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

export function azureOptionDefaults(env: NodeJS.ProcessEnv): AzureOptions {
  return {
    subscription: env.AZURE_SUBSCRIPTION_ID || undefined,
    endpoint: env.PAC_ARM_ENDPOINT || AZURE_ENDPOINT,
    caFile: env.PAC_ARM_CA || undefined,
    maxRetries: 3,
  };
}

/**
 * Reads the Azure option at `argv[i]` into `opts`: the index of its last argument, or undefined
 * when `argv[i]` is none of them. `value` reads a flag's value (each command's own check).
 */
export function parseAzureOption(
  argv: readonly string[],
  i: number,
  opts: AzureOptions,
  value: (i: number, flag: string) => string,
  usage: string,
): number | undefined {
  const a = argv[i];
  if (a === "--subscription") opts.subscription = value(++i, a);
  else if (a === "--endpoint") opts.endpoint = value(++i, a);
  else if (a === "--ca") opts.caFile = value(++i, a);
  else if (a === "--max-retries") {
    const n = Number(value(++i, a));
    if (!Number.isInteger(n) || n < 0 || n > 10)
      throw new AzureOptionError(`--max-retries ${argv[i]} is not a number from 0 to 10`, usage);
    opts.maxRetries = n;
  } else return undefined;
  return i;
}

/** The subscription as ARM names it: a GUID, not its display name. */
export function checkSubscriptionId(subscription: string): void {
  if (!/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/.test(subscription))
    throw new AzureOptionError(
      `subscription ${JSON.stringify(subscription)} is not a subscription id`,
      "give the subscription's id (a GUID), as `az account show --query id` prints it",
    );
}

/** The origin of an HTTPS URL given with `flag`. */
export function httpsOrigin(
  text: string,
  flag: string,
  whyHttps = "Azure Resource Manager (and the SDK's token policy) speaks HTTPS only",
): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AzureOptionError(
      `${flag} ${JSON.stringify(text)} is not a URL`,
      `leave it out for Azure (${AZURE_ENDPOINT})`,
    );
  }
  if (url.protocol !== "https:") throw new AzureOptionError(`${flag} ${text} is not HTTPS`, whyHttps);
  return url.origin;
}

/** `DefaultAzureCredential` for Azure; a static token (PAC_ARM_TOKEN) for anything else, so no Azure token leaves for it. */
export async function credentialFor(
  endpoint: string,
  env: NodeJS.ProcessEnv,
  command: string,
): Promise<TokenCredential> {
  if (endpoint === AZURE_ENDPOINT) {
    const { DefaultAzureCredential } = await import("@azure/identity");
    return new DefaultAzureCredential();
  }
  const token = env.PAC_ARM_TOKEN;
  if (!token)
    throw new AzureOptionError(
      `${endpoint} is not Azure Resource Manager, and the ${command} command sends no Azure credential anywhere else`,
      "set PAC_ARM_TOKEN to the bearer token that endpoint expects (the fake ARM endpoint, `npm run fake-arm`, prints it)",
    );
  return staticTokenCredential(token);
}

/** Where to read: the options, the credential, the CA file's PEM and the stack's resource group. */
export function azureTarget(
  opts: AzureOptions,
  credential: TokenCredential,
  resourceGroup: string,
  progress: (line: string) => void,
): AzureTarget {
  if (opts.subscription === undefined) throw new Error("azureTarget: the subscription was not checked");
  let ca: string | undefined;
  if (opts.caFile !== undefined) {
    try {
      ca = fs.readFileSync(opts.caFile, "utf8");
    } catch (e) {
      throw new AzureOptionError(
        `--ca ${opts.caFile} cannot be read (${e instanceof Error ? e.message : String(e)})`,
        "give the PEM file of the endpoint's CA",
      );
    }
  }
  return {
    endpoint: opts.endpoint,
    subscription: opts.subscription,
    resourceGroup,
    credential,
    ...(ca !== undefined ? { ca } : {}),
    maxRetries: opts.maxRetries,
    progress,
  };
}

/**
 * The stack loaded and planned, or the problems of either as the command prints them (`outcome`:
 * what did not happen, e.g. "nothing was compared").
 */
export function planStack(
  stack: string,
  root: string,
  outcome: string,
): { ok: true; inventory: Inventory; plan: Plan } | { ok: false; problems: string } {
  const inventory = loadStack(stack, root);
  if (!inventory.ok)
    return {
      ok: false,
      problems: formatProblems(inventory.problems).replace("nothing was planned or written", outcome),
    };
  const plan = buildPlan(inventory.value);
  if (!plan.ok)
    return { ok: false, problems: formatProblems(plan.problems).replace("nothing was planned or written", outcome) };
  return { ok: true, inventory: inventory.value, plan: plan.value };
}
