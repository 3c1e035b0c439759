/**
 * The lab's topology, derived from the plan alone (pure: no I/O). Every address the lab adds lives
 * only inside the lab's own network namespaces.
 *
 *   customer-<metro> (one per metro, AS of the customer-originated registered prefix), dual-homed
 *        │  point-to-point links to both SP edges of its metro: eBGP
 *   SP edge routers (the plan's RouterPlans, product FRR config + lab layer)
 *        │  SP backbone: point-to-point links, IS-IS (metro-local cheap, long-haul by distance),
 *        │  iBGP full mesh between loopbacks with next-hop-self
 *        │  one veth per leg, the plan's /31 and /127, named as the leg's bundle interface
 *   Microsoft edge routers (AS 8075, one per leg, lab templates)
 *        │  Microsoft backbone: the same design as the SP's (test/lab/backbone.ts)
 *        │  service LAN (a bridge): the Microsoft edges and the service host
 *   service host (the "Microsoft service" addresses)
 */
import { familyOf, formatAddress, overlaps as overlapsPrefix, parsePrefix, type Prefix } from "../../plan/addressing";
import type { AnnouncedPrefix } from "../../load/inventory";
import { PEERING_SERVICE_COMMUNITY, type Leg, type Plan, type RouterPlan } from "../../plan/model";
import { planBackbone, type BackboneLink, type BackboneSite } from "./backbone";

/** Every namespace the lab creates starts with this, followed by the run id. */
export const LAB_PREFIX = "pac-";

/**
 * Lab-only internal addressing (never announced to Microsoft: the SP's export filter permits only
 * the registered prefixes, exactly).
 */
export const SP_NET = {
  loopback: "10.64.0",
  core: "10.64.1",
  customer: "10.64.2",
  loopbackV6: "fd00:6450::/64",
  customerV6: "fd00:6450:2::/64",
} as const;
export const MSFT_NET = {
  loopback: "10.80.0",
  core: "10.80.1",
  lan: "10.80.75",
  loopbackV6: "fd00:8075::/64",
  lanV6: "fd00:8075:75::/64",
} as const;
const SERVICE_LAN_OCTET = 200;
/** Customer hosts get this offset in every registered prefix, plus the metro's index. */
const CUSTOMER_HOST_OFFSET = 10;

/**
 * "Microsoft service" prefixes the Microsoft side announces. Documentation space only, so nothing
 * here can ever mean a real network: 192.0.2.0/24 is the one RFC 5737 block the lab SP does not
 * register (the session /31s inside it are more specific, connected routes on both ends), and two
 * /48s of 2001:db8::/32 away from the SP's prefixes and session pool. Checked against the plan below.
 */
export const MSFT_SERVICE_PREFIXES = {
  ipv4: ["192.0.2.0/24"],
  ipv6: ["2001:db8:8075::/48", "2001:db8:8076::/48"],
} as const;
export const SERVICE_HOST = { ipv4: "192.0.2.254", ipv6: "2001:db8:8075::254" } as const;
export const FLOOD_EXTRA_PREFIXES = 10;
/**
 * The max-prefix flood: /48s counted up from the start of this /36 (4096 of them at most;
 * documentation space, clear of everything above).
 */
export const FLOOD_COVER_V6 = "2001:db8:a000::/36";

export interface Endpoint {
  ns: string;
  ifname: string;
}

export interface Link {
  /** What the link is, for errors and the report. */
  purpose: string;
  a: Endpoint;
  b: Endpoint;
}

export interface DualStack {
  v4: string;
  v6: string;
}

/** One end of a backbone link: the router's interface, its address and the IS-IS metric. */
export interface CorePort {
  ifname: string;
  /** `10.64.1.4/31` */
  v4: string;
  metric: number;
  /** The router at the other end. */
  peer: string;
}

