/**
 * Every rule of the policy pack through the same in-process path the offline plan uses
 * (`runPolicies`): the happy path passes every rule; each case changes one thing and expects the
 * exact violations (`policy resource: message`), advisory ones included.
 */
import { checkPackConfig, runPolicies, type DeclaredResource, type PolicyPackConfig } from "../../policies/run";
import { RULES } from "../../policies/rules";
import { EXPECTED_RULES, happyMetros, LAB_CONFIG, peerAsn, PREFIXES, stackOf, withInput, type MetroSpec } from "./support";

function violations(resources: DeclaredResource[], config: PolicyPackConfig = LAB_CONFIG): string[] {
  return runPolicies(resources, config).violations.map((v) => `${v.enforcementLevel} ${v.policy} ${v.urn?.split("::").pop() ?? "(stack)"}: ${v.message}`);
}

/** The happy path with one metro changed. */
function metros(change: (m: MetroSpec[]) => void): MetroSpec[] {
  const m = happyMetros();
  change(m);
  return m;
}

/** The happy stack with one input of one resource changed. */
function changed(name: string, dotted: string, value: unknown, base = stackOf(happyMetros())): DeclaredResource[] {
  if (!base.some((r) => r.name === name)) throw new Error(`test: no resource ${name}`);
  return base.map((r) => (r.name === name ? withInput(r, dotted, value) : r));
}

/** Amsterdam leg a on a /30 and a /126, each end on a usable address. */
const slash30 = () =>
  changed("sp-amsterdam-peering", "direct.connections.0.bgpSession", {
    sessionPrefixV4: "192.0.2.128/30",
    microsoftSessionIPv4Address: "192.0.2.129",
    peerSessionIPv4Address: "192.0.2.130",
    sessionPrefixV6: "2001:db8:ffff::100/126",
    microsoftSessionIPv6Address: "2001:db8:ffff::101",
    peerSessionIPv6Address: "2001:db8:ffff::102",
    maxPrefixesAdvertisedV4: 20,
    maxPrefixesAdvertisedV6: 20,
  });

const merge = (over: PolicyPackConfig): PolicyPackConfig => {
  const out: PolicyPackConfig = { ...LAB_CONFIG };
  for (const [k, v] of Object.entries(over)) out[k] = { ...(LAB_CONFIG[k] as object | undefined), ...(v as object) };
  return out;
};

it("lists seven rules, nearest-edge the only advisory one", () => {
  expect(RULES.map((r) => `${r.name}:${r.enforcementLevel}`)).toEqual(EXPECTED_RULES);
});

describe("passing cases", () => {
  it.each<[string, DeclaredResource[], PolicyPackConfig]>([
    ["the happy path (every rule)", stackOf(happyMetros()), LAB_CONFIG],
    ["geo-redundancy: one metro where the config asks for one", stackOf(metros((m) => m.splice(1))), merge({ "geo-redundancy": { minMetros: 1, minMetrosPerRegion: 1 } })],
    ["equal-capacity: every leg 100G", stackOf(metros((m) => m.forEach((x) => x.legs.forEach((l) => (l.mbps = 100000))))), LAB_CONFIG],
    ["equal-capacity: a decommissioned metro of other capacity is not a backup any more", stackOf([...happyMetros(), { ...happyMetros()[0], id: "paris", location: "Paris", status: "decommissioned", legs: [{ ...happyMetros()[0].legs[0], v4: ["192.0.2.32/31", "192.0.2.32", "192.0.2.33"], v6: ["2001:db8:ffff::20/127", "2001:db8:ffff::20", "2001:db8:ffff::21"], mbps: 10000, router: "par-edge-1" }, { ...happyMetros()[0].legs[1], v4: ["192.0.2.34/31", "192.0.2.34", "192.0.2.35"], v6: ["2001:db8:ffff::22/127", "2001:db8:ffff::22", "2001:db8:ffff::23"], mbps: 10000, router: "par-edge-2" }] }]), LAB_CONFIG],
    ["session-addressing: a /30 and a /126 where the config allows them", slash30(), merge({ "session-addressing": { ipv4PrefixLengths: [30, 31], ipv6PrefixLengths: [126, 127] } })],
    ["peering-service-settings, registered-prefixes: public ASN and prefixes with the default config", stackOf(happyMetros(), { asn: 3320, prefixes: [["80.128.0.0/11", 3320], ["2003::/19", 3320]] }).filter((r) => !r.name.includes("as64501")), {}],
    ["nearest-edge: a looser bound", stackOf(happyMetros()), merge({ "nearest-edge": { maxRoundTripMs: 2 } })],
  ])("%s", (_title, resources, config) => {
    expect(violations(resources, config)).toEqual([]);
  });
});

