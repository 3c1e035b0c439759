/**
 * Every config the lab loads. The SP edges get the product's FRR rendering of their RouterPlan,
 * unchanged (`renderer.render({ ...router, vendor: "frr" }, secrets)`: the lab runs FRR for every SP
 * router whatever its inventory vendor), plus a separate lab-only layer for the SP's internal network.
 * The Microsoft edges and the customer are rendered from lab-only templates in test/lab/templates/.
 */
import * as fs from "fs";
import * as path from "path";
import Handlebars from "handlebars";
import { createRenderer, loadTemplateSources, type SecretResolver } from "../../render";
import { MICROSOFT_ASN } from "../../plan/model";
import { igpDistances, METRO_LINK_METRIC } from "./backbone";
import { customerOf, type CustomerSite, type LabTopology, type MsftEdge, type SpEdge } from "./topology";

export const LAB_TEMPLATE_DIR = path.join(__dirname, "templates");
/** Microsoft accepts Peering Service paths of at most this many ASNs. */
export const MAX_AS_PATH_LENGTH = 3;

export interface RouterConfigs {
  /** Namespace (one router per namespace). */
  ns: string;
  name: string;
  /** `extra`: a router one scenario adds to the running lab (Lab.addRouter). */
  role: "sp" | "msft" | "customer" | "extra";
  /**
   * Loaded first into FRR: for an SP edge that runs FRR, the product's config, byte for byte; for
   * the one that runs BIRD, nothing (its FRR only carries the lab's IGP layer).
   */
  config: string;
  /** Loaded after `config`, SP edges only: the lab-only layer. */
  labLayer?: string;
  /**
   * SP edges whose platform is BIRD: real BIRD 2 with the product's own BIRD rendering (`product`,
   * byte for byte, included by `main`, the router's bird.conf with the lab's BGP), and the leg's
   * addresses, which the OS configures on a BIRD router.
   */
  bird?: { product: string; main: (paths: { productFile: string; logFile: string }) => string; addresses: string[] };
}

const AFI = {
  ipv4: { name: "ipv4", tag: "V4", match: "ip" },
  ipv6: { name: "ipv6", tag: "V6", match: "ipv6" },
} as const;

function labTemplates(): {
  msft: HandlebarsTemplateDelegate;
  sp: HandlebarsTemplateDelegate;
  customer: HandlebarsTemplateDelegate;
  bird: HandlebarsTemplateDelegate;
} {
  const env = Handlebars.create();
  env.registerHelper("seq", (index: unknown) => {
    if (typeof index !== "number") throw new Error("seq: index must be a number");
    return (index + 1) * 10;
  });
  env.registerHelper("isV6", (afi: unknown) => afi === "ipv6");
  const compile = (file: string) =>
    env.compile(fs.readFileSync(path.join(LAB_TEMPLATE_DIR, file), "utf8"), { noEscape: true, strict: true });
  return {
    msft: compile("msft-edge.hbs"),
    sp: compile("sp-lab-layer.hbs"),
    customer: compile("customer.hbs"),
    bird: compile("bird-lab.hbs"),
  };
}

/** Lines of a config without trailing spaces or runs of blank lines (as the product normalises). */
function tidy(text: string): string {
  return `${text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l, i, all) => !(l === "" && (i === 0 || all[i - 1] === "")))
    .join("\n")
    .trim()}\n`;
}

/** GTSM on the SP's session to this Microsoft address, as planned (and rendered on every platform). */
export function ttlSecurityHops(edge: SpEdge, neighbor: string): number | undefined {
  return edge.router.sessions.find((x) => x.peerAddress === neighbor)?.gtsm ? 1 : undefined;
}

/** A regex of FRR's as-path lists that matches paths of more than `n` ASNs. */
export function longerThanRegex(n: number): string {
  return `^[0-9]+${" [0-9]+".repeat(n)}`;
}

/**
 * The lab's own BGP sessions (iBGP, customers) retry a failed connect after this many seconds, so
 * that bring-up never waits on a 120 s timer while IS-IS converges.
 */
export const LAB_CONNECT_RETRY_SECONDS = 2;
const HOST_LENGTH = { ipv4: 32, ipv6: 128 } as const;

