/**
 * Synthetic stacks for the benchmark: an SP of `metros` metros and `prefixes` registered prefixes,
 * shaped like a large real one and accepted by the loader, the plan and the policy pack as they are:
 *
 * - two legs per metro, on two routers, LACP bundles of 2 × 100G; the five platforms mixed
 *   (router a of metro i runs VENDORS[2i mod 5], router b VENDORS[2i+1 mod 5]);
 * - four regions, metros dealt round-robin, each near its region's centre;
 * - the lifecycle mixed as a growing SP's is: of every 20 metros one planned, one requested, one
 *   provisioning, one in maintenance, the rest active; one in 50 decommissioned;
 * - the PeerAsn approved; one leg b in 25 with an MD5 key (agreed, in the stack config);
 * - 80 % of the prefixes IPv4 /24s, 20 % IPv6 /48s; a fifth originated by the SP, the rest by
 *   customer ASNs (one per 20 prefixes), each prefix and origin ASN registered once, on a home
 *   pinned in the allocation lock and spread over the active metros;
 * - the lock complete (session prefixes too), as a stack that has been planned before, so the plan
 *   allocates nothing and `--frozen-lock` holds.
 *
 * Written under a folder of the caller's (a temp dir), never into stacks/. Documentation ASN and
 * ranges where they suffice (the SP is AS64500, `allowDocumentationRanges`), synthetic public ones
 * where they do not (customer ASNs from 4190000001 up, IPv4 /24s from 11.0.0.0/8): the stack never
 * leaves this machine.
 */
import * as fs from "fs";
import * as path from "path";
import type { StackFiles } from "../load/load";
import { formatLock } from "../load/lock";
import { formatProblems } from "../load/problem";
import { stackPaths } from "../load/stackPaths";
import type { LifecycleState } from "../plan/lifecycle";
import { planStack } from "../plan/plan";
import { VENDORS, type Vendor } from "../vendors";

export interface SyntheticSize {
  metros: number;
  prefixes: number;
}

const SP_ASN = 64500;
const FIRST_CUSTOMER_ASN = 4_190_000_001;
const REGIONS = [
  { name: "europe-west", latitude: 50.85, longitude: 4.35 },
  { name: "europe-north", latitude: 59.33, longitude: 18.06 },
  { name: "us-east", latitude: 39.04, longitude: -77.49 },
  { name: "asia-southeast", latitude: 1.35, longitude: 103.82 },
];

/** Bundle and member port names as each platform writes them (`vendors/<vendor>.ts`). */
const PORTS: Record<Vendor, { bundle: string; members: [string, string] }> = {
  frr: { bundle: "bond-msft", members: ["ens1f0", "ens1f1"] },
  bird: { bundle: "bond-msft", members: ["ens1f0", "ens1f1"] },
  iosxr: { bundle: "Bundle-Ether100", members: ["HundredGigE0/0/0/0", "HundredGigE0/0/0/1"] },
  junos: { bundle: "ae0", members: ["et-0/0/4", "et-0/1/4"] },
  eos: { bundle: "Port-Channel1", members: ["Ethernet1", "Ethernet2"] },
};

export function metroId(i: number): string {
  return `m${String(i).padStart(4, "0")}`;
}

export function metroStatus(i: number): LifecycleState {
  if (i % 50 === 49) return "decommissioned";
  switch (i % 20) {
    case 15:
      return "maintenance";
    case 16:
      return "provisioning";
    case 17:
      return "requested";
    case 18:
      return "planned";
    default:
      return "active";
  }
}

const hasMd5 = (i: number) => i % 25 === 3;

interface SyntheticPrefix {
  prefix: string;
  originAsn: number;
}

/** Prefix k: IPv4 /24s from 11.0.0.0/8, every fifth an IPv6 /48 from 2001:db8::/32; every fifth the SP's own. */
export function syntheticPrefix(k: number): SyntheticPrefix {
  const v6 = k % 5 === 4;
  const prefix = v6
    ? `2001:db8:${(0x1000 + Math.floor(k / 5)).toString(16)}::/48`
    : `11.${Math.floor(k / 256) % 256}.${k % 256}.0/24`;
  const originAsn = k % 5 === 0 ? SP_ASN : FIRST_CUSTOMER_ASN + Math.floor(k / 20);
  return { prefix, originAsn };
}

function spYaml(size: SyntheticSize): string {
  const prefixes = Array.from({ length: size.prefixes }, (_, k) => {
    const p = syntheticPrefix(k);
    return `  - { prefix: "${p.prefix}", originAsn: ${p.originAsn}, description: synthetic customer ${k} }`;
  });
  return `# Synthetic benchmark stack (bench/synthetic.ts): ${size.metros} metros, ${size.prefixes} registered prefixes.
name: Synthetic Carrier
asn: ${SP_ASN}
peerAsn:
  validationState: Approved
contacts:
  - { role: Noc, email: noc@example.net, phone: "+1 555 0100" }
sessionAddressProvider: Peer
sessionAddressPools:
  ipv4: 100.127.0.0/16
  ipv6: 2001:db8:ffff::/104
maxPrefix: { ipv4: 2000, ipv6: 500, warningPercent: 90, action: restart, restartMinutes: 30 }
advertisedMaxPrefix: { ipv4: ${Math.max(20, size.prefixes)}, ipv6: ${Math.max(20, size.prefixes)} }
bfd: { intervalMs: 300, multiplier: 3 }
prefixes:
${prefixes.join("\n")}
defaultVendor: frr
gtsm: true
regions:
${REGIONS.map((r) => `  - { name: ${r.name}, latitude: ${r.latitude}, longitude: ${r.longitude} }`).join("\n")}
azure:
  resourceGroup: rg-maps-synthetic
  location: westeurope
allowDocumentationRanges: true
`;
}