export interface SpEdge {
  hostname: string;
  ns: string;
  /** The daemon that speaks BGP there: real BIRD 2 where the router's platform is BIRD, else FRR. */
  daemon: "frr" | "bird";
  router: RouterPlan;
  leg: Leg;
  loopback: DualStack;
  /** IS-IS system id, `0000.0000.0001`. */
  systemId: string;
  core: CorePort[];
  /** The link to the customer router of this edge's metro. */
  customerPort: { ifname: string; v4: string; v6: string; peer: DualStack };
}

export interface MsftEdge {
  /** `msft-amsterdam-a` */
  name: string;
  ns: string;
  leg: Leg;
  sp: SpEdge;
  loopback: DualStack;
  systemId: string;
  core: CorePort[];
  /** The service LAN address (the service host's gateway when it points here). */
  lan: DualStack;
  routerId: string;
  /** The interface facing the SP's leg. */
  linkIf: string;
}

export interface CustomerHost {
  afi: "ipv4" | "ipv6";
  address: string;
  /** The registered prefix it lies in. */
  prefix: string;
  origin: "customer" | "sp";
}

export interface CustomerSite {
  /** `customer-amsterdam` */
  name: string;
  metro: string;
  ns: string;
  routerId: string;
  /** One port per SP edge of the metro, in leg order (`sp1`, `sp2`, ...). */
  ports: Array<{ ifname: string; v4: string; v6: string; edge: SpEdge }>;
  /** Host addresses on the customer's `lo`: one in every registered prefix. */
  hosts: CustomerHost[];
}

export interface CustomerAs {
  /** AS of the downstream customer that originates a registered prefix, or the SP's own if none does. */
  asn: number;
  /** Registered prefixes this customer originates (announced to every SP edge of every metro). */
  originated: string[];
}

export interface LabTopology {
  runId: string;
  stack: string;
  plan: Plan;
  sp: SpEdge[];
  msft: MsftEdge[];
  customer: CustomerAs;
  customers: CustomerSite[];
  service: { ns: string; lan: DualStack; ipv4: string; ipv6: string };
  /** The namespace holding the service LAN bridge. */
  serviceLanNs: string;
  spBackbone: BackboneLink[];
  msftBackbone: BackboneLink[];
  sites: { sp: BackboneSite[]; msft: BackboneSite[] };
  links: Link[];
  serviceBgpPrefixes: { ipv4: readonly string[]; ipv6: readonly string[] };
  /** What Microsoft must learn from every leg: the registered prefixes, exactly. */
  registered: { ipv4: string[]; ipv6: string[] };
  community: string;
}

/** Linux interface names: at most 15 bytes, no `/`, no whitespace. */
export function isLinuxIfname(name: string): boolean {
  return /^[A-Za-z0-9_.:-]{1,15}$/.test(name);
}

/** A prefix through the product's own parser (canonical form required, so a typo here fails loudly). */
function prefixOf(text: string): Prefix {
  const r = parsePrefix(text);
  if (!r.ok) throw new Error(`lab: ${r.message}`);
  return r.value;
}

/** Whether two prefixes of the same family overlap. */
export function overlaps(a: string, b: string): boolean {
  return overlapsPrefix(prefixOf(a), prefixOf(b));
}

function contains(prefix: string, address: string): boolean {
  return overlaps(prefix, `${address}/${familyOf(address) === "ipv6" ? 128 : 32}`);
}

/** The `n`-th /48 counted up from the start of FLOOD_COVER_V6. */
export function floodPrefixV6(n: number): string {
  if (n < 0 || n >= 4096) throw new Error(`lab: flood prefix ${n} is outside ${FLOOD_COVER_V6} (4096 /48s)`);
  return `${formatAddress("ipv6", prefixOf(FLOOD_COVER_V6).first + (BigInt(n) << 80n))}/48`;
}

function hostIn(prefix: string, offset: number): string {
  const p = prefixOf(prefix);
  return formatAddress(p.afi, p.first + BigInt(offset));
}