const cidr = (address: string, afi: "ipv4" | "ipv6") => `${address}/${HOST_LENGTH[afi]}`;

export function msftConfig(t: LabTopology, m: MsftEdge, secrets: SecretResolver): string {
  const tpl = labTemplates().msft;
  const leg = m.leg;
  const password = leg.md5KeySecret === undefined ? undefined : secrets(leg.md5KeySecret);
  const others = t.msft.filter((o) => o !== m);
  const maxPrefix = t.plan.sp.advertisedMaxPrefix;
  const afis = (["ipv4", "ipv6"] as const).map((afi) => ({
    ...AFI[afi],
    sp: leg[afi].sp,
    ttlSecurityHops: ttlSecurityHops(m.sp, leg[afi].microsoft),
    // FRR runs a GTSM session's BFD as multihop BFD (README, TTL security); BIRD, as the product
    // renders it, runs single-hop BFD on the link: facing BIRD, this edge keeps a single-hop BFD
    // peer of its own, and its BGP follows the link (fast external failover) and the hold timer.
    staticBfd: m.sp.daemon === "bird",
    ibgpPeers: others.map((o) => (afi === "ipv4" ? o.loopback.v4 : o.loopback.v6)),
    maxPrefix: maxPrefix[afi],
  }));
  return tidy(
    tpl({
      asn: MICROSOFT_ASN,
      hostname: m.name,
      legId: leg.id,
      spHostname: m.sp.hostname,
      spAsn: t.plan.sp.asn,
      community: t.community,
      maxPathLength: MAX_AS_PATH_LENGTH,
      tooLongRegex: longerThanRegex(MAX_AS_PATH_LENGTH),
      routerId: m.routerId,
      connectRetry: LAB_CONNECT_RETRY_SECONDS,
      systemId: m.systemId,
      link: {
        ifname: m.linkIf,
        ipv4: `${leg.ipv4.microsoft}/${leg.ipv4.prefixLength}`,
        ipv6: `${leg.ipv6.microsoft}/${leg.ipv6.prefixLength}`,
      },
      loopback: { ipv4: cidr(m.loopback.v4, "ipv4"), ipv6: cidr(m.loopback.v6, "ipv6") },
      core: m.core,
      lan: { ipv4: `${m.lan.v4}/24`, ipv6: `${m.lan.v6}/64` },
      service: { ipv4: t.serviceBgpPrefixes.ipv4, ipv6: t.serviceBgpPrefixes.ipv6 },
      serviceHost: { ipv4: t.service.ipv4, ipv6: t.service.ipv6, via4: t.service.lan.v4, via6: t.service.lan.v6 },
      bfd: m.sp.router.bfd,
      registered: t.registered,
      password,
      afis,
    }),
  );
}

export function spLabLayer(t: LabTopology, e: SpEdge): string {
  const tpl = labTemplates().sp;
  const others = t.sp.filter((o) => o !== e);
  const customer = customerOf(t, e.leg.metro);
  return tidy(
    tpl({
      birdSpeaksBgp: e.daemon === "bird",
      hostname: e.hostname,
      asn: t.plan.sp.asn,
      customerAsn: t.customer.asn,
      customerName: customer.name,
      metroMetric: METRO_LINK_METRIC,
      connectRetry: LAB_CONNECT_RETRY_SECONDS,
      systemId: e.systemId,
      loopback: { ipv4: cidr(e.loopback.v4, "ipv4"), ipv6: cidr(e.loopback.v6, "ipv6") },
      core: e.core,
      customerPort: e.customerPort,
      afis: (["ipv4", "ipv6"] as const).map((afi) => ({
        ...AFI[afi],
        ibgpPeers: others.map((o) => (afi === "ipv4" ? o.loopback.v4 : o.loopback.v6)),
        customer: afi === "ipv4" ? e.customerPort.peer.v4 : e.customerPort.peer.v6,
        acceptPrefixes: t.registered[afi],
        hostLength: HOST_LENGTH[afi],
      })),
    }),
  );
}

