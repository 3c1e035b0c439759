/**
 * The lab's topology, derived from the plan alone (pure: no I/O). Every address the lab adds lives
 * only inside the lab's own network namespaces.
 *
 *   customer (AS of a customer-originated registered prefix, plus the SP's own customer hosts)
 *        │  SP backbone LAN (a bridge in its own namespace): iBGP full mesh, next-hop-self
 *   SP edge routers (the plan's RouterPlans, product FRR config + lab layer)
 *        │  one veth per leg, the plan's /31 and /127, named as the leg's bundle interface
 *   Microsoft edge routers (AS 8075, one per leg, lab templates)
 *        │  Microsoft backbone LAN (a bridge in its own namespace): iBGP full mesh, next-hop-self
 *   service host (the "Microsoft service" addresses)
 */
import { familyOf, formatAddress, overlaps as overlapsPrefix, parsePrefix, type Prefix } from "../../plan/addressing";
import type { AnnouncedPrefix } from "../../load/inventory";
import { PEERING_SERVICE_COMMUNITY, type Leg, type Plan, type RouterPlan } from "../../plan/model";

/** Every namespace the lab creates starts with this, followed by the run id. */
export const LAB_PREFIX = "pac-";

/** Lab-only internal addressing (never announced to Microsoft: the SP's export filter permits only registered prefixes). */
export const SP_BACKBONE = { v4: "10.64.50", v6: "fd00:6450::" } as const;
export const MSFT_BACKBONE = { v4: "10.80.75", v6: "fd00:8075::" } as const;
const CUSTOMER_HOST_OCTET = 100;
const SERVICE_HOST_OCTET = 200;

/**
 * "Microsoft service" prefixes the Microsoft side announces. Documentation space only, so nothing
 * here can ever mean a real network: 192.0.2.0/24 is the one RFC 5737 block the lab SP does not
 * register (the session /31s inside it are more specific, connected routes on both ends), and two
 * /48s of 2001:db8::/32 away from the SP's prefixes and session pool. Checked against the plan below.
 */
export const MSFT_SERVICE_PREFIXES = { ipv4: ["192.0.2.0/24"], ipv6: ["2001:db8:8075::/48", "2001:db8:8076::/48"] } as const;
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

export interface BackboneAddress {
  v4: string;
  v6: string;
}

export interface SpEdge {
  hostname: string;
  ns: string;
  router: RouterPlan;
  leg: Leg;
  backbone: BackboneAddress;
}

export interface MsftEdge {
  /** `msft-amsterdam-a` */
  name: string;
  ns: string;
  leg: Leg;
  sp: SpEdge;
  backbone: BackboneAddress;
  routerId: string;
  /** The interface facing the SP's leg. */
  linkIf: string;
}

export interface CustomerSide {
  ns: string;
  /** AS of the downstream customer that originates a registered prefix, or the SP's own if none does. */
  asn: number;
  /** Registered prefixes this customer originates (announced by its router over eBGP to every SP edge). */
  originated: string[];
  backbone: BackboneAddress;
  /** Host addresses on the customer's `lo`: one in every registered prefix with an IPv4 or IPv6 host. */
  hosts: Array<{ afi: "ipv4" | "ipv6"; address: string; prefix: string; origin: "customer" | "sp" }>;
}