/** IS-IS system id of the n-th router (1-based): `0000.0000.000n` in hex. */
export function systemId(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 0xffff)
    throw new Error(`lab: router number ${n} does not fit an IS-IS system id`);
  return `0000.0000.${n.toString(16).padStart(4, "0")}`;
}

/** Addresses of the n-th /31 in a /24 (`10.64.1` and 2 → `10.64.1.4`, `10.64.1.5`). */
function pointToPoint(net: string, n: number): [string, string] {
  if (n < 0 || n > 127) throw new Error(`lab: point-to-point link ${n} does not fit ${net}.0/24`);
  return [`${net}.${2 * n}`, `${net}.${2 * n + 1}`];
}

/** Ports of every router from the links of a backbone; the i-th link is `core<i>` on both ends. */
function corePorts(links: readonly BackboneLink[], net: string): Map<string, CorePort[]> {
  const ports = new Map<string, CorePort[]>();
  links.forEach((l, i) => {
    const [a, b] = pointToPoint(net, i);
    const ifname = `core${i}`;
    ports.set(l.a, [...(ports.get(l.a) ?? []), { ifname, v4: `${a}/31`, metric: l.metric, peer: l.b }]);
    ports.set(l.b, [...(ports.get(l.b) ?? []), { ifname, v4: `${b}/31`, metric: l.metric, peer: l.a }]);
  });
  return ports;
}

/**
 * The lab of a plan. Throws naming the field when the plan cannot be built as a lab (an interface
 * name Linux cannot carry, a service prefix that collides with the SP's addressing).
 */