/** The bird.conf of an SP edge that runs BIRD: the product's file included, the lab's BGP beside it. */
export function birdLabConfig(t: LabTopology, e: SpEdge, paths: { productFile: string; logFile: string }): string {
  const tpl = labTemplates().bird;
  const others = t.sp.filter((o) => o !== e);
  // The IS-IS distance to every other SP edge, as the backbone's metrics give it (test/lab/backbone.ts).
  const distances = igpDistances(t.spBackbone, e.hostname);
  const customer = customerOf(t, e.leg.metro);
  return tidy(
    tpl({
      hostname: e.hostname,
      asn: t.plan.sp.asn,
      customerAsn: t.customer.asn,
      customerName: customer.name,
      connectRetry: LAB_CONNECT_RETRY_SECONDS,
      productFile: paths.productFile,
      logFile: paths.logFile,
      afis: (["ipv4", "ipv6"] as const).map((afi) => ({
        ...AFI[afi],
        loopback: afi === "ipv4" ? e.loopback.v4 : e.loopback.v6,
        ibgpPeers: others.map((o) => ({
          name: o.hostname,
          address: afi === "ipv4" ? o.loopback.v4 : o.loopback.v6,
          distance: distances.get(o.hostname),
        })),
        hostLength: HOST_LENGTH[afi],
        local: afi === "ipv4" ? e.customerPort.v4.split("/")[0] : e.customerPort.v6.split("/")[0],
        customer: afi === "ipv4" ? e.customerPort.peer.v4 : e.customerPort.peer.v6,
        birdAccept: t.registered[afi].map((p) => `${p}{${p.split("/")[1]},${HOST_LENGTH[afi]}}`),
      })),
    }),
  );
}

export function customerConfig(t: LabTopology, c: CustomerSite): string {
  const tpl = labTemplates().customer;
  const preferred = c.ports[0].edge;
  return tidy(
    tpl({
      name: c.name,
      metro: c.metro,
      asn: t.customer.asn,
      spAsn: t.plan.sp.asn,
      routerId: c.routerId,
      connectRetry: LAB_CONNECT_RETRY_SECONDS,
      preferred: preferred.hostname,
      originated: t.customer.originated,
      ports: c.ports.map((p) => ({ ifname: p.ifname, v4: p.v4, v6: p.v6, edge: p.edge.hostname })),
      hosts: c.hosts,
      afis: (["ipv4", "ipv6"] as const).map((afi) => ({
        ...AFI[afi],
        peers: c.ports.map((p) => ({
          address: afi === "ipv4" ? p.edge.customerPort.v4.split("/")[0] : p.edge.customerPort.v6.split("/")[0],
          edge: p.edge.hostname,
          preferred: p.edge === preferred,
        })),
        originated: t.customer.originated.filter((p) => p.includes(":") === (afi === "ipv6")),
        hosts: c.hosts.filter((h) => h.afi === afi).map((h) => cidr(h.address, afi)),
      })),
    }),
  );
}

/** Every router's configs. `secrets` resolves MD5 keys by name: the lab uses the real ones. */
export function renderLabConfigs(t: LabTopology, secrets: SecretResolver): RouterConfigs[] {
  const renderer = createRenderer(loadTemplateSources());
  // The product's rendering for the edge's own daemon: BIRD's for the BIRD router, FRR's for every
  // other (the lab cannot run IOS-XR, Junos or EOS: they get the FRR rendering of their RouterPlan).
  const product = (e: SpEdge) => renderer.render({ ...e.router, vendor: e.daemon }, secrets).text;
  return [
    ...t.sp.map((e): RouterConfigs => {
      const text = product(e);
      if (e.daemon === "frr")
        return { ns: e.ns, name: e.hostname, role: "sp", config: text, labLayer: spLabLayer(t, e) };
      return {
        ns: e.ns,
        name: e.hostname,
        role: "sp",
        config: "",
        labLayer: spLabLayer(t, e),
        bird: {
          product: text,
          main: (paths) => birdLabConfig(t, e, paths),
          addresses: [`${e.leg.ipv4.sp}/${e.leg.ipv4.prefixLength}`, `${e.leg.ipv6.sp}/${e.leg.ipv6.prefixLength}`],
        },
      };
    }),
    ...t.msft.map((m) => ({
      ns: m.ns,
      name: m.name,
      role: "msft" as const,
      config: msftConfig(t, m, secrets),
    })),
    ...t.customers.map((c) => ({ ns: c.ns, name: c.name, role: "customer" as const, config: customerConfig(t, c) })),
  ];
}