const LOCAL = "mandatory local-redundancy sp-amsterdam-peering";
const NEAREST_PAIR = "advisory nearest-edge sp-amsterdam-peering: region europe-west: its nearest metro, amsterdam (173 km from the centre), has no full pair of legs on two routers, so its users lose the nearest edge when one leg fails. Fix: complete the pair at amsterdam";

describe("failing cases", () => {
  it.each<[string, DeclaredResource[], PolicyPackConfig, string[]]>([
    // local-redundancy
    ["local-redundancy: a metro with one leg", stackOf(metros((m) => m[0].legs.splice(1))), LAB_CONFIG, [
      `${LOCAL}: metro amsterdam has 1 leg(s) (leg a (ams-edge-1 bond-msft)); Microsoft requires at least 2. Fix: add a leg on a second router to legs: in stacks/test/metros/amsterdam.yaml, with its own cross-connect to Microsoft`,
      NEAREST_PAIR,
    ]],
    ["local-redundancy: two legs on one router", stackOf(metros((m) => Object.assign(m[0].legs[1], { router: "ams-edge-1", interface: "bond-msft2" }))), LAB_CONFIG, [
      `${LOCAL}: metro amsterdam: leg a and leg b on ams-edge-1; the legs must land on at least 2 distinct SP routers (two connections on one router are not locally redundant). Fix: move one leg to a second router (legs[].router.hostname in stacks/test/metros/amsterdam.yaml)`,
      NEAREST_PAIR,
    ]],
    ["local-redundancy: two legs on one bundle of one router", stackOf(metros((m) => Object.assign(m[0].legs[1], { router: "ams-edge-1" }))), LAB_CONFIG, [
      `${LOCAL}: metro amsterdam: leg a and leg b on ams-edge-1; the legs must land on at least 2 distinct SP routers (two connections on one router are not locally redundant). Fix: move one leg to a second router (legs[].router.hostname in stacks/test/metros/amsterdam.yaml)`,
      `${LOCAL}: metro amsterdam: leg a (ams-edge-1 bond-msft) and leg b (ams-edge-1 bond-msft) share the interface ams-edge-1 bond-msft, so they are one connection to Microsoft. Fix: give each leg its own bundle and cross-connect in stacks/test/metros/amsterdam.yaml`,
      NEAREST_PAIR,
    ]],
    ["local-redundancy: a leg without IPv6", changed("sp-amsterdam-peering", "direct.connections.1.bgpSession.sessionPrefixV6", undefined), LAB_CONFIG, [
      `${LOCAL}: metro amsterdam leg b (ams-edge-2 bond-msft): has no IPv6 session (session prefix and both session addresses); every leg carries IPv4 and IPv6. Fix: give the leg both session prefixes (sessionPrefixes in stacks/test/metros/amsterdam.yaml, or the SP's sessionAddressPools)`,
      NEAREST_PAIR,
    ]],
    ["local-redundancy: a peering without the leg-routers tag (declared by another program)", changed("sp-frankfurt-peering", "tags.leg-routers", undefined), LAB_CONFIG, [
      "mandatory local-redundancy sp-frankfurt-peering: metro frankfurt: tag leg-routers names 0 leg(s) for 2 connection(s), so the SP router of each leg is unknown. Fix: declare the peering through the PeeringLocation component, which tags every connection with its leg, router and interface",
    ]],
    // geo-redundancy
    ["geo-redundancy: a single metro", stackOf(metros((m) => m.splice(1))), LAB_CONFIG, [
      "mandatory geo-redundancy (stack): Peering Service sessions at 1 metro(s) (Amsterdam); Microsoft requires at least 2 for geo redundancy. Fix: add a metro file for a second Azure peering location (stacks/test/metros/<metro>.yaml)",
      "mandatory geo-redundancy (stack): region europe-west is served from only Amsterdam: it needs a primary and a backup metro (2 distinct peering locations; a locally redundant pair is not its own backup). Fix: add a metro file with region: europe-west (stacks/test/metros/<metro>.yaml)",
    ]],
    ["geo-redundancy: the backup metro is decommissioned", stackOf(metros((m) => (m[1].status = "decommissioned"))), LAB_CONFIG, [
      "mandatory geo-redundancy (stack): Peering Service sessions at 1 metro(s) (Amsterdam); Microsoft requires at least 2 for geo redundancy. Fix: add a metro file for a second Azure peering location (stacks/test/metros/<metro>.yaml)",
      "mandatory geo-redundancy (stack): region europe-west is served from only Amsterdam: it needs a primary and a backup metro (2 distinct peering locations; a locally redundant pair is not its own backup). Fix: add a metro file with region: europe-west (stacks/test/metros/<metro>.yaml)",
    ]],
    ["geo-redundancy: two peerings at one location are one metro (a pair is not its own backup)", stackOf(metros((m) => (m[1].location = "Amsterdam"))), LAB_CONFIG, [
      "mandatory geo-redundancy (stack): Peering Service sessions at 1 metro(s) (Amsterdam); Microsoft requires at least 2 for geo redundancy. Fix: add a metro file for a second Azure peering location (stacks/test/metros/<metro>.yaml)",
      "mandatory geo-redundancy (stack): region europe-west is served from only Amsterdam: it needs a primary and a backup metro (2 distinct peering locations; a locally redundant pair is not its own backup). Fix: add a metro file with region: europe-west (stacks/test/metros/<metro>.yaml)",
    ]],
    ["geo-redundancy: a served region without metros", changed("sp-amsterdam-peering", "tags.served-regions", "europe-west,us-east"), LAB_CONFIG, [
      "mandatory geo-redundancy (stack): region us-east is served from no metro: it needs a primary and a backup metro (2 distinct peering locations; a locally redundant pair is not its own backup). Fix: add a metro file with region: us-east (stacks/test/metros/<metro>.yaml)",
    ]],
    ["geo-redundancy: a prefix not registered at every metro", stackOf(happyMetros()).filter((r) => r.name !== "sp-frankfurt-203-0-113-0-24"), LAB_CONFIG, [
      "mandatory geo-redundancy sp-frankfurt-peering: metro frankfurt does not register 203.0.113.0/24, which other metros register; Microsoft validates every prefix on every session, so announcements must be identical at every metro. Fix: register every prefix of stacks/test/sp.yaml at every metro (declare the metro through the PeeringLocation component)",
    ]],
    // equal-capacity
    ["equal-capacity: legs of one metro differ", stackOf(metros((m) => (m[1].legs[1].mbps = 100000))), LAB_CONFIG, [
      "mandatory equal-capacity sp-frankfurt-peering: metro frankfurt: legs have unequal bandwidth (leg a (fra-edge-1 bond-msft) 200G, leg b (fra-edge-2 bond-msft) 100G); if the 200G leg fails the others cannot carry its load. Fix: give every leg the same LAG capacity (members and speedGbps in stacks/test/metros/frankfurt.yaml)",
    ]],
    ["equal-capacity: the backup metro is smaller than the primary", stackOf(metros((m) => m[1].legs.forEach((l) => (l.mbps = 100000)))), LAB_CONFIG, [
      "mandatory equal-capacity sp-frankfurt-peering: metro frankfurt in region europe-west has 100G legs where other metros of the region have 200G (amsterdam 200G, frankfurt 100G); as a backup it could not carry the primary's load. Fix: give the legs in stacks/test/metros/frankfurt.yaml 200G (members and speedGbps), or bring the region's metros to one capacity",
    ]],
    // session-addressing
    ["session-addressing: a /30 by default", slash30(), LAB_CONFIG, [
      "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft) sessionPrefixV4: 192.0.2.128/30 is a /30; session prefixes must be /31. Fix: use a /31 (remove the pin to allocate one from the pool), or allow /30 in the policy config (ipv4PrefixLengths)",
      "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft) sessionPrefixV6: 2001:db8:ffff::100/126 is a /126; session prefixes must be /127. Fix: use a /127 (remove the pin to allocate one from the pool), or allow /126 in the policy config (ipv6PrefixLengths)",
    ]],
    ["session-addressing: the network address of a /30", changed("sp-amsterdam-peering", "direct.connections.0.bgpSession.microsoftSessionIPv4Address", "192.0.2.128", slash30()), merge({ "session-addressing": { ipv4PrefixLengths: [30, 31], ipv6PrefixLengths: [126, 127] } }), [
      "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft) microsoftSessionIPv4Address: 192.0.2.128 is the network address of 192.0.2.128/30. Fix: use the prefix's first and second usable addresses",
    ]],
    ["session-addressing: a /29", changed("sp-amsterdam-peering", "direct.connections.0.bgpSession.sessionPrefixV4", "192.0.2.64/29", changed("sp-amsterdam-peering", "direct.connections.0.bgpSession.microsoftSessionIPv4Address", "192.0.2.65", changed("sp-amsterdam-peering", "direct.connections.0.bgpSession.peerSessionIPv4Address", "192.0.2.66"))), LAB_CONFIG, [
      "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft) sessionPrefixV4: 192.0.2.64/29 is a /29; session prefixes must be /31. Fix: use a /31 (remove the pin to allocate one from the pool), or allow /30 in the policy config (ipv4PrefixLengths)",
    ]],
    ["session-addressing: a /31 used at two metros", changed("sp-frankfurt-peering", "direct.connections.0.bgpSession.sessionPrefixV4", "192.0.2.0/31", changed("sp-frankfurt-peering", "direct.connections.0.bgpSession.microsoftSessionIPv4Address", "192.0.2.0", changed("sp-frankfurt-peering", "direct.connections.0.bgpSession.peerSessionIPv4Address", "192.0.2.1"))), LAB_CONFIG, [
      "mandatory session-addressing sp-frankfurt-peering: metro frankfurt leg a (fra-edge-1 bond-msft): session prefix 192.0.2.0/31 is also used by metro amsterdam leg a (ams-edge-1 bond-msft). Fix: give every leg its own session prefix (remove the pin to allocate a free one)",
    ]],
    ["session-addressing: a /126 overlapping two /127s", changed("sp-frankfurt-peering", "direct.connections.0.bgpSession.sessionPrefixV6", "2001:db8:ffff::/126", changed("sp-frankfurt-peering", "direct.connections.0.bgpSession.microsoftSessionIPv6Address", "2001:db8:ffff::1", changed("sp-frankfurt-peering", "direct.connections.0.bgpSession.peerSessionIPv6Address", "2001:db8:ffff::2"))), merge({ "session-addressing": { ipv6PrefixLengths: [126, 127] } }), [
      "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft): session prefix 2001:db8:ffff::/127 overlaps 2001:db8:ffff::/126 of metro frankfurt leg a (fra-edge-1 bond-msft). Fix: give every leg its own session prefix (remove the pin to allocate a free one)",
      "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg b (ams-edge-2 bond-msft): session prefix 2001:db8:ffff::2/127 overlaps 2001:db8:ffff::/126 of metro frankfurt leg a (fra-edge-1 bond-msft). Fix: give every leg its own session prefix (remove the pin to allocate a free one)",
    ]],
    ["session-addressing: the SP address outside the prefix", changed("sp-amsterdam-peering", "direct.connections.0.bgpSession.peerSessionIPv4Address", "192.0.2.9"), LAB_CONFIG, [
      "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft) peerSessionIPv4Address: 192.0.2.9 is outside the session prefix 192.0.2.0/31. Fix: use an address inside 192.0.2.0/31",
    ]],
    ["session-addressing: both ends on one address", changed("sp-amsterdam-peering", "direct.connections.0.bgpSession.peerSessionIPv6Address", "2001:db8:ffff::"), LAB_CONFIG, [
      "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft): Microsoft and SP IPv6 session addresses are both 2001:db8:ffff::. Fix: give each end its own address within 2001:db8:ffff::/127",
    ]],
    // peering-service-settings
    ["peering-service-settings: kind Exchange", changed("sp-amsterdam-peering", "kind", "Exchange"), LAB_CONFIG, [
      'mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam: kind is "Exchange"; Peering Service runs on Direct peerings. Fix: set kind: "Direct" (declare the metro through the PeeringLocation component)',
    ]],
    ["peering-service-settings: a Basic SKU", changed("sp-amsterdam-peering", "sku.name", "Basic_Direct_Free"), LAB_CONFIG, [
      'mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam: sku.name is "Basic_Direct_Free"; Peering Service needs Premium_Direct_Free. Fix: set sku: { name: "Premium_Direct_Free" }',
    ]],
    ["peering-service-settings: a connection not used for Peering Service", changed("sp-amsterdam-peering", "direct.connections.1.useForPeeringService", false), LAB_CONFIG, [
      "mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam leg b (ams-edge-2 bond-msft): useForPeeringService is not true, so Microsoft does not use the connection for Peering Service. Fix: set useForPeeringService: true on every connection",
    ]],
    ["peering-service-settings: max-prefix on what Microsoft sends below the bound", changed("sp-amsterdam-peering", "tags.leg-max-prefix-v4", "1000,100"), LAB_CONFIG, [
      "mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam leg b (ams-edge-2 bond-msft): max-prefix on IPv4 routes from Microsoft is 100, outside 500 to 100000. Fix: set maxPrefix.ipv4 (stacks/test/sp.yaml or the leg) between 500 and 100000",
    ]],
    ["peering-service-settings: no max-prefix on what Microsoft sends", changed("sp-amsterdam-peering", "tags.leg-max-prefix-v6", undefined), LAB_CONFIG, [
      "mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft): no max-prefix limit on IPv6 routes from Microsoft (tag leg-max-prefix-v6). Fix: set maxPrefix.ipv6 in stacks/test/sp.yaml (or the leg's maxPrefix.ipv6)",
      "mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam leg b (ams-edge-2 bond-msft): no max-prefix limit on IPv6 routes from Microsoft (tag leg-max-prefix-v6). Fix: set maxPrefix.ipv6 in stacks/test/sp.yaml (or the leg's maxPrefix.ipv6)",
    ]],
    ["peering-service-settings: an MD5 key in plain text", changed("sp-frankfurt-peering", "direct.connections.1.bgpSession.md5AuthenticationKey", "plain-key"), LAB_CONFIG, [
      "mandatory peering-service-settings sp-frankfurt-peering: metro frankfurt leg b (fra-edge-2 bond-msft): md5AuthenticationKey is not a Pulumi secret, so it would be stored and shown in plain text. Fix: set it with `pulumi config set --secret <name> <key>` and name it in md5KeySecret",
    ]],
    ...([
      [65000, "AS65000 is private or reserved (RFC 6996, RFC 7300)"],
      [23456, "AS23456 is AS_TRANS (RFC 6793), never an origin"],
      [8075, "AS8075 is Microsoft's"],
      [12076, "AS12076 is Microsoft's"],
      [4200000001, "AS4200000001 is private or reserved (RFC 6996, RFC 7300)"],
    ] as const).map(([asn, why]): [string, DeclaredResource[], PolicyPackConfig, string[]] => [
      `peering-service-settings: SP ASN ${asn}`,
      [peerAsn(asn), ...stackOf(happyMetros()).slice(1)],
      LAB_CONFIG,
      [
        `mandatory peering-service-settings sp-as${asn}: the SP ASN: ${why}; Peering Service needs the SP's public ASN. Fix: set asn in stacks/test/sp.yaml to the SP's own public ASN`,
        // The SP's own prefixes are now originated by an ASN that is neither the PeerAsn nor registered.
        ...["amsterdam", "frankfurt"].flatMap((m) =>
          [["198.51.100.0/24", "198-51-100-0-24"], ["2001:db8:1000::/48", "2001-db8-1000-48"]].map(
            ([p, name]) => `mandatory registered-prefixes sp-${m}-${name}: metro ${m}: ${p} is originated by AS64500, which is neither the SP's ASN (AS${asn}) nor registered at this metro. Fix: correct originAsn in stacks/test/sp.yaml, or register AS64500 (a RegisteredAsn at every metro)`,
          ),
        ),
      ],
    ]),
    ["peering-service-settings, registered-prefixes: documentation ASN and prefixes without allowDocumentationRanges", stackOf(happyMetros()), {}, [
      "mandatory peering-service-settings sp-as64500: the SP ASN: AS64500 is a documentation ASN (RFC 5398), allowed only where the policy config sets allowDocumentationRanges (lab stacks); Peering Service needs the SP's public ASN. Fix: set asn in stacks/test/sp.yaml to the SP's own public ASN",
      "mandatory registered-prefixes sp-amsterdam-198-51-100-0-24: 198.51.100.0/24 is not public address space: it overlaps the documentation range 198.51.100.0/24 (allowed only where the policy config sets allowDocumentationRanges: lab stacks). Fix: register only the SP's own public prefixes in stacks/test/sp.yaml prefixes",
      "mandatory registered-prefixes sp-amsterdam-203-0-113-0-24: 203.0.113.0/24 is not public address space: it overlaps the documentation range 203.0.113.0/24 (allowed only where the policy config sets allowDocumentationRanges: lab stacks). Fix: register only the SP's own public prefixes in stacks/test/sp.yaml prefixes",
      "mandatory registered-prefixes sp-amsterdam-2001-db8-1000-48: 2001:db8:1000::/48 is not public address space: it overlaps the documentation range 2001:db8::/32 (allowed only where the policy config sets allowDocumentationRanges: lab stacks). Fix: register only the SP's own public prefixes in stacks/test/sp.yaml prefixes",
      "mandatory registered-prefixes sp-amsterdam-198-51-100-0-24: 198.51.100.0/24: origin AS64500 is a documentation ASN (RFC 5398), allowed only where the policy config sets allowDocumentationRanges (lab stacks). Fix: set originAsn in stacks/test/sp.yaml to the public ASN that originates it",
      "mandatory registered-prefixes sp-amsterdam-203-0-113-0-24: 203.0.113.0/24: origin AS64501 is a documentation ASN (RFC 5398), allowed only where the policy config sets allowDocumentationRanges (lab stacks). Fix: set originAsn in stacks/test/sp.yaml to the public ASN that originates it",
    ]],
    // registered-prefixes
    ["registered-prefixes: a bogon (RFC 1918)", stackOf(happyMetros(), { prefixes: [...PREFIXES, ["10.1.0.0/16", 64500]] }), LAB_CONFIG, [
      "mandatory registered-prefixes sp-amsterdam-10-1-0-0-16: 10.1.0.0/16 is not public address space: it overlaps the bogon 10.0.0.0/8. Fix: register only the SP's own public prefixes in stacks/test/sp.yaml prefixes",
    ]],
    ["registered-prefixes: longer than /24 and /48", stackOf(happyMetros(), { prefixes: [PREFIXES[0], ["203.0.113.128/25", 64501], ["2001:db8:2000::/56", 64500]] }), LAB_CONFIG, [
      "mandatory registered-prefixes sp-amsterdam-203-0-113-128-25: 203.0.113.128/25 is longer than /24, which Microsoft does not accept for Peering Service. Fix: register the covering /24 (or shorter) instead",
      "mandatory registered-prefixes sp-amsterdam-2001-db8-2000-56: 2001:db8:2000::/56 is longer than /48, which Microsoft does not accept for Peering Service. Fix: register the covering /48 (or shorter) instead",
    ]],
    ["registered-prefixes: a prefix and a more specific one", stackOf(happyMetros(), { prefixes: [...PREFIXES, ["198.51.100.0/23", 64500]] }), LAB_CONFIG, [
      "mandatory registered-prefixes sp-amsterdam-198-51-100-0-24: 198.51.100.0/24 overlaps 198.51.100.0/23: a prefix is registered once. Fix: register either the covering prefix or the more specific one, not both",
    ]],
    ["registered-prefixes: registered twice at a metro", [...stackOf(happyMetros()), { ...stackOf(happyMetros()).find((r) => r.name === "sp-frankfurt-198-51-100-0-24")!, name: "sp-frankfurt-again", urn: "urn:pulumi:test::peering-as-code::azure-native:peering:RegisteredPrefix::sp-frankfurt-again" }], LAB_CONFIG, [
      "mandatory registered-prefixes sp-frankfurt-again: metro frankfurt: 198.51.100.0/24 is registered twice. Fix: list each prefix once in stacks/test/sp.yaml prefixes",
    ]],
    ["registered-prefixes: originated by an ASN not registered", stackOf(happyMetros(), { prefixes: [...PREFIXES, ["192.0.2.0/24", 64502]] }).filter((r) => !r.name.startsWith("sp-frankfurt-192")), LAB_CONFIG, [
      "mandatory geo-redundancy sp-frankfurt-peering: metro frankfurt does not register 192.0.2.0/24, which other metros register; Microsoft validates every prefix on every session, so announcements must be identical at every metro. Fix: register every prefix of stacks/test/sp.yaml at every metro (declare the metro through the PeeringLocation component)",
      "mandatory registered-prefixes sp-amsterdam-192-0-2-0-24: metro amsterdam: 192.0.2.0/24 is originated by AS64502, which is neither the SP's ASN (AS64500) nor registered at this metro. Fix: correct originAsn in stacks/test/sp.yaml, or register AS64502 (a RegisteredAsn at every metro)",
    ]],
    ["registered-prefixes: no IPv4 prefix", stackOf(happyMetros(), { prefixes: [PREFIXES[2]] }), LAB_CONFIG, [
      "mandatory registered-prefixes (stack): no IPv4 prefix of /24 or shorter is registered; Peering Service needs at least one. Fix: add the SP's IPv4 /24 (or shorter) to stacks/test/sp.yaml prefixes",
    ]],
    // nearest-edge (advisory)
    ["nearest-edge: the nearest metro beyond the round-trip bound", stackOf(happyMetros()), merge({ "nearest-edge": { maxRoundTripMs: 1 } }), [
      "advisory nearest-edge sp-amsterdam-peering: region europe-west: its nearest metro, amsterdam, is 173 km from the centre, about 1.7 ms round trip in fibre, over the 1 ms bound. Fix: add a metro closer to the region's users, or correct the region's centre in stacks/test/sp.yaml regions",
    ]],
  ])("%s", (_title, resources, config, expected) => {
    expect(violations(resources, config)).toEqual(expected);
  });
});

