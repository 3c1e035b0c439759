/**
 * Reads Azure Monitor's metrics of the SP's peerings (and of the customers' Peering Services it
 * onboards) with `@azure/monitor-query-metrics`: the metrics data plane's batch API
 * (`POST {endpoint}/subscriptions/{s}/metrics:getBatch`, api-version 2024-02-01), which takes up to
 * 50 resources of one subscription and one region per call. Everything it returns is a
 * `TelemetrySnapshot` (telemetry/model.ts) or an `AzureReadError`.
 *
 * - Endpoint: Azure's is regional, `https://<region>.metrics.monitor.azure.com` (the region the
 *   peerings live in: `azure.location` in sp.yaml); a test passes its fake.
 * - Names: Azure sends each metric's and dimension's name as `{value, localizedValue}` and the SDK
 *   keeps the localized one ("Session Availability"); the metric is recognised by the last segment
 *   of its `id`, a dimension by its name without spaces, case-insensitively.
 * - Dimensions: a filter with `eq '*'` asks for one series per value (by connection and session
 *   address; by registered prefix; by connection monitor test); dimensions left out of the filter
 *   (TrafficClass) come back summed over. `top` raises Azure's default of 10 series per resource.
 */
import { MetricsClient, type MetricsQueryResult } from "@azure/monitor-query-metrics";
import { MalformedAnswerError } from "../azure/snapshot";
import type { Plan } from "../plan/model";
import { peeringName } from "../plan/peeringTags";
import { answerChecks, AzureReadError, azureReadError, type AzureTarget } from "../azure/client";
import {
  AGGREGATION_OF,
  PEERING_NAMESPACE,
  PEERING_SERVICE_NAMESPACE,
  SESSION_METRICS,
  type Sample,
  type SessionMetric,
  type SessionSeries,
  type TelemetrySnapshot,
  type TelemetryWindow,
} from "./model";

/** The metrics data plane's api-version the SDK speaks (and the fake checks). */
export const METRICS_API_VERSION = "2024-02-01";
/** The batch API's limit on resources per call. */
const BATCH_SIZE = 50;
/** Series per resource and metric: a peering has a few legs of two families; generous. */
const TOP = 1000;

/** An Azure target whose `endpoint` is Azure Monitor's (`https://<region>.metrics.monitor.azure.com`, or a fake). */
export type TelemetryTarget = Omit<AzureTarget, "subscription" | "resourceGroup">;

export interface TelemetryRequest {
  window: TelemetryWindow;
  subscription: string;
  resourceGroup: string;
  peerings: Array<{ metro: string; resourceId: string }>;
  peeringServices: Array<{ name: string; resourceId: string }>;
}

/** A Microsoft.Peering peering's Azure resource id. */
export function peeringResourceId(subscription: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.Peering/peerings/${name}`;
}

/** What to read for a plan: the peering of every metro it declares in Azure, and its customers' Peering Services. */
export function telemetryRequestOf(
  plan: Plan,
  subscription: string,
  window: TelemetryWindow,
  peeringServices: TelemetryRequest["peeringServices"] = plan.customers
    .filter((c) => c.declared)
    .map((c) => ({
      name: c.peeringServiceName,
      resourceId: `/subscriptions/${subscription}/resourceGroups/${plan.sp.resourceGroup}/providers/Microsoft.Peering/peeringServices/${c.peeringServiceName}`,
    })),
): TelemetryRequest {
  return {
    window,
    subscription,
    resourceGroup: plan.sp.resourceGroup,
    peerings: plan.metros
      .filter((m) => m.declared)
      .map((m) => ({
        metro: m.id,
        resourceId: peeringResourceId(subscription, plan.sp.resourceGroup, peeringName(plan.sp.asn, m.id)),
      })),
    peeringServices,
  };
}

/** Azure's regional metrics endpoint for resources in `region` (an Azure location name). */
export function metricsEndpointFor(region: string): string {
  return `https://${region.toLowerCase()}.metrics.monitor.azure.com`;
}

