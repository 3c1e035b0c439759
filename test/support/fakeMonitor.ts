/**
 * Azure Monitor's metrics batch API on the fake ARM endpoint: `POST
 * /subscriptions/{s}/metrics:getBatch?api-version=2024-02-01&metricnamespace=…&metricnames=…&starttime=…
 * &endtime=…&interval=…&aggregation=…&filter=…&top=…` with `{"resourceids": [...]}`, answering
 * `{"values": [{starttime, endtime, interval, namespace, resourceregion, resourceid, value: [metric]}]}`
 * as Azure does (names as `{value, localizedValue}`, `errorCode: "Success"`).
 *
 * What it refuses as Azure does (400 BadRequest): resources of another subscription or of two
 * regions in one call, more than 50 resources, a namespace or metric the resource type does not
 * have, a time grain the metric does not support (RegisteredPrefixLatency is hourly only), a
 * dimension in the filter the metric does not have (TrafficClass on FlapCounts).
 *
 * The world holds, per resource, series as functions of time; the fake samples them at every
 * interval of the asked window and sums the dimensions the filter leaves out (traffic classes).
 */
import { legsInOrder, isAddressed, type Plan } from "../../plan/model";
import { LIFECYCLE } from "../../plan/lifecycle";
import { peeringName, registeredPrefixName } from "../../plan/peeringTags";
import { peeringId } from "./armResources";
import { connectionIdOf } from "./armWorld";
import type { ArmResponse, FakeArm } from "./fakeArm";
import { SESSION_METRICS, type TelemetrySnapshot } from "../../telemetry/model";
import { sortSnapshot, type TelemetryRequest } from "../../telemetry/reader";

export const FAKE_MONITOR_API_VERSION = "2024-02-01";

interface MetricDefinition {
  namespace: string;
  unit: string;
  dimensions: string[];
  grains: string[];
}

/** learn.microsoft.com, azure-monitor/reference/supported-metrics (Microsoft.Peering/peerings, peeringServices). */
const METRICS: Record<string, MetricDefinition> = {
  SessionAvailability: {
    namespace: "Microsoft.Peering/peerings",
    unit: "Count",
    dimensions: ["ConnectionId", "SessionIp"],
    grains: ["PT5M", "PT1H"],
  },
  FlapCounts: {
    namespace: "Microsoft.Peering/peerings",
    unit: "Count",
    dimensions: ["ConnectionId", "SessionIp"],
    grains: ["PT1M", "PT5M", "PT1H"],
  },
  IngressTrafficRate: {
    namespace: "Microsoft.Peering/peerings",
    unit: "BitsPerSecond",
    dimensions: ["ConnectionId", "SessionIp", "TrafficClass"],
    grains: ["PT1M", "PT5M", "PT1H"],
  },
  EgressTrafficRate: {
    namespace: "Microsoft.Peering/peerings",
    unit: "BitsPerSecond",
    dimensions: ["ConnectionId", "SessionIp", "TrafficClass"],
    grains: ["PT1M", "PT5M", "PT1H"],
  },
  PacketDropRate: {
    namespace: "Microsoft.Peering/peerings",
    unit: "BitsPerSecond",
    dimensions: ["ConnectionId", "SessionIp", "TrafficClass"],
    grains: ["PT1M", "PT5M", "PT1H"],
  },
  RegisteredPrefixLatency: {
    namespace: "Microsoft.Peering/peerings",
    unit: "MilliSeconds",
    dimensions: ["RegisteredPrefixName"],
    grains: ["PT1H"],
  },
  RoundTripTime: {
    namespace: "Microsoft.Peering/peeringServices",
    unit: "MilliSeconds",
    dimensions: ["ConnectionMonitorTestName"],
    grains: ["PT1M", "PT5M", "PT1H"],
  },
};

/** A series: its dimension values and its value at a time (ms since the epoch); undefined for no data. */
export interface FakeSeries {
  dims: Record<string, string>;
  value: (t: number) => number | undefined;
}

