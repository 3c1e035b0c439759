/**
 * Reads the SP's Microsoft.Peering resources from Azure Resource Manager with `@azure/arm-peering`.
 * The only module that talks to Azure; everything it returns is an `AzureSnapshot` (our shape,
 * checked field by field) or an `AzureReadError` (what failed, in the engineer's words, and the fix).
 *
 * - api-version 2022-10-01: `@azure/arm-peering` 2.1.0 (its only release) is generated from
 *   2021-06-01 and sends that by default; its `apiVersion` option rewrites the query parameter on
 *   every request, next pages included. The fields read here exist in both versions' models
 *   (the SDK keeps only fields its model knows inside `properties`), and the tests check that
 *   each comes through.
 * - Credentials: the caller passes a `TokenCredential`. The CLI uses `DefaultAzureCredential`
 *   only against Azure itself; against another endpoint (a test's fake, `--endpoint`) a static
 *   token, so that an Azure token is never sent anywhere else.
 * - Retries: the SDK's own policy (429 with Retry-After, 5xx, connection errors), bounded by
 *   `maxRetries`; each retry is reported through `progress`.
 */
import { PeeringManagementClient, type PeeringManagementClientOptionalParams } from "@azure/arm-peering";
import { plural } from "../cli/text";
import {
  MalformedAnswerError,
  readPeerAsn,
  readPeering,
  readRegisteredAsn,
  readRegisteredPrefix,
  type AzurePeering,
  type AzureSnapshot,
} from "./snapshot";

/** What the SDK takes (`@azure/core-auth`'s, which `@azure/identity`'s credentials implement). */
export type TokenCredential = ConstructorParameters<typeof PeeringManagementClient>[0];
type PipelinePolicy = Parameters<PeeringManagementClient["pipeline"]["addPolicy"]>[0];

export const AZURE_ENDPOINT = "https://management.azure.com";
/** The Microsoft.Peering api-version whose shapes this project reads (azure-rest-api-specs, stable/2022-10-01). */
export const PEERING_API_VERSION = "2022-10-01";

export interface AzureTarget {
  /** `https://management.azure.com`, or a fake ARM endpoint. */
  endpoint: string;
  subscription: string;
  resourceGroup: string;
  credential: TokenCredential;
  /** Extra CA certificates (PEM) to trust, for an endpoint with a private CA. */
  ca?: string;
  maxRetries?: number;
  /** One line per step and per retry: the CLI prints them on stderr. */
  progress?: (line: string) => void;
}

/** A token that is handed to us (a test's fake endpoint, or `PAC_ARM_TOKEN` with `--endpoint`). */
export function staticTokenCredential(token: string): TokenCredential {
  return {
    getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 }),
  };
}

export type AzureErrorKind = "auth" | "network" | "throttled" | "not-found" | "malformed" | "service";

/** Reading Azure failed: what, in the engineer's words, and what to do. */
export class AzureReadError extends Error {
  constructor(
    readonly kind: AzureErrorKind,
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = "AzureReadError";
  }
}

export function peeringClient(target: AzureTarget): PeeringManagementClient {
  const options: PeeringManagementClientOptionalParams = {
    endpoint: target.endpoint,
    $host: target.endpoint,
    apiVersion: PEERING_API_VERSION,
    credentialScopes: `${AZURE_ENDPOINT}/.default`,
    retryOptions: { maxRetries: target.maxRetries ?? 3, retryDelayInMs: 500, maxRetryDelayInMs: 8000 },
    ...(target.ca !== undefined ? { tlsOptions: { ca: target.ca } } : {}),
    userAgentOptions: { userAgentPrefix: "peering-as-code-status" },
  };
  const client = new PeeringManagementClient(target.credential, target.subscription, options);
  client.pipeline.addPolicy(
    answerChecks(target.progress ?? (() => undefined), (p) => (LIST.test(p) ? "value" : undefined)),
    { afterPhase: "Retry" },
  );
  return client;
}

/** A request's path without the subscription, as messages show it. */
function pathOf(url: string): string {
  return new URL(url).pathname.replace(/^\/subscriptions\/[^/]+/, "");
}

const LIST = /\/(peerAsns|peerings|registeredPrefixes|registeredAsns|receivedRoutes)$/i;

/**
 * Sees every attempt (it runs inside the retry policy): says why one will be retried, and refuses
 * an answer that is not ARM's JSON before the SDK reads it. The SDK would read an HTML page (a proxy,
 * a captive portal) or a list without `value` as an empty list, and the comparison would then
 * report everything missing; a malformed answer must stop the run instead. `listKey` names the
 * array a request's answer must hold (`value` for ARM's lists, `values` for Azure Monitor's batch).
 */