function legYaml(i: number, leg: "a" | "b", vendor: Vendor): string {
  const ports = PORTS[vendor];
  const md5 =
    leg === "b" && hasMd5(i)
      ? `\n    md5: { keySecret: md5-${metroId(i)}-b, agreement: synthetic agreement ${i} }`
      : "";
  return `  - name: ${leg}
    router: { hostname: ${metroId(i)}-edge-${leg === "a" ? 1 : 2}, vendor: ${vendor} }
    interface: ${ports.bundle}
    members:
      - { interface: ${ports.members[0]}, speedGbps: 100 }
      - { interface: ${ports.members[1]}, speedGbps: 100 }${md5}`;
}

function metroYaml(i: number): string {
  const region = REGIONS[i % REGIONS.length];
  // Within about 100 km of the region's centre, so the nearest-edge estimate stays realistic.
  const offset = ((i % 97) - 48) / 100;
  return `peeringLocation: Metro ${i}
peeringDbFacilityId: ${10000 + i}
region: ${region.name}
latitude: ${(region.latitude + offset / 2).toFixed(4)}
longitude: ${(region.longitude + offset).toFixed(4)}
status: ${metroStatus(i)}
legs:
${legYaml(i, "a", VENDORS[(2 * i) % VENDORS.length])}
${legYaml(i, "b", VENDORS[(2 * i + 1) % VENDORS.length])}
`;
}

/** Homes pinned in the lock: prefix k on the (k mod n)-th active metro, an origin ASN with its first prefix. */
function registrationLock(size: SyntheticSize): string {
  const active = Array.from({ length: size.metros }, (_, i) => i)
    .filter((i) => metroStatus(i) === "active")
    .map(metroId);
  if (active.length === 0) return "";
  const prefixes: string[] = [];
  const asns = new Map<number, string>();
  for (let k = 0; k < size.prefixes; k++) {
    const p = syntheticPrefix(k);
    const home = active[k % active.length];
    prefixes.push(`  "${p.prefix}": ${home}`);
    if (p.originAsn !== SP_ASN && !asns.has(p.originAsn)) asns.set(p.originAsn, home);
  }
  const asnLines = [...asns].map(([asn, home]) => `  AS${asn}: ${home}`);
  return `ipv4: {}\nipv6: {}\nregisteredPrefixes:\n${prefixes.join("\n")}\n${asnLines.length > 0 ? `registeredAsns:\n${asnLines.join("\n")}\n` : ""}`;
}

export function syntheticStackName(size: SyntheticSize): string {
  return `synthetic-${size.metros}m-${size.prefixes}p`;
}

/** The stack's files, in memory, the lock complete: what the loader reads from the folder. */
export function syntheticStackFiles(size: SyntheticSize): StackFiles {
  const stack = syntheticStackName(size);
  const paths = stackPaths(stack);
  const files: StackFiles = {
    stack,
    sp: { file: paths.sp, text: spYaml(size) },
    metros: Array.from({ length: size.metros }, (_, i) => ({ file: paths.metro(metroId(i)), text: metroYaml(i) })),
    lock: { file: paths.lock, text: registrationLock(size) },
    lockFile: paths.lock,
  };
  // Complete the lock as `npm run plan` writes it on the first run: the session prefixes allocated.
  const plan = planStack(files);
  if (!plan.ok) throw new Error(`synthetic stack rejected:\n${formatProblems(plan.problems)}`);
  return { ...files, lock: { file: paths.lock, text: formatLock(plan.value.lock) } };
}

/** The stack config: the MD5 keys the metro files name, as `pulumi config set --secret` would hold them. */
function pulumiConfigYaml(size: SyntheticSize): string {
  const keys = Array.from({ length: size.metros }, (_, i) => i)
    .filter(hasMd5)
    .map((i) => `  peering-as-code:md5-${metroId(i)}-b: synthetic-md5-key-${i}`);
  return `config:\n${keys.length > 0 ? keys.join("\n") : "  peering-as-code:unused: none"}\n`;
}

/** Writes the stack under `root` (`<root>/stacks/...`) for `npm run plan -- --root <root> --stack <name>`. */
export function writeSyntheticStack(root: string, size: SyntheticSize): { stack: string; files: StackFiles } {
  const files = syntheticStackFiles(size);
  const paths = stackPaths(files.stack);
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write(files.sp.file, files.sp.text);
  for (const m of files.metros) write(m.file, m.text);
  if (files.lock) write(files.lock.file, files.lock.text);
  write(paths.pulumiConfig, pulumiConfigYaml(size));
  write(
    paths.policyConfig,
    JSON.stringify({
      "peering-service-settings": { allowDocumentationRanges: true },
      "registered-prefixes": { allowDocumentationRanges: true },
    }),
  );
  return { stack: files.stack, files };
}