export interface MonitorResource {
  region: string;
  namespace: string;
  metrics: Record<string, FakeSeries[]>;
}

/** By resource id (compared case-insensitively). */
export type MonitorWorld = Record<string, MonitorResource>;

const GRAIN_MS: Record<string, number> = { PT1M: 60_000, PT5M: 300_000, PT1H: 3_600_000 };

const badRequest = (message: string): ArmResponse => ({
  status: 400,
  body: { error: { code: "BadRequest", message } },
});

/** Serves `world()` (read at every request, so a test may change it) on `fake`. */
export function serveMonitor(fake: FakeArm, world: () => MonitorWorld): void {
  fake.route(
    "POST",
    /^\/subscriptions\/([^/]+)\/metrics:getBatch$/,
    ({ request, params }) => {
      const q = request.query;
      let ids: string[];
      try {
        const body = JSON.parse(request.body) as { resourceids?: unknown };
        if (!Array.isArray(body.resourceids) || body.resourceids.some((r) => typeof r !== "string"))
          return badRequest("The request body must hold resourceids, a list of resource ids.");
        ids = body.resourceids as string[];
      } catch {
        return badRequest("The request body is not JSON.");
      }
      if (ids.length === 0 || ids.length > 50)
        return badRequest("Between 1 and 50 resource ids may be queried at once.");
      const w = world();
      const resources: Array<[string, MonitorResource]> = [];
      for (const id of ids) {
        if (!id.toLowerCase().startsWith(`/subscriptions/${params[0].toLowerCase()}/`))
          return badRequest(`Resource ${id} is not in subscription ${params[0]}.`);
        const found = Object.entries(w).find(([k]) => k.toLowerCase() === id.toLowerCase());
        if (!found)
          return {
            status: 404,
            body: { error: { code: "ResourceNotFound", message: `The resource ${id} was not found.` } },
          };
        resources.push([id, found[1]]);
      }
      if (new Set(resources.map(([, r]) => r.region)).size > 1)
        return badRequest("All resources of a batch must be in the same region.");
      const namespace = q.get("metricnamespace") ?? "";
      const names = (q.get("metricnames") ?? "").split(",").filter((n) => n !== "");
      const interval = q.get("interval") ?? "PT1M";
      const start = Date.parse(q.get("starttime") ?? "");
      const end = Date.parse(q.get("endtime") ?? "");
      if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start)
        return badRequest("starttime and endtime must be ISO 8601 times, start before end.");
      const step = GRAIN_MS[interval];
      if (step === undefined) return badRequest(`Interval ${interval} is not supported.`);
      const aggregations = (q.get("aggregation") ?? "average").toLowerCase().split(",");
      const filterDims = [...(q.get("filter") ?? "").matchAll(/(\w+) eq '\*'/g)].map((m) => m[1]);
      const top = Number(q.get("top") ?? "10");
      const values = [];
      for (const [id, resource] of resources) {
        if (resource.namespace.toLowerCase() !== namespace.toLowerCase())
          return badRequest(`Metric namespace ${namespace} is not valid for resource ${id}.`);
        const metrics = [];
        for (const name of names) {
          const def = METRICS[name];
          if (def === undefined || def.namespace.toLowerCase() !== namespace.toLowerCase())
            return badRequest(`Failed to find metric configuration for provider: ${namespace}, metric: ${name}.`);
          if (!def.grains.includes(interval))
            return badRequest(`Metric ${name} does not support the requested time grain ${interval}.`);
          const unknown = filterDims.filter((d) => !def.dimensions.some((x) => x.toLowerCase() === d.toLowerCase()));
          if (unknown.length > 0)
            return badRequest(
              `Metric: ${name} does not support requested dimension combination: ${unknown.join(",")}.`,
            );
          const timeseries = sampled(resource.metrics[name] ?? [], filterDims, start, end, step)
            .slice(0, top)
            .map((g) => ({
              metadatavalues: g.dims.map(([k, v]) => ({
                name: { value: k.toLowerCase(), localizedValue: k },
                value: v,
              })),
              data: g.points.map(([t, v]) => ({
                timeStamp: new Date(t).toISOString(),
                ...Object.fromEntries(aggregations.filter((a) => a === "average" || a === "total").map((a) => [a, v])),
              })),
            }));
          metrics.push({
            id: `${id}/providers/Microsoft.Insights/metrics/${name}`,
            type: "Microsoft.Insights/metrics",
            name: { value: name, localizedValue: name.replace(/([a-z])([A-Z])/g, "$1 $2") },
            displayDescription: "",
            errorCode: "Success",
            unit: def.unit,
            timeseries,
          });
        }
        values.push({
          starttime: new Date(start).toISOString(),
          endtime: new Date(end).toISOString(),
          interval,
          namespace,
          resourceregion: resource.region,
          resourceid: id,
          value: metrics,
        });
      }
      return { status: 200, body: { values } };
    },
    [FAKE_MONITOR_API_VERSION],
  );
}