export async function readTelemetry(target: TelemetryTarget, request: TelemetryRequest): Promise<TelemetrySnapshot> {
  const progress = target.progress ?? (() => undefined);
  const client = new MetricsClient(target.endpoint, target.credential, {
    apiVersion: METRICS_API_VERSION,
    retryOptions: { maxRetries: target.maxRetries ?? 3, retryDelayInMs: 500, maxRetryDelayInMs: 8000 },
    ...(target.ca !== undefined ? { tlsOptions: { ca: target.ca } } : {}),
    userAgentOptions: { userAgentPrefix: "peering-as-code-telemetry" },
  });
  client.pipeline.addPolicy(
    answerChecks(progress, () => "values"),
    { afterPhase: "Retry" },
  );
  const { window } = request;
  const snapshot: TelemetrySnapshot = {
    window,
    peerings: request.peerings,
    sessions: [],
    prefixLatency: [],
    roundTrip: [],
    unavailable: [],
  };
  const metroOf = new Map(request.peerings.map((p) => [p.resourceId.toLowerCase(), p.metro]));
  const serviceOf = new Map(request.peeringServices.map((p) => [p.resourceId.toLowerCase(), p.name]));
  const span = { startTime: new Date(window.start), endTime: new Date(window.end) };
  try {
    progress(
      `Reading Azure Monitor at ${target.endpoint} (api-version ${METRICS_API_VERSION}) from ${window.start} to ${window.end}, every ${window.interval}`,
    );
    const peeringIds = request.peerings.map((p) => p.resourceId);
    for (const result of await query(client, peeringIds, [...SESSION_METRICS], PEERING_NAMESPACE, {
      ...span,
      interval: window.interval,
      aggregation: "average,total",
      filter: "ConnectionId eq '*' and SessionIp eq '*'",
      top: TOP,
    })) {
      const metro = resultOwner(result, metroOf);
      for (const m of usable(result, snapshot)) {
        const metric = m.metric as SessionMetric;
        for (const ts of m.timeseries) {
          const dims = dimensions(ts.metadatavalues);
          const sessionIp = dims.get("sessionip");
          if (sessionIp === undefined) continue;
          const connectionId = dims.get("connectionid");
          addSession(snapshot.sessions, {
            metro,
            metric,
            ...(connectionId !== undefined ? { connectionId } : {}),
            sessionIp,
            samples: samplesOf(ts.data, AGGREGATION_OF[metric]),
          });
        }
      }
    }
    progress(`  sessions: ${new Set(snapshot.sessions.map((s) => `${s.metro} ${s.sessionIp}`)).size} series`);
    for (const result of await query(client, peeringIds, ["RegisteredPrefixLatency"], PEERING_NAMESPACE, {
      ...span,
      interval: "PT1H",
      aggregation: "average",
      filter: "RegisteredPrefixName eq '*'",
      top: TOP,
    })) {
      const metro = resultOwner(result, metroOf);
      for (const m of usable(result, snapshot))
        for (const ts of m.timeseries) {
          const name = dimensions(ts.metadatavalues).get("registeredprefixname");
          if (name !== undefined)
            snapshot.prefixLatency.push({ metro, registeredPrefixName: name, samples: samplesOf(ts.data, "average") });
        }
    }
    progress(`  registered prefix latency: ${snapshot.prefixLatency.length} prefixes`);
    const serviceIds = request.peeringServices.map((p) => p.resourceId);
    for (const result of await query(client, serviceIds, ["RoundTripTime"], PEERING_SERVICE_NAMESPACE, {
      ...span,
      interval: window.interval,
      aggregation: "average",
      filter: "ConnectionMonitorTestName eq '*'",
      top: TOP,
    })) {
      const peeringService = resultOwner(result, serviceOf);
      for (const m of usable(result, snapshot))
        for (const ts of m.timeseries) {
          const test = dimensions(ts.metadatavalues).get("connectionmonitortestname");
          if (test !== undefined)
            snapshot.roundTrip.push({ peeringService, test, samples: samplesOf(ts.data, "average") });
        }
    }
    if (serviceIds.length > 0) progress(`  customer round trips: ${snapshot.roundTrip.length} tests`);
    sortSnapshot(snapshot);
    return snapshot;
  } catch (e) {
    if (e instanceof MalformedMetricsError || e instanceof MalformedAnswerError)
      throw new AzureReadError(
        "malformed",
        e instanceof MalformedAnswerError
          ? `Azure Monitor's answer is not the metrics batch API's (${METRICS_API_VERSION}): ${e.message}`
          : e.message,
        `nothing was analysed; check that ${target.endpoint} is Azure Monitor's metrics endpoint (a proxy or captive portal answers HTML) and try again`,
      );
    throw azureReadError(e, { ...target, subscription: request.subscription, resourceGroup: request.resourceGroup });
  }
}