export interface LabTopology {
  runId: string;
  stack: string;
  plan: Plan;
  spBackboneNs: string;
  msftBackboneNs: string;
  sp: SpEdge[];
  msft: MsftEdge[];
  customer: CustomerSide;
  service: { ns: string; backbone: BackboneAddress; ipv4: string; ipv6: string };
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

/**
 * The lab of a plan. Throws naming the field when the plan cannot be built as a lab (an interface
 * name Linux cannot carry, a service prefix that collides with the SP's addressing).
 */
export function buildTopology(plan: Plan, runId: string): LabTopology {
  if (!/^[a-z0-9]{1,12}$/.test(runId)) throw new Error(`lab: run id ${JSON.stringify(runId)} must be 1-12 lowercase letters or digits`);
  const ns = (name: string) => `${LAB_PREFIX}${runId}-${name}`;
  const sessionPrefixes = plan.metros.flatMap((m) => m.legs.flatMap((l) => [l.ipv4.prefix, l.ipv6.prefix]));
  const registered = {
    ipv4: plan.sp.prefixes.filter((p) => !p.prefix.includes(":")).map((p) => p.prefix),
    ipv6: plan.sp.prefixes.filter((p) => p.prefix.includes(":")).map((p) => p.prefix),
  };
  for (const service of [...MSFT_SERVICE_PREFIXES.ipv4, ...MSFT_SERVICE_PREFIXES.ipv6]) {
    const clash = plan.sp.prefixes.find((p) => overlaps(p.prefix, service));
    if (clash) throw new Error(`lab: Microsoft service prefix ${service} overlaps the SP's registered prefix ${clash.prefix} (${plan.sp.file}); pick another in test/lab/topology.ts`);
  }
  for (const host of [SERVICE_HOST.ipv4, SERVICE_HOST.ipv6]) {
    const clash = sessionPrefixes.find((p) => contains(p, host));
    if (clash) throw new Error(`lab: service host ${host} lies in session prefix ${clash}; pick another in test/lab/topology.ts`);
  }

  const sp: SpEdge[] = plan.routers.map((router, i) => {
    if (router.legs.length !== 1) {
      throw new Error(`lab: router ${router.hostname} has ${router.legs.length} legs; the lab models one leg per router`);
    }
    const leg = router.legs[0];
    if (!isLinuxIfname(leg.interface)) {
      throw new Error(`lab: ${leg.source.file} leg ${leg.id} interface ${JSON.stringify(leg.interface)} cannot be a Linux interface name (15 characters, no / or spaces), so the lab cannot load the config unchanged`);
    }
    return {
      hostname: router.hostname,
      ns: ns(router.hostname),
      router,
      leg,
      backbone: { v4: `${SP_BACKBONE.v4}.${i + 1}`, v6: `${SP_BACKBONE.v6}${i + 1}` },
    };
  });
  const msft: MsftEdge[] = sp.map((edge, i) => {
    const name = `msft-${edge.leg.metro}-${edge.leg.name}`;
    return {
      name,
      ns: ns(name),
      leg: edge.leg,
      sp: edge,
      backbone: { v4: `${MSFT_BACKBONE.v4}.${i + 1}`, v6: `${MSFT_BACKBONE.v6}${i + 1}` },
      routerId: `${MSFT_BACKBONE.v4}.${i + 1}`,
      linkIf: "to-sp",
    };
  });

  const customerPrefixes: AnnouncedPrefix[] = plan.sp.prefixes.filter((p) => p.originAsn !== plan.sp.asn);
  const customerAsns = [...new Set(customerPrefixes.map((p) => p.originAsn))];
  if (customerAsns.length > 1) {
    throw new Error(`lab: registered prefixes of ${customerAsns.length} customer ASNs (${customerAsns.join(", ")}); the lab models one downstream customer`);
  }
  const customerAsn = customerAsns[0] ?? plan.sp.asn;
  const customer: CustomerSide = {
    ns: ns("customer"),
    asn: customerAsn,
    originated: customerPrefixes.map((p) => p.prefix),
    backbone: { v4: `${SP_BACKBONE.v4}.${CUSTOMER_HOST_OCTET}`, v6: `${SP_BACKBONE.v6}${CUSTOMER_HOST_OCTET}` },
    hosts: plan.sp.prefixes.map((p) => ({
      afi: p.prefix.includes(":") ? ("ipv6" as const) : ("ipv4" as const),
      address: hostIn(p.prefix, 10),
      prefix: p.prefix,
      origin: p.originAsn === plan.sp.asn ? ("sp" as const) : ("customer" as const),
    })),
  };
  const service = {
    ns: ns("service"),
    backbone: { v4: `${MSFT_BACKBONE.v4}.${SERVICE_HOST_OCTET}`, v6: `${MSFT_BACKBONE.v6}${SERVICE_HOST_OCTET}` },
    ipv4: SERVICE_HOST.ipv4,
    ipv6: SERVICE_HOST.ipv6,
  };

  const spBackboneNs = ns("sp-backbone");
  const msftBackboneNs = ns("msft-backbone");
  const links: Link[] = [
    ...msft.map((m) => ({ purpose: `leg ${m.leg.id}`, a: { ns: m.sp.ns, ifname: m.leg.interface }, b: { ns: m.ns, ifname: m.linkIf } })),
    ...sp.map((e, i) => ({ purpose: `SP backbone port of ${e.hostname}`, a: { ns: e.ns, ifname: "backbone" }, b: { ns: spBackboneNs, ifname: `p${i + 1}` } })),
    { purpose: "SP backbone port of the customer", a: { ns: customer.ns, ifname: "backbone" }, b: { ns: spBackboneNs, ifname: `p${CUSTOMER_HOST_OCTET}` } },
    ...msft.map((m, i) => ({ purpose: `Microsoft backbone port of ${m.name}`, a: { ns: m.ns, ifname: "backbone" }, b: { ns: msftBackboneNs, ifname: `p${i + 1}` } })),
    { purpose: "Microsoft backbone port of the service host", a: { ns: service.ns, ifname: "backbone" }, b: { ns: msftBackboneNs, ifname: `p${SERVICE_HOST_OCTET}` } },
  ];

  return {
    runId,
    stack: plan.stack,
    plan,
    spBackboneNs,
    msftBackboneNs,
    sp,
    msft,
    customer,
    service,
    links,
    serviceBgpPrefixes: MSFT_SERVICE_PREFIXES,
    registered,
    community: PEERING_SERVICE_COMMUNITY,
  };
}

/** Every namespace of the lab, routers first. */
export function namespacesOf(t: LabTopology): string[] {
  return [...t.sp.map((e) => e.ns), ...t.msft.map((m) => m.ns), t.customer.ns, t.service.ns, t.spBackboneNs, t.msftBackboneNs];
}