/**
 * The series of one metric as Azure answers a filter on `filterDims`: one per value of those
 * dimensions, the others (traffic classes) summed, sampled at every `step` of [start, end).
 */
function sampled(
  series: readonly FakeSeries[],
  filterDims: readonly string[],
  start: number,
  end: number,
  step: number,
): Array<{ dims: Array<[string, string]>; points: Array<[number, number]> }> {
  const groups = new Map<string, { dims: Array<[string, string]>; members: FakeSeries[] }>();
  for (const one of series) {
    const dims = filterDims.map((d): [string, string] => {
      const key = Object.keys(one.dims).find((k) => k.toLowerCase() === d.toLowerCase()) ?? d;
      return [key, one.dims[key] ?? ""];
    });
    const key = JSON.stringify(dims);
    const g = groups.get(key) ?? { dims, members: [] };
    g.members.push(one);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    dims: g.dims,
    points: points(start, end, step).flatMap((t): Array<[number, number]> => {
      const vs = g.members.map((m) => m.value(t)).filter((v): v is number => v !== undefined);
      return vs.length === 0 ? [] : [[t, vs.reduce((a, b) => a + b, 0)]];
    }),
  }));
}

/**
 * What the reader makes of a world, without HTTP (for the pure analysis and page tests;
 * test/telemetry/reader.test.ts holds the reader to it through the real SDK).
 */
export function telemetryOf(world: MonitorWorld, request: TelemetryRequest): TelemetrySnapshot {
  const start = Date.parse(request.window.start);
  const end = Date.parse(request.window.end);
  const step = GRAIN_MS[request.window.interval];
  const find = (id: string) => Object.entries(world).find(([k]) => k.toLowerCase() === id.toLowerCase())?.[1];
  const samples = (pts: Array<[number, number]>) => pts.map(([t, value]) => ({ at: new Date(t).toISOString(), value }));
  const snapshot: TelemetrySnapshot = {
    window: request.window,
    peerings: request.peerings,
    sessions: [],
    prefixLatency: [],
    roundTrip: [],
    unavailable: [],
  };
  for (const p of request.peerings) {
    const resource = find(p.resourceId);
    for (const metric of SESSION_METRICS)
      for (const g of sampled(resource?.metrics[metric] ?? [], ["ConnectionId", "SessionIp"], start, end, step)) {
        const dims = new Map(g.dims);
        snapshot.sessions.push({
          metro: p.metro,
          metric,
          connectionId: dims.get("ConnectionId") ?? "",
          sessionIp: dims.get("SessionIp") ?? "",
          samples: samples(g.points),
        });
      }
    for (const g of sampled(
      resource?.metrics.RegisteredPrefixLatency ?? [],
      ["RegisteredPrefixName"],
      start,
      end,
      GRAIN_MS.PT1H,
    ))
      snapshot.prefixLatency.push({ metro: p.metro, registeredPrefixName: g.dims[0][1], samples: samples(g.points) });
  }
  for (const s of request.peeringServices)
    for (const g of sampled(
      find(s.resourceId)?.metrics.RoundTripTime ?? [],
      ["ConnectionMonitorTestName"],
      start,
      end,
      step,
    ))
      snapshot.roundTrip.push({ peeringService: s.name, test: g.dims[0][1], samples: samples(g.points) });
  sortSnapshot(snapshot);
  return snapshot;
}