type QueryOptions = NonNullable<Parameters<MetricsClient["queryResources"]>[3]>;
type Metric = MetricsQueryResult["metrics"][number];
type TimeSeries = Metric["timeseries"][number];

async function query(
  client: MetricsClient,
  resourceIds: string[],
  metrics: string[],
  namespace: string,
  options: QueryOptions,
): Promise<MetricsQueryResult[]> {
  const results: MetricsQueryResult[] = [];
  for (let i = 0; i < resourceIds.length; i += BATCH_SIZE)
    results.push(...(await client.queryResources(resourceIds.slice(i, i + BATCH_SIZE), metrics, namespace, options)));
  return results;
}

function resultOwner(result: MetricsQueryResult, owners: Map<string, string>): string {
  const owner = owners.get((result.resourceId ?? "").toLowerCase());
  if (owner === undefined)
    throw new MalformedMetricsError(`an answer for ${result.resourceId ?? "no resource"}, which was not asked for`);
  return owner;
}

/** The metrics of a result that carry data, each with its name from its id; the others noted as unavailable. */
function usable(result: MetricsQueryResult, snapshot: TelemetrySnapshot): Array<Metric & { metric: string }> {
  const out: Array<Metric & { metric: string }> = [];
  for (const m of result.metrics ?? []) {
    const metric = (m.id ?? "").split("/").pop() || m.name;
    if (m.errorCode !== undefined && m.errorCode !== "" && m.errorCode !== "Success") {
      snapshot.unavailable.push({
        resourceId: result.resourceId ?? "",
        metric,
        error: `${m.errorCode}${m.errorMessage ? `: ${m.errorMessage}` : ""}`,
      });
      continue;
    }
    if (!Array.isArray(m.timeseries)) throw new MalformedMetricsError(`metric ${metric} has no timeseries`);
    out.push({ ...m, metric });
  }
  return out;
}

/** Dimension values by name, lower case without spaces (Azure's names may come localized). */
function dimensions(values: TimeSeries["metadatavalues"]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values ?? [])
    if (v.name !== undefined && v.value !== undefined) out.set(v.name.replace(/\s+/g, "").toLowerCase(), v.value);
  return out;
}

function samplesOf(data: TimeSeries["data"], aggregation: "average" | "total"): Sample[] {
  const out: Sample[] = [];
  for (const d of data ?? []) {
    const value = d[aggregation];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    if (!(d.timeStamp instanceof Date) || Number.isNaN(d.timeStamp.getTime()))
      throw new MalformedMetricsError(`a data point without a valid timeStamp`);
    out.push({ at: d.timeStamp.toISOString(), value });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** A second series of the same session and metric (traffic classes Azure did not sum) is added point by point. */
function addSession(sessions: SessionSeries[], series: SessionSeries): void {
  const same = sessions.find(
    (s) =>
      s.metro === series.metro &&
      s.metric === series.metric &&
      s.sessionIp === series.sessionIp &&
      s.connectionId === series.connectionId,
  );
  if (!same) {
    sessions.push(series);
    return;
  }
  const byTime = new Map(same.samples.map((s) => [s.at, s.value]));
  for (const s of series.samples) byTime.set(s.at, (byTime.get(s.at) ?? 0) + s.value);
  same.samples = [...byTime].map(([at, value]) => ({ at, value })).sort((a, b) => a.at.localeCompare(b.at));
}

/** The snapshot's series in one order, whatever order Azure answered in (sorted in place). */
export function sortSnapshot(s: TelemetrySnapshot): void {
  s.sessions.sort(
    (a, b) =>
      a.metro.localeCompare(b.metro) || a.sessionIp.localeCompare(b.sessionIp) || a.metric.localeCompare(b.metric),
  );
  s.prefixLatency.sort((a, b) => a.registeredPrefixName.localeCompare(b.registeredPrefixName));
  s.roundTrip.sort((a, b) => a.peeringService.localeCompare(b.peeringService) || a.test.localeCompare(b.test));
}

/** Azure Monitor's answer is not the metrics API's shape. */
export class MalformedMetricsError extends Error {
  constructor(detail: string) {
    super(`Azure Monitor's answer is not the metrics batch API's (${METRICS_API_VERSION}): ${detail}`);
    this.name = "MalformedMetricsError";
  }
}