describe("the policy config file", () => {
  it.each<[string, PolicyPackConfig, string | undefined]>([
    ["the lab config", LAB_CONFIG, undefined],
    ["levels for all and one policy", { all: "advisory", "nearest-edge": "disabled" }, undefined],
    ["an unknown policy", { "local-redundancy-x": "mandatory" }, '"local-redundancy-x" is not a policy of this pack'],
    ["an unknown property", { "geo-redundancy": { minMetro: 3 } }, "geo-redundancy.minMetro: is not a config property of geo-redundancy (properties: minMetros, minMetrosPerRegion)"],
    ["a value of the wrong type", { "registered-prefixes": { allowDocumentationRanges: "yes" } }, 'registered-prefixes.allowDocumentationRanges: "yes" does not fit'],
    ["a length the rule cannot allow", { "session-addressing": { ipv4PrefixLengths: [29] } }, "session-addressing.ipv4PrefixLengths: [29] does not fit"],
    ["an unknown level", { "equal-capacity": "warn" }, 'equal-capacity: "warn" is not an enforcement level (advisory, mandatory, disabled)'],
  ])("%s", (_title, config, problem) => {
    const check = () => checkPackConfig(config, "stacks/Pulumi.test.policy.json");
    if (problem === undefined) expect(check).not.toThrow();
    else expect(check).toThrow(problem);
  });

  it("applies the levels it sets: a disabled rule does not run, `all` downgrades the others", () => {
    const oneMetro = stackOf(metros((m) => m.splice(1)));
    const run = runPolicies(oneMetro, { ...LAB_CONFIG, all: "advisory", "nearest-edge": "disabled" });
    expect(run.ran).toBe(6);
    expect(run.violations.map((v) => `${v.enforcementLevel} ${v.policy}`)).toEqual(["advisory geo-redundancy", "advisory geo-redundancy"]);
  });
});