function points(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(start / step) * step; t < end; t += step) out.push(t);
  return out;
}

/** A day's swing: traffic peaks in the evening (UTC) and is lowest at night. */
const diurnal = (base: number, swing: number) => (t: number) =>
  base + swing * Math.sin(((t / 3_600_000 - 14) / 24) * 2 * Math.PI);

export interface HealthyOptions {
  subscription: string;
  /** Bits per second each leg carries in each direction on average. */
  legRateBps?: number;
  /** Median latency of every registered prefix, ms. */
  prefixLatencyMs?: number;
}

/** The traffic classes the fake splits each rate into (Azure's values are not documented; these are arbitrary). */
export const TRAFFIC_CLASSES = ["class-a", "class-b"] as const;

/**
 * A healthy stack as Azure Monitor would see it: every session of every leg in service up all
 * the time, no flaps, no drops, equal load on every leg (split over two traffic classes and both
 * families), and each registered prefix measured at `prefixLatencyMs` on its home peering.
 */
export function monitorAsPlanned(plan: Plan, options: HealthyOptions): MonitorWorld {
  const world: MonitorWorld = {};
  const rate = options.legRateBps ?? 4e9;
  for (const metro of plan.metros) {
    if (!metro.declared) continue;
    const id = peeringId(options.subscription, plan.sp.resourceGroup, peeringName(plan.sp.asn, metro.id));
    const metrics: Record<string, FakeSeries[]> = {};
    const add = (name: string, series: FakeSeries) => (metrics[name] ??= []).push(series);
    for (const leg of legsInOrder(metro).filter(isAddressed)) {
      if (!LIFECYCLE[leg.status].inService) continue;
      for (const afi of ["ipv4", "ipv6"] as const) {
        const dims = { ConnectionId: connectionIdOf(leg), SessionIp: leg[afi].microsoft };
        add("SessionAvailability", { dims, value: () => 100 });
        add("FlapCounts", { dims, value: () => 0 });
        // IPv4 carries three quarters of the traffic; the classes split it evenly.
        const share = (afi === "ipv4" ? 0.75 : 0.25) / TRAFFIC_CLASSES.length;
        for (const tc of TRAFFIC_CLASSES) {
          add("IngressTrafficRate", {
            dims: { ...dims, TrafficClass: tc },
            value: diurnal(rate * share, rate * share * 0.5),
          });
          add("EgressTrafficRate", {
            dims: { ...dims, TrafficClass: tc },
            value: diurnal(rate * share * 0.4, rate * share * 0.2),
          });
          add("PacketDropRate", { dims: { ...dims, TrafficClass: tc }, value: () => 0 });
        }
      }
    }
    for (const r of plan.registrations)
      if (r.kind === "prefix" && r.home === metro.id)
        add("RegisteredPrefixLatency", {
          dims: { RegisteredPrefixName: registeredPrefixName(r.key, r.asn) },
          value: diurnal(options.prefixLatencyMs ?? 6, 0.5),
        });
    world[id] = { region: plan.sp.location ?? "westeurope", namespace: "Microsoft.Peering/peerings", metrics };
  }
  return world;
}

/** The series of `metric` on `resourceId` whose dimensions include `match` (to change them). */
export function seriesOf(
  world: MonitorWorld,
  resourceId: string,
  metric: string,
  match: Record<string, string>,
): FakeSeries[] {
  const resource = Object.entries(world).find(([k]) => k.toLowerCase() === resourceId.toLowerCase())?.[1];
  const found = (resource?.metrics[metric] ?? []).filter((s) =>
    Object.entries(match).every(([k, v]) => s.dims[k] === v),
  );
  if (found.length === 0)
    throw new Error(`test: no ${metric} series matching ${JSON.stringify(match)} on ${resourceId}`);
  return found;
}
