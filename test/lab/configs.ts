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
import { METRO_LINK_METRIC } from "./backbone";
import { customerOf, type CustomerSite, type LabTopology, type MsftEdge, type SpEdge } from "./topology";

export const LAB_TEMPLATE_DIR = path.join(__dirname, "templates");
/** Microsoft accepts Peering Service paths of at most this many ASNs. */
export const MAX_AS_PATH_LENGTH = 3;

export interface RouterConfigs {
  /** Namespace (one router per namespace). */
  ns: string;
  name: string;
  role: "sp" | "msft" | "customer";
  /** Loaded first: for an SP edge, the product's config, byte for byte. */
  config: string;
  /** Loaded after `config`, SP edges only: the lab-only layer. */
  labLayer?: string;
}

const AFI = {
  ipv4: { name: "ipv4", tag: "V4", match: "ip" },
  ipv6: { name: "ipv6", tag: "V6", match: "ipv6" },
} as const;

function labTemplates(): {
  msft: HandlebarsTemplateDelegate;
  sp: HandlebarsTemplateDelegate;
  customer: HandlebarsTemplateDelegate;
} {
  const env = Handlebars.create();
  env.registerHelper("seq", (index: unknown) => {
    if (typeof index !== "number") throw new Error("seq: index must be a number");
    return (index + 1) * 10;
  });
  env.registerHelper("isV6", (afi: unknown) => afi === "ipv6");
  const compile = (file: string) =>
    env.compile(fs.readFileSync(path.join(LAB_TEMPLATE_DIR, file), "utf8"), { noEscape: true, strict: true });
  return { msft: compile("msft-edge.hbs"), sp: compile("sp-lab-layer.hbs"), customer: compile("customer.hbs") };
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

/**
 * GTSM as the SP renders it for one neighbor: the model has no field for it (yet), so it is read from
 * the SP's rendered text, which is what the SP router actually runs.
 */
export function ttlSecurityHops(spConfig: string, neighbor: string): number | undefined {
  const escaped = neighbor.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`^\\s*neighbor ${escaped} ttl-security hops (\\d+)\\s*$`, "m").exec(spConfig);
  return m ? Number(m[1]) : undefined;
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

export function msftConfig(t: LabTopology, m: MsftEdge, spConfig: string, secrets: SecretResolver): string {
  const tpl = labTemplates().msft;
  const leg = m.leg;
  const password = leg.md5KeySecret === undefined ? undefined : secrets(leg.md5KeySecret);
  const others = t.msft.filter((o) => o !== m);
  const maxPrefix = t.plan.sp.advertisedMaxPrefix;
  const afis = (["ipv4", "ipv6"] as const).map((afi) => ({
    ...AFI[afi],
    sp: leg[afi].sp,
    ttlSecurityHops: ttlSecurityHops(spConfig, leg[afi].microsoft),
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
  const product = new Map(t.sp.map((e) => [e.hostname, renderer.render({ ...e.router, vendor: "frr" }, secrets).text]));
  const spText = (e: SpEdge) => product.get(e.hostname) as string;
  return [
    ...t.sp.map((e) => ({
      ns: e.ns,
      name: e.hostname,
      role: "sp" as const,
      config: spText(e),
      labLayer: spLabLayer(t, e),
    })),
    ...t.msft.map((m) => ({
      ns: m.ns,
      name: m.name,
      role: "msft" as const,
      config: msftConfig(t, m, spText(m.sp), secrets),
    })),
    ...t.customers.map((c) => ({ ns: c.ns, name: c.name, role: "customer" as const, config: customerConfig(t, c) })),
  ];
}