export function answerChecks(
  progress: (line: string) => void,
  listKey: (pathname: string) => string | undefined,
): PipelinePolicy {
  return {
    name: "peeringAsCodeAnswerChecks",
    async sendRequest(request, next) {
      const response = await next(request);
      const path = pathOf(request.url);
      if (response.status === 429) {
        const after = response.headers.get("retry-after");
        progress(`  Azure throttled ${path} (429${after !== undefined ? `, Retry-After ${after} s` : ""}); retrying`);
      } else if (response.status >= 500) {
        progress(`  Azure answered ${response.status} for ${path}; retrying`);
      }
      if (response.status < 200 || response.status >= 300) return response;
      const type = response.headers.get("content-type") ?? "";
      const text = response.bodyAsText ?? "";
      const excerpt = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
      if (!/json/i.test(type))
        throw new MalformedAnswerError(path, `expected JSON, got ${type || "no content type"}: ${excerpt}`);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new MalformedAnswerError(
          path,
          `expected JSON, got ${excerpt} (${e instanceof Error ? e.message : String(e)})`,
        );
      }
      const key = listKey(new URL(request.url).pathname);
      if (key !== undefined) {
        const page = body as Record<string, unknown> | null;
        if (typeof page !== "object" || page === null || !Array.isArray(page[key]))
          throw new MalformedAnswerError(path, `expected a list page ({"${key}": [...]}), got ${excerpt}`);
        if (page.nextLink !== undefined && page.nextLink !== null && typeof page.nextLink !== "string")
          throw new MalformedAnswerError(path, `nextLink is not a link: ${JSON.stringify(page.nextLink)}`);
      }
      return response;
    },
  };
}

/** Every PeerAsn of the subscription and every peering of the resource group, with its registrations. */
export async function readAzure(target: AzureTarget): Promise<AzureSnapshot> {
  const client = peeringClient(target);
  const progress = target.progress ?? (() => undefined);
  try {
    progress(readingLine(target));
    const peerAsns = [];
    for await (const a of client.peerAsns.listBySubscription()) peerAsns.push(readPeerAsn(a));
    progress(`  PeerAsns: ${peerAsns.length}`);
    const peerings = await listPeerings(client, target);
    for (const peering of peerings) {
      for await (const r of client.registeredPrefixes.listByPeering(target.resourceGroup, peering.name))
        peering.registeredPrefixes.push(readRegisteredPrefix(r, peering.name));
      for await (const r of client.registeredAsns.listByPeering(target.resourceGroup, peering.name))
        peering.registeredAsns.push(readRegisteredAsn(r, peering.name));
      progress(
        `  ${peering.name}: ${peering.connections.length} connections, ${peering.registeredPrefixes.length} registered prefixes, ${peering.registeredAsns.length} registered ASNs`,
      );
    }
    return {
      endpoint: target.endpoint,
      subscription: target.subscription,
      resourceGroup: target.resourceGroup,
      apiVersion: PEERING_API_VERSION,
      peerAsns,
      peerings,
    };
  } catch (e) {
    throw azureReadError(e, target);
  }
}

/**
 * Every peering of the resource group with its connections and their session states, without the
 * registrations (`registeredPrefixes`, `registeredAsns` stay empty) or the PeerAsns: what route
 * analytics needs, in one list call.
 */
export async function readPeerings(target: AzureTarget): Promise<AzurePeering[]> {
  const client = peeringClient(target);
  try {
    target.progress?.(readingLine(target));
    return await listPeerings(client, target);
  } catch (e) {
    throw azureReadError(e, target);
  }
}

const readingLine = (target: AzureTarget) =>
  `Reading Azure at ${target.endpoint} (api-version ${PEERING_API_VERSION}), subscription ${target.subscription}, resource group ${target.resourceGroup}`;

async function listPeerings(client: PeeringManagementClient, target: AzureTarget): Promise<AzurePeering[]> {
  const peerings: AzurePeering[] = [];
  for await (const p of client.peerings.listByResourceGroup(target.resourceGroup)) peerings.push(readPeering(p));
  target.progress?.(`  peerings in ${target.resourceGroup}: ${peerings.length}`);
  return peerings;
}

interface RestErrorLike {
  name: string;
  message: string;
  code?: string;
  statusCode?: number;
  request?: { url?: string };
  details?: unknown;
}