export function buildTopology(plan: Plan, runId: string): LabTopology {
  if (!/^[a-z0-9]{1,12}$/.test(runId))
    throw new Error(`lab: run id ${JSON.stringify(runId)} must be 1-12 lowercase letters or digits`);
  const ns = (name: string) => `${LAB_PREFIX}${runId}-${name}`;
  const sessionPrefixes = plan.metros.flatMap((m) => m.legs.flatMap((l) => [l.ipv4.prefix, l.ipv6.prefix]));
  const registered = {
    ipv4: plan.sp.prefixes.filter((p) => !p.prefix.includes(":")).map((p) => p.prefix),
    ipv6: plan.sp.prefixes.filter((p) => p.prefix.includes(":")).map((p) => p.prefix),
  };
  for (const service of [...MSFT_SERVICE_PREFIXES.ipv4, ...MSFT_SERVICE_PREFIXES.ipv6]) {
    const clash = plan.sp.prefixes.find((p) => overlaps(p.prefix, service));
    if (clash)
      throw new Error(
        `lab: Microsoft service prefix ${service} overlaps the SP's registered prefix ${clash.prefix} (${plan.sp.file}); pick another in test/lab/topology.ts`,
      );
  }
  for (const host of [SERVICE_HOST.ipv4, SERVICE_HOST.ipv6]) {
    const clash = sessionPrefixes.find((p) => contains(p, host));
    if (clash)
      throw new Error(
        `lab: service host ${host} lies in session prefix ${clash}; pick another in test/lab/topology.ts`,
      );
  }
  for (const router of plan.routers) {
    if (router.legs.length !== 1) {
      throw new Error(
        `lab: router ${router.hostname} has ${router.legs.length} legs; the lab models one leg per router`,
      );
    }
    const leg = router.legs[0];
    if (!isLinuxIfname(leg.interface)) {
      throw new Error(
        `lab: ${leg.source.file} leg ${leg.id} interface ${JSON.stringify(leg.interface)} cannot be a Linux interface name (15 characters, no / or spaces), so the lab cannot load the config unchanged`,
      );
    }
  }

  const metros = plan.metros.filter((m) => m.legs.length > 0);
  const routerOf = (hostname: string) => plan.routers.find((r) => r.hostname === hostname) as RouterPlan;
  const msftName = (leg: Leg) => `msft-${leg.metro}-${leg.name}`;
  const legsInOrder = (m: (typeof metros)[number]) => [...m.legs].sort((a, b) => a.name.localeCompare(b.name));
  const sites = {
    sp: metros.map((m) => ({
      metro: m.id,
      latitude: m.latitude,
      longitude: m.longitude,
      routers: legsInOrder(m).map((l) => l.hostname),
    })),
    msft: metros.map((m) => ({
      metro: m.id,
      latitude: m.latitude,
      longitude: m.longitude,
      routers: legsInOrder(m).map(msftName),
    })),
  };
  const spBackbone = planBackbone(sites.sp);
  const msftBackbone = planBackbone(sites.msft);
  const spPorts = corePorts(spBackbone, SP_NET.core);
  const msftPorts = corePorts(msftBackbone, MSFT_NET.core);

  const legs = metros.flatMap(legsInOrder);
  const sp: SpEdge[] = legs.map((leg, i) => {
    const [edgeAddr, customerAddr] = pointToPoint(SP_NET.customer, i);
    return {
      hostname: leg.hostname,
      ns: ns(leg.hostname),
      daemon: leg.vendor === "bird" ? ("bird" as const) : ("frr" as const),
      router: routerOf(leg.hostname),
      leg,
      // The router's own router-id where the inventory gives one (the lab stack does), so the
      // product's `bgp router-id` and the lab's backbone agree; else a lab address.
      loopback: {
        v4: routerOf(leg.hostname).routerId ?? `${SP_NET.loopback}.${i + 1}`,
        v6: hostIn(SP_NET.loopbackV6, i + 1),
      },
      systemId: systemId(i + 1),
      core: spPorts.get(leg.hostname) ?? [],
      customerPort: {
        ifname: "cust",
        v4: `${edgeAddr}/31`,
        v6: `${hostIn(SP_NET.customerV6, 2 * i)}/127`,
        peer: { v4: customerAddr, v6: hostIn(SP_NET.customerV6, 2 * i + 1) },
      },
    };
  });
  const loopbacks = new Map<string, string>();
  for (const e of sp) {
    const other = loopbacks.get(e.loopback.v4);
    if (other !== undefined)
      throw new Error(
        `lab: ${e.hostname} and ${other} have the same loopback ${e.loopback.v4} (routerId in the inventory)`,
      );
    loopbacks.set(e.loopback.v4, e.hostname);
  }
  const msft: MsftEdge[] = sp.map((edge, i) => {
    const name = msftName(edge.leg);
    return {
      name,
      ns: ns(name),
      leg: edge.leg,
      sp: edge,
      loopback: { v4: `${MSFT_NET.loopback}.${i + 1}`, v6: hostIn(MSFT_NET.loopbackV6, i + 1) },
      systemId: systemId(i + 1),
      core: msftPorts.get(name) ?? [],
      lan: { v4: `${MSFT_NET.lan}.${i + 1}`, v6: hostIn(MSFT_NET.lanV6, i + 1) },
      routerId: `${MSFT_NET.loopback}.${i + 1}`,
      linkIf: "to-sp",
    };
  });

  const customerPrefixes: AnnouncedPrefix[] = plan.sp.prefixes.filter((p) => p.originAsn !== plan.sp.asn);
  const customerAsns = [...new Set(customerPrefixes.map((p) => p.originAsn))];
  if (customerAsns.length > 1) {
    throw new Error(
      `lab: registered prefixes of ${customerAsns.length} customer ASNs (${customerAsns.join(", ")}); the lab models one downstream customer`,
    );
  }
  const customer: CustomerAs = {
    asn: customerAsns[0] ?? plan.sp.asn,
    originated: customerPrefixes.map((p) => p.prefix),
  };
  const customers: CustomerSite[] = metros.map((m, mi) => {
    const edges = sp.filter((e) => e.leg.metro === m.id);
    return {
      name: `customer-${m.id}`,
      metro: m.id,
      ns: ns(`customer-${m.id}`),
      routerId: edges[0].customerPort.peer.v4,
      ports: edges.map((edge, k) => ({
        ifname: `sp${k + 1}`,
        v4: `${edge.customerPort.peer.v4}/31`,
        v6: `${edge.customerPort.peer.v6}/127`,
        edge,
      })),
      hosts: plan.sp.prefixes.map((p) => ({
        afi: p.prefix.includes(":") ? ("ipv6" as const) : ("ipv4" as const),
        address: hostIn(p.prefix, CUSTOMER_HOST_OFFSET + mi),
        prefix: p.prefix,
        origin: p.originAsn === plan.sp.asn ? ("sp" as const) : ("customer" as const),
      })),
    };
  });
  const service = {
    ns: ns("service"),
    lan: { v4: `${MSFT_NET.lan}.${SERVICE_LAN_OCTET}`, v6: hostIn(MSFT_NET.lanV6, SERVICE_LAN_OCTET) },
    ipv4: SERVICE_HOST.ipv4,
    ipv6: SERVICE_HOST.ipv6,
  };
  const serviceLanNs = ns("service-lan");

  const byName = new Map<string, string>([
    ...sp.map((e) => [e.hostname, e.ns] as const),
    ...msft.map((m) => [m.name, m.ns] as const),
  ]);
  const coreLinks = (backbone: BackboneLink[], label: string): Link[] =>
    backbone.map((l, i) => ({
      purpose: `${label} ${l.kind} link ${l.a} – ${l.b} (IS-IS metric ${l.metric})`,
      a: { ns: byName.get(l.a) as string, ifname: `core${i}` },
      b: { ns: byName.get(l.b) as string, ifname: `core${i}` },
    }));
  const links: Link[] = [
    ...msft.map((m) => ({
      purpose: `leg ${m.leg.id}`,
      a: { ns: m.sp.ns, ifname: m.leg.interface },
      b: { ns: m.ns, ifname: m.linkIf },
    })),
    ...coreLinks(spBackbone, "SP backbone"),
    ...coreLinks(msftBackbone, "Microsoft backbone"),
    ...customers.flatMap((c) =>
      c.ports.map((p) => ({
        purpose: `${c.name} to ${p.edge.hostname}`,
        a: { ns: p.edge.ns, ifname: p.edge.customerPort.ifname },
        b: { ns: c.ns, ifname: p.ifname },
      })),
    ),
    ...msft.map((m, i) => ({
      purpose: `service LAN port of ${m.name}`,
      a: { ns: m.ns, ifname: "lan" },
      b: { ns: serviceLanNs, ifname: `p${i + 1}` },
    })),
    {
      purpose: "service LAN port of the service host",
      a: { ns: service.ns, ifname: "lan" },
      b: { ns: serviceLanNs, ifname: `p${SERVICE_LAN_OCTET}` },
    },
  ];

  return {
    runId,
    stack: plan.stack,
    plan,
    sp,
    msft,
    customer,
    customers,
    service,
    serviceLanNs,
    spBackbone,
    msftBackbone,
    sites,
    links,
    serviceBgpPrefixes: MSFT_SERVICE_PREFIXES,
    registered,
    community: PEERING_SERVICE_COMMUNITY,
  };
}

/** Every namespace of the lab, routers first. */
export function namespacesOf(t: LabTopology): string[] {
  return [
    ...t.sp.map((e) => e.ns),
    ...t.msft.map((m) => m.ns),
    ...t.customers.map((c) => c.ns),
    t.service.ns,
    t.serviceLanNs,
  ];
}

/** The customer site of a metro. */
export function customerOf(t: LabTopology, metro: string): CustomerSite {
  const c = t.customers.find((x) => x.metro === metro);
  if (!c) throw new Error(`lab: no customer in metro ${metro}`);
  return c;
}

/** The Microsoft edge facing an SP edge's leg. */
export function msftOf(t: LabTopology, edge: SpEdge): MsftEdge {
  const m = t.msft.find((x) => x.sp === edge);
  if (!m) throw new Error(`lab: no Microsoft edge faces ${edge.hostname}`);
  return m;
}