/** Turns what the SDK, the credential or our reader threw into an `AzureReadError`. */
export function azureReadError(
  e: unknown,
  target: Pick<AzureTarget, "endpoint" | "subscription" | "resourceGroup">,
): AzureReadError {
  if (e instanceof AzureReadError) return e;
  if (e instanceof MalformedAnswerError)
    return new AzureReadError(
      "malformed",
      `Azure's answer is not the Microsoft.Peering ${PEERING_API_VERSION} REST API's: ${e.message}`,
      `nothing was compared; check that ${target.endpoint} is Azure Resource Manager (a proxy or captive portal answers HTML) and try again`,
    );
  const err = (typeof e === "object" && e !== null ? e : { name: "Error", message: String(e) }) as RestErrorLike;
  const name = err.name ?? "Error";
  const message = (err.message ?? "").split("\n")[0];
  if (["CredentialUnavailableError", "AuthenticationError", "AggregateAuthenticationError"].includes(name))
    return new AzureReadError(
      "auth",
      `no Azure credential could get a token: ${message}`,
      "sign in (`az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal, or run where a managed identity is assigned) with a role that may read Microsoft.Peering resources (Reader on the subscription)",
    );
  const status = err.statusCode;
  const path = err.request?.url ? pathOf(err.request.url) : "";
  const armCode = armErrorCode(err);
  if (status === 401 || status === 403)
    return new AzureReadError(
      "auth",
      `Azure refused the request (${status}${armCode ? ` ${armCode}` : ""}) for ${path}: ${message}`,
      status === 401
        ? "sign in again (`az login`): the token was refused"
        : `give the signed-in identity a role that may read Microsoft.Peering resources (Reader) on subscription ${target.subscription} and resource group ${target.resourceGroup}`,
    );
  if (status === 429)
    return new AzureReadError(
      "throttled",
      `Azure kept throttling the requests (429) after the retries, last for ${path}: ${message}`,
      "wait a minute and run it again (or raise --max-retries)",
    );
  if (status === 404)
    return new AzureReadError(
      "not-found",
      `Azure found nothing at ${path} (404${armCode ? ` ${armCode}` : ""}): ${message}`,
      `check the subscription (--subscription or AZURE_SUBSCRIPTION_ID: ${target.subscription}) and azure.resourceGroup in sp.yaml (${target.resourceGroup}), and that the Microsoft.Peering resource provider is registered`,
    );
  if (err.code === "REQUEST_SEND_ERROR" || status === undefined) {
    const tls = /certificate|self.signed|unable to verify|CERT_/i.test(`${err.code ?? ""} ${err.message ?? ""}`);
    return new AzureReadError(
      "network",
      `could not reach ${target.endpoint}: ${message}`,
      tls
        ? "the endpoint's certificate is not trusted: pass its CA with --ca <file.pem>"
        : "check the network path to Azure Resource Manager (proxy: HTTPS_PROXY) and try again",
    );
  }
  return new AzureReadError(
    "service",
    `Azure answered ${status}${armCode ? ` ${armCode}` : ""} for ${path}: ${message}`,
    "try again later; if it persists, open a support request with Microsoft naming the x-ms-request-id",
  );
}

function armErrorCode(err: RestErrorLike): string | undefined {
  const details = err.details as { error?: { code?: unknown } } | undefined;
  const code = details?.error?.code ?? err.code;
  return typeof code === "string" && code !== "" ? code : undefined;
}

/** What Microsoft received on one peering (`receivedRoutes`), every page, in the REST shape. */
export interface ReceivedRoutesOfPeering {
  peering: string;
  routes: Array<Record<string, unknown>>;
}

/**
 * Every page of `receivedRoutes.listByPeering` for each named peering (Microsoft.Peering
 * 2022-10-01 `PeeringReceivedRoute`). The items are handed on as plain objects: the analytics
 * reader (analytics/sources.ts) checks them field by field, as it checks a file.
 */
export async function readReceivedRoutes(
  target: AzureTarget,
  peerings: readonly string[],
): Promise<ReceivedRoutesOfPeering[]> {
  const client = peeringClient(target);
  const progress = target.progress ?? (() => undefined);
  const result: ReceivedRoutesOfPeering[] = [];
  try {
    for (const peering of peerings) {
      const routes: Array<Record<string, unknown>> = [];
      let pages = 0;
      for await (const page of client.receivedRoutes.listByPeering(target.resourceGroup, peering).byPage()) {
        pages++;
        for (const r of page) routes.push({ ...r });
      }
      progress(`  ${peering}: ${routes.length} received routes (${plural(pages, "page")})`);
      result.push({ peering, routes });
    }
    return result;
  } catch (e) {
    throw azureReadError(e, target);
  }
}
