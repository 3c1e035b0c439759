/**
 * Every rule of the policy pack through the same in-process path the offline plan uses
 * (`runPolicies`): the happy path passes every rule; each case changes one thing and expects the
 * exact violations (`policy resource: message`), advisory ones included.
 */
import { checkPackConfig, runPolicies, type DeclaredResource, type PolicyPackConfig } from "../../policies/run";
import { RULES } from "../../policies/rules";
import {
  EXPECTED_RULES,
  happyMetros,
  keyedMetros,
  LAB_CONFIG,
  leg,
  peerAsn,
  peeringResource,
  PREFIXES,
  registration,
  registrations,
  secret,
  stackOf,
  withInput,
  type LegSpec,
  type MetroSpec,
} from "./support";

function violations(resources: DeclaredResource[], config: PolicyPackConfig = LAB_CONFIG): string[] {
  return runPolicies(resources, config).violations.map(
    (v) => `${v.enforcementLevel} ${v.policy} ${v.urn?.split("::").pop() ?? "(stack)"}: ${v.message}`,
  );
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

it("lists ten rules, nearest-edge and microsoft-exceptions the advisory ones", () => {
  expect(RULES.map((r) => `${r.name}:${r.enforcementLevel}`)).toEqual(EXPECTED_RULES);
});

describe("passing cases", () => {
  it.each<[string, DeclaredResource[], PolicyPackConfig]>([
    ["the happy path (every rule)", stackOf(happyMetros()), LAB_CONFIG],
    [
      "geo-redundancy: one metro where the config asks for one",
      stackOf(metros((m) => m.splice(1))),
      merge({ "geo-redundancy": { minMetros: 1, minMetrosPerRegion: 1 } }),
    ],
    [
      "equal-capacity: every leg 100G",
      stackOf(metros((m) => m.forEach((x) => x.legs.forEach((l) => (l.mbps = 100000))))),
      LAB_CONFIG,
    ],
    [
      "equal-capacity: a decommissioned metro of other capacity is not a backup any more",
      stackOf([
        ...happyMetros(),
        {
          ...happyMetros()[0],
          id: "paris",
          location: "Paris",
          status: "decommissioned",
          legs: [
            {
              ...happyMetros()[0].legs[0],
              v4: ["192.0.2.32/31", "192.0.2.32", "192.0.2.33"],
              v6: ["2001:db8:ffff::20/127", "2001:db8:ffff::20", "2001:db8:ffff::21"],
              mbps: 10000,
              router: "par-edge-1",
            },
            {
              ...happyMetros()[0].legs[1],
              v4: ["192.0.2.34/31", "192.0.2.34", "192.0.2.35"],
              v6: ["2001:db8:ffff::22/127", "2001:db8:ffff::22", "2001:db8:ffff::23"],
              mbps: 10000,
              router: "par-edge-2",
            },
          ],
        },
      ]),
      LAB_CONFIG,
    ],
    [
      "session-addressing: a /30 and a /126 where the config allows them",
      slash30(),
      merge({ "session-addressing": { ipv4PrefixLengths: [30, 31], ipv6PrefixLengths: [126, 127] } }),
    ],
    [
      "peering-service-settings, registered-prefixes: public ASN and prefixes with the default config",
      stackOf(happyMetros(), {
        asn: 3320,
        prefixes: [
          ["80.128.0.0/11", 3320],
          ["2003::/19", 3320],
        ],
      }).filter((r) => !r.name.includes("as64501")),
      {},
    ],
    ["nearest-edge: a looser bound", stackOf(happyMetros()), merge({ "nearest-edge": { maxRoundTripMs: 2 } })],
  ])("%s", (_title, resources, config) => {
    expect(violations(resources, config)).toEqual([]);
  });
});

const LOCAL = "mandatory local-redundancy sp-amsterdam-peering";
/** What the advisory microsoft-exceptions rule notes for frankfurt/b's agreed MD5 key. */
const KEYED_NOTE =
  "advisory microsoft-exceptions sp-frankfurt-peering: metro frankfurt leg b (fra-edge-2 bond-msft): MD5 key, an exception to Microsoft's peering policy (MD5 isn't supported), agreed: ticket 4711. Fix: nothing while the agreement holds; Microsoft's edge must carry the same key. Remove md5 from the leg in stacks/test/metros/frankfurt.yaml when it ends";
const NEAREST_PAIR =
  "advisory nearest-edge sp-amsterdam-peering: region europe-west: its nearest metro, amsterdam (173 km from the centre), has no full pair of legs on two routers, so its users lose the nearest edge when one leg fails. Fix: complete the pair at amsterdam";

describe("failing cases", () => {
  it.each<[string, DeclaredResource[], PolicyPackConfig, string[]]>([
    // local-redundancy
    [
      "local-redundancy: a metro with one leg",
      stackOf(metros((m) => m[0].legs.splice(1))),
      LAB_CONFIG,
      [
        `${LOCAL}: metro amsterdam has 1 leg(s) (leg a (ams-edge-1 bond-msft)); Microsoft requires at least 2. Fix: add a leg on a second router to legs: in stacks/test/metros/amsterdam.yaml, with its own cross-connect to Microsoft`,
        NEAREST_PAIR,
      ],
    ],
    [
      "local-redundancy: two legs on one router",
      stackOf(metros((m) => Object.assign(m[0].legs[1], { router: "ams-edge-1", interface: "bond-msft2" }))),
      LAB_CONFIG,
      [
        `${LOCAL}: metro amsterdam: leg a and leg b on ams-edge-1; the legs must land on at least 2 distinct SP routers (two connections on one router are not locally redundant). Fix: move one leg to a second router (legs[].router.hostname in stacks/test/metros/amsterdam.yaml)`,
        NEAREST_PAIR,
      ],
    ],
    [
      "local-redundancy: two legs on one bundle of one router",
      stackOf(metros((m) => Object.assign(m[0].legs[1], { router: "ams-edge-1" }))),
      LAB_CONFIG,
      [
        `${LOCAL}: metro amsterdam: leg a and leg b on ams-edge-1; the legs must land on at least 2 distinct SP routers (two connections on one router are not locally redundant). Fix: move one leg to a second router (legs[].router.hostname in stacks/test/metros/amsterdam.yaml)`,
        `${LOCAL}: metro amsterdam: leg a (ams-edge-1 bond-msft) and leg b (ams-edge-1 bond-msft) share the interface ams-edge-1 bond-msft, so they are one connection to Microsoft. Fix: give each leg its own bundle and cross-connect in stacks/test/metros/amsterdam.yaml`,
        NEAREST_PAIR,
      ],
    ],
    [
      "local-redundancy: a leg without IPv6",
      changed("sp-amsterdam-peering", "direct.connections.1.bgpSession.sessionPrefixV6", undefined),
      LAB_CONFIG,
      [
        `${LOCAL}: metro amsterdam leg b (ams-edge-2 bond-msft): has no IPv6 session (session prefix and both session addresses); every leg carries IPv4 and IPv6. Fix: give the leg both session prefixes (sessionPrefixes in stacks/test/metros/amsterdam.yaml, or the SP's sessionAddressPools)`,
        NEAREST_PAIR,
      ],
    ],
    [
      "local-redundancy: a peering without the leg-routers tag (declared by another program)",
      changed("sp-frankfurt-peering", "tags.leg-routers", undefined),
      LAB_CONFIG,
      [
        "mandatory local-redundancy sp-frankfurt-peering: metro frankfurt: tag leg-routers names 0 leg(s) for 2 connection(s), so the SP router of each leg is unknown. Fix: declare the peering through the PeeringLocation component, which tags every connection with its leg, router and interface",
      ],
    ],
    // geo-redundancy
    [
      "geo-redundancy: a single metro",
      stackOf(metros((m) => m.splice(1))),
      LAB_CONFIG,
      [
        "mandatory geo-redundancy (stack): Peering Service sessions at 1 metro(s) (Amsterdam); Microsoft requires at least 2 for geo redundancy. Fix: add a metro file for a second Azure peering location (stacks/test/metros/<metro>.yaml)",
        "mandatory geo-redundancy (stack): region europe-west is served from only Amsterdam: it needs a primary and a backup metro (2 distinct peering locations; a locally redundant pair is not its own backup). Fix: add a metro file with region: europe-west (stacks/test/metros/<metro>.yaml)",
      ],
    ],
    [
      "geo-redundancy: the backup metro is decommissioned",
      stackOf(metros((m) => (m[1].status = "decommissioned"))),
      LAB_CONFIG,
      [
        "mandatory geo-redundancy (stack): Peering Service sessions at 1 metro(s) (Amsterdam); Microsoft requires at least 2 for geo redundancy. Fix: add a metro file for a second Azure peering location (stacks/test/metros/<metro>.yaml)",
        "mandatory geo-redundancy (stack): region europe-west is served from only Amsterdam: it needs a primary and a backup metro (2 distinct peering locations; a locally redundant pair is not its own backup). Fix: add a metro file with region: europe-west (stacks/test/metros/<metro>.yaml)",
      ],
    ],
    [
      "geo-redundancy: two peerings at one location are one metro (a pair is not its own backup)",
      stackOf(metros((m) => (m[1].location = "Amsterdam"))),
      LAB_CONFIG,
      [
        "mandatory geo-redundancy (stack): Peering Service sessions at 1 metro(s) (Amsterdam); Microsoft requires at least 2 for geo redundancy. Fix: add a metro file for a second Azure peering location (stacks/test/metros/<metro>.yaml)",
        "mandatory geo-redundancy (stack): region europe-west is served from only Amsterdam: it needs a primary and a backup metro (2 distinct peering locations; a locally redundant pair is not its own backup). Fix: add a metro file with region: europe-west (stacks/test/metros/<metro>.yaml)",
      ],
    ],
    [
      "geo-redundancy: a served region without metros",
      changed("sp-amsterdam-peering", "tags.served-regions", "europe-west,us-east"),
      LAB_CONFIG,
      [
        "mandatory geo-redundancy (stack): region us-east is served from no metro: it needs a primary and a backup metro (2 distinct peering locations; a locally redundant pair is not its own backup). Fix: add a metro file with region: us-east (stacks/test/metros/<metro>.yaml)",
      ],
    ],
    // equal-capacity
    [
      "equal-capacity: legs of one metro differ",
      stackOf(metros((m) => (m[1].legs[1].mbps = 100000))),
      LAB_CONFIG,
      [
        "mandatory equal-capacity sp-frankfurt-peering: metro frankfurt: legs have unequal bandwidth (leg a (fra-edge-1 bond-msft) 200G, leg b (fra-edge-2 bond-msft) 100G); if the 200G leg fails the others cannot carry its load. Fix: give every leg the same LAG capacity (members and speedGbps in stacks/test/metros/frankfurt.yaml)",
      ],
    ],
    [
      "equal-capacity: the backup metro is smaller than the primary",
      stackOf(metros((m) => m[1].legs.forEach((l) => (l.mbps = 100000)))),
      LAB_CONFIG,
      [
        "mandatory equal-capacity sp-frankfurt-peering: metro frankfurt in region europe-west has 100G legs where other metros of the region have 200G (amsterdam 200G, frankfurt 100G); as a backup it could not carry the primary's load. Fix: give the legs in stacks/test/metros/frankfurt.yaml 200G (members and speedGbps), or bring the region's metros to one capacity",
      ],
    ],
    // session-addressing
    [
      "session-addressing: a /30 by default",
      slash30(),
      LAB_CONFIG,
      [
        "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft) sessionPrefixV4: 192.0.2.128/30 is a /30; session prefixes must be /31. Fix: use a /31 (remove the pin to allocate one from the pool), or allow /30 in the policy config (ipv4PrefixLengths)",
        "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft) sessionPrefixV6: 2001:db8:ffff::100/126 is a /126; session prefixes must be /127. Fix: use a /127 (remove the pin to allocate one from the pool), or allow /126 in the policy config (ipv6PrefixLengths)",
      ],
    ],
    [
      "session-addressing: the network address of a /30",
      changed(
        "sp-amsterdam-peering",
        "direct.connections.0.bgpSession.microsoftSessionIPv4Address",
        "192.0.2.128",
        slash30(),
      ),
      merge({ "session-addressing": { ipv4PrefixLengths: [30, 31], ipv6PrefixLengths: [126, 127] } }),
      [
        "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft) microsoftSessionIPv4Address: 192.0.2.128 is the network address of 192.0.2.128/30. Fix: use the prefix's first and second usable addresses",
      ],
    ],
    [
      "session-addressing: a /29",
      changed(
        "sp-amsterdam-peering",
        "direct.connections.0.bgpSession.sessionPrefixV4",
        "192.0.2.64/29",
        changed(
          "sp-amsterdam-peering",
          "direct.connections.0.bgpSession.microsoftSessionIPv4Address",
          "192.0.2.65",
          changed("sp-amsterdam-peering", "direct.connections.0.bgpSession.peerSessionIPv4Address", "192.0.2.66"),
        ),
      ),
      LAB_CONFIG,
      [
        "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft) sessionPrefixV4: 192.0.2.64/29 is a /29; session prefixes must be /31. Fix: use a /31 (remove the pin to allocate one from the pool), or allow /30 in the policy config (ipv4PrefixLengths)",
      ],
    ],
    [
      "session-addressing: a /31 used at two metros",
      changed(
        "sp-frankfurt-peering",
        "direct.connections.0.bgpSession.sessionPrefixV4",
        "192.0.2.0/31",
        changed(
          "sp-frankfurt-peering",
          "direct.connections.0.bgpSession.microsoftSessionIPv4Address",
          "192.0.2.0",
          changed("sp-frankfurt-peering", "direct.connections.0.bgpSession.peerSessionIPv4Address", "192.0.2.1"),
        ),
      ),
      LAB_CONFIG,
      [
        "mandatory session-addressing sp-frankfurt-peering: metro frankfurt leg a (fra-edge-1 bond-msft): session prefix 192.0.2.0/31 is also used by metro amsterdam leg a (ams-edge-1 bond-msft). Fix: give every leg its own session prefix (remove the pin to allocate a free one)",
      ],
    ],
    [
      "session-addressing: a /126 overlapping two /127s",
      changed(
        "sp-frankfurt-peering",
        "direct.connections.0.bgpSession.sessionPrefixV6",
        "2001:db8:ffff::/126",
        changed(
          "sp-frankfurt-peering",
          "direct.connections.0.bgpSession.microsoftSessionIPv6Address",
          "2001:db8:ffff::1",
          changed("sp-frankfurt-peering", "direct.connections.0.bgpSession.peerSessionIPv6Address", "2001:db8:ffff::2"),
        ),
      ),
      merge({ "session-addressing": { ipv6PrefixLengths: [126, 127] } }),
      [
        "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft): session prefix 2001:db8:ffff::/127 overlaps 2001:db8:ffff::/126 of metro frankfurt leg a (fra-edge-1 bond-msft). Fix: give every leg its own session prefix (remove the pin to allocate a free one)",
        "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg b (ams-edge-2 bond-msft): session prefix 2001:db8:ffff::2/127 overlaps 2001:db8:ffff::/126 of metro frankfurt leg a (fra-edge-1 bond-msft). Fix: give every leg its own session prefix (remove the pin to allocate a free one)",
      ],
    ],
    [
      "session-addressing: the SP address outside the prefix",
      changed("sp-amsterdam-peering", "direct.connections.0.bgpSession.peerSessionIPv4Address", "192.0.2.9"),
      LAB_CONFIG,
      [
        "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft) peerSessionIPv4Address: 192.0.2.9 is outside the session prefix 192.0.2.0/31. Fix: use an address inside 192.0.2.0/31",
      ],
    ],
    [
      "session-addressing: both ends on one address",
      changed("sp-amsterdam-peering", "direct.connections.0.bgpSession.peerSessionIPv6Address", "2001:db8:ffff::"),
      LAB_CONFIG,
      [
        "mandatory session-addressing sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft): Microsoft and SP IPv6 session addresses are both 2001:db8:ffff::. Fix: give each end its own address within 2001:db8:ffff::/127",
      ],
    ],
    // peering-service-settings
    [
      "peering-service-settings: kind Exchange",
      changed("sp-amsterdam-peering", "kind", "Exchange"),
      LAB_CONFIG,
      [
        'mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam: kind is "Exchange"; Peering Service runs on Direct peerings. Fix: set kind: "Direct" (declare the metro through the PeeringLocation component)',
      ],
    ],
    [
      "peering-service-settings: a Basic SKU",
      changed("sp-amsterdam-peering", "sku.name", "Basic_Direct_Free"),
      LAB_CONFIG,
      [
        'mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam: sku.name is "Basic_Direct_Free"; Peering Service needs Premium_Direct_Free. Fix: set sku: { name: "Premium_Direct_Free" }',
      ],
    ],
    [
      "peering-service-settings: a connection not used for Peering Service",
      changed("sp-amsterdam-peering", "direct.connections.1.useForPeeringService", false),
      LAB_CONFIG,
      [
        "mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam leg b (ams-edge-2 bond-msft): useForPeeringService is not true, so Microsoft does not use the connection for Peering Service. Fix: set useForPeeringService: true on every connection",
      ],
    ],
    [
      "peering-service-settings: max-prefix on what Microsoft sends below Microsoft's recommendation",
      changed("sp-amsterdam-peering", "tags.leg-max-prefix-v4", "2000,1000"),
      LAB_CONFIG,
      [
        "mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam leg b (ams-edge-2 bond-msft): max-prefix on IPv4 routes from Microsoft is 1000, outside 2000 to 100000. Fix: set maxPrefix.ipv4 (stacks/test/sp.yaml or the leg) between 2000 and 100000",
      ],
    ],
    [
      "peering-service-settings: no max-prefix on what Microsoft sends",
      changed("sp-amsterdam-peering", "tags.leg-max-prefix-v6", undefined),
      LAB_CONFIG,
      [
        "mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam leg a (ams-edge-1 bond-msft): no max-prefix limit on IPv6 routes from Microsoft (tag leg-max-prefix-v6). Fix: set maxPrefix.ipv6 in stacks/test/sp.yaml (or the leg's maxPrefix.ipv6)",
        "mandatory peering-service-settings sp-amsterdam-peering: metro amsterdam leg b (ams-edge-2 bond-msft): no max-prefix limit on IPv6 routes from Microsoft (tag leg-max-prefix-v6). Fix: set maxPrefix.ipv6 in stacks/test/sp.yaml (or the leg's maxPrefix.ipv6)",
      ],
    ],
    [
      "peering-service-settings: an MD5 key in plain text",
      changed(
        "sp-frankfurt-peering",
        "direct.connections.1.bgpSession.md5AuthenticationKey",
        "plain-key",
        stackOf(keyedMetros()),
      ),
      LAB_CONFIG,
      [
        "mandatory peering-service-settings sp-frankfurt-peering: metro frankfurt leg b (fra-edge-2 bond-msft): md5AuthenticationKey is not a Pulumi secret, so it would be stored and shown in plain text. Fix: set it with `pulumi config set --secret <name> <key>` and name it in md5.keySecret on the leg",
        KEYED_NOTE,
      ],
    ],
    ...(
      [
        [65000, "AS65000 is private or reserved (RFC 6996, RFC 7300)"],
        [23456, "AS23456 is AS_TRANS (RFC 6793), never an origin"],
        [8075, "AS8075 is Microsoft's"],
        [12076, "AS12076 is Microsoft's"],
        [4200000001, "AS4200000001 is private or reserved (RFC 6996, RFC 7300)"],
      ] as const
    ).map(([asn, why]): [string, DeclaredResource[], PolicyPackConfig, string[]] => [
      `peering-service-settings: SP ASN ${asn}`,
      [peerAsn(asn), ...stackOf(happyMetros()).slice(1)],
      LAB_CONFIG,
      [
        `mandatory peering-service-settings sp-as${asn}: the SP ASN: ${why}; Peering Service needs the SP's public ASN. Fix: set asn in stacks/test/sp.yaml to the SP's own public ASN`,
        // The SP's own prefixes are now originated by an ASN that is neither the PeerAsn nor registered.
        ...[
          ["198.51.100.0/24", "198-51-100-0-24"],
          ["2001:db8:1000::/48", "2001-db8-1000-48"],
        ].map(
          ([p, name]) =>
            `mandatory registered-prefixes sp-prefix-${name}: metro amsterdam: ${p} is originated by AS64500, which is neither the SP's ASN (AS${asn}) nor a registered ASN. ` +
            "Fix: correct originAsn in stacks/test/sp.yaml, or let AS64500 be registered (it is, with its first prefix, once that prefix's home is active)",
        ),
      ],
    ]),
    [
      "peering-service-settings, registered-prefixes: documentation ASN and prefixes without allowDocumentationRanges",
      stackOf(happyMetros()),
      {},
      [
        "mandatory peering-service-settings sp-as64500: the SP ASN: AS64500 is a documentation ASN (RFC 5398), allowed only where the policy config sets allowDocumentationRanges (lab stacks); Peering Service needs the SP's public ASN. Fix: set asn in stacks/test/sp.yaml to the SP's own public ASN",
        "mandatory registered-prefixes sp-prefix-198-51-100-0-24: 198.51.100.0/24 is not public address space: it overlaps the documentation range 198.51.100.0/24 (allowed only where the policy config sets allowDocumentationRanges: lab stacks). Fix: register only the SP's own public prefixes in stacks/test/sp.yaml prefixes",
        "mandatory registered-prefixes sp-prefix-203-0-113-0-24: 203.0.113.0/24 is not public address space: it overlaps the documentation range 203.0.113.0/24 (allowed only where the policy config sets allowDocumentationRanges: lab stacks). Fix: register only the SP's own public prefixes in stacks/test/sp.yaml prefixes",
        "mandatory registered-prefixes sp-prefix-2001-db8-1000-48: 2001:db8:1000::/48 is not public address space: it overlaps the documentation range 2001:db8::/32 (allowed only where the policy config sets allowDocumentationRanges: lab stacks). Fix: register only the SP's own public prefixes in stacks/test/sp.yaml prefixes",
        "mandatory registered-prefixes sp-prefix-198-51-100-0-24: 198.51.100.0/24: origin AS64500 is a documentation ASN (RFC 5398), allowed only where the policy config sets allowDocumentationRanges (lab stacks). Fix: set originAsn in stacks/test/sp.yaml to the public ASN that originates it",
        "mandatory registered-prefixes sp-prefix-203-0-113-0-24: 203.0.113.0/24: origin AS64501 is a documentation ASN (RFC 5398), allowed only where the policy config sets allowDocumentationRanges (lab stacks). Fix: set originAsn in stacks/test/sp.yaml to the public ASN that originates it",
      ],
    ],
    // registered-prefixes
    [
      "registered-prefixes: a bogon (RFC 1918)",
      stackOf(happyMetros(), { prefixes: [...PREFIXES, ["10.1.0.0/16", 64500]] }),
      LAB_CONFIG,
      [
        "mandatory registered-prefixes sp-prefix-10-1-0-0-16: 10.1.0.0/16 is not public address space: it overlaps the bogon 10.0.0.0/8. Fix: register only the SP's own public prefixes in stacks/test/sp.yaml prefixes",
      ],
    ],
    [
      "registered-prefixes: longer than /24 and /48",
      stackOf(happyMetros(), { prefixes: [PREFIXES[0], ["203.0.113.128/25", 64501], ["2001:db8:2000::/56", 64500]] }),
      LAB_CONFIG,
      [
        "mandatory registered-prefixes sp-prefix-203-0-113-128-25: 203.0.113.128/25 is longer than /24, which Microsoft does not accept for Peering Service. Fix: register the covering /24 (or shorter) instead",
        "mandatory registered-prefixes sp-prefix-2001-db8-2000-56: 2001:db8:2000::/56 is longer than /48, which Microsoft does not accept for Peering Service. Fix: register the covering /48 (or shorter) instead",
      ],
    ],
    [
      "registered-prefixes: a prefix and a more specific one",
      stackOf(happyMetros(), { prefixes: [...PREFIXES, ["198.51.100.0/23", 64500]] }),
      LAB_CONFIG,
      [
        "mandatory registered-prefixes sp-prefix-198-51-100-0-24: 198.51.100.0/24 overlaps 198.51.100.0/23: a prefix is registered once. Fix: register either the covering prefix or the more specific one, not both",
      ],
    ],
    [
      "registered-prefixes: originated by an ASN not registered",
      stackOf(happyMetros(), { prefixes: [...PREFIXES, ["192.0.2.0/24", 64502]] }).filter(
        (r) => r.name !== "sp-origin-as64502",
      ),
      LAB_CONFIG,
      [
        "mandatory registered-prefixes sp-prefix-192-0-2-0-24: metro amsterdam: 192.0.2.0/24 is originated by AS64502, which is neither the SP's ASN (AS64500) nor a registered ASN. Fix: correct originAsn in stacks/test/sp.yaml, or let AS64502 be registered (it is, with its first prefix, once that prefix's home is active)",
      ],
    ],
    [
      "registered-prefixes: no IPv4 prefix",
      stackOf(happyMetros(), { prefixes: [PREFIXES[2]] }),
      LAB_CONFIG,
      [
        "mandatory registered-prefixes (stack): no IPv4 prefix of /24 or shorter is registered; Peering Service needs at least one. Fix: add the SP's IPv4 /24 (or shorter) to stacks/test/sp.yaml prefixes",
      ],
    ],
    // nearest-edge (advisory)
    [
      "nearest-edge: the nearest metro beyond the round-trip bound",
      stackOf(happyMetros()),
      merge({ "nearest-edge": { maxRoundTripMs: 1 } }),
      [
        "advisory nearest-edge sp-amsterdam-peering: region europe-west: its nearest metro, amsterdam, is 173 km from the centre, about 1.7 ms round trip in fibre, over the 1 ms bound. Fix: add a metro closer to the region's users, or correct the region's centre in stacks/test/sp.yaml regions",
      ],
    ],
  ])("%s", (_title, resources, config, expected) => {
    expect(violations(resources, config)).toEqual(expected);
  });
});

describe("the policy config file", () => {
  it.each<[string, PolicyPackConfig, string | undefined]>([
    ["the lab config", LAB_CONFIG, undefined],
    ["levels for all and one policy", { all: "advisory", "nearest-edge": "disabled" }, undefined],
    ["an unknown policy", { "local-redundancy-x": "mandatory" }, '"local-redundancy-x" is not a policy of this pack'],
    [
      "an unknown property",
      { "geo-redundancy": { minMetro: 3 } },
      "geo-redundancy.minMetro: is not a config property of geo-redundancy (properties: minMetros, minMetrosPerRegion)",
    ],
    [
      "a value of the wrong type",
      { "registered-prefixes": { allowDocumentationRanges: "yes" } },
      'registered-prefixes.allowDocumentationRanges: "yes" does not fit',
    ],
    [
      "a length the rule cannot allow",
      { "session-addressing": { ipv4PrefixLengths: [29] } },
      "session-addressing.ipv4PrefixLengths: [29] does not fit",
    ],
    [
      "an unknown level",
      { "equal-capacity": "warn" },
      'equal-capacity: "warn" is not an enforcement level (advisory, mandatory, disabled)',
    ],
  ])("%s", (_title, config, problem) => {
    const check = () => checkPackConfig(config, "stacks/Pulumi.test.policy.json");
    if (problem === undefined) expect(check).not.toThrow();
    else expect(check).toThrow(problem);
  });

  it("applies the levels it sets: a disabled rule does not run, `all` downgrades the others", () => {
    const oneMetro = stackOf(metros((m) => m.splice(1)));
    const run = runPolicies(oneMetro, { ...LAB_CONFIG, all: "advisory", "nearest-edge": "disabled" });
    expect(run.ran).toBe(10);
    expect(run.violations.map((v) => `${v.enforcementLevel} ${v.policy}`)).toEqual([
      "advisory geo-redundancy",
      "advisory geo-redundancy",
    ]);
  });
});

/** London, a third metro of the region, in `status`; its legs in the metro's state unless given. */
const london = (
  status: string,
  legs: LegSpec[] = [leg("a", "lon-edge-1", 4), leg("b", "lon-edge-2", 5)],
): MetroSpec => ({ id: "london", location: "London", region: "europe-west", lat: 51.51, lon: -0.13, status, legs });
/** A leg whose session addresses Microsoft has yet to assign. */
const awaiting = (l: LegSpec): LegSpec => ({ ...l, v4: undefined, v6: undefined, provider: "Microsoft" });
/** The happy stack plus London in `status`, registrations at Amsterdam. */
const withLondon = (status: string, legs?: LegSpec[]) => [
  ...stackOf(happyMetros()),
  peeringResource(london(status, legs)),
];
/** The happy stack, with one registration (or all of them) homed at `m` instead. */
const homedAt = (m: MetroSpec, base = withLondon(m.status ?? "active")) => [
  ...base.filter((r) => !/Registered/.test(r.type)),
  ...registrations(m),
];
const withOptions = (r: DeclaredResource, options: DeclaredResource["options"]): DeclaredResource => ({
  ...r,
  options: { ...r.options, ...options },
});
const optionsOf = (name: string, options: DeclaredResource["options"], base: DeclaredResource[]) =>
  base.map((r) => (r.name === name ? withOptions(r, options) : r));

const REGISTRATION_FIX =
  "Fix: set status: active in stacks/test/metros/london.yaml once Microsoft reports its connections Active, or register";
const BEFORE_ACTIVE = (key: string, name: string, status: string) =>
  `mandatory registrations ${name}: ${key} is registered at london, which is ${status}: Microsoft registers prefixes only once the peering's connections are Active. ${REGISTRATION_FIX} ${key} at an active metro (registerAt in stacks/test/sp.yaml)`;
const ON_LONDON = [
  ["AS64501", "sp-origin-as64501"],
  ["198.51.100.0/24", "sp-prefix-198-51-100-0-24"],
  ["203.0.113.0/24", "sp-prefix-203-0-113-0-24"],
  ["2001:db8:1000::/48", "sp-prefix-2001-db8-1000-48"],
] as const;

describe("each lifecycle state: what passes and what fails", () => {
  it.each<[string, DeclaredResource[]]>([
    ["planned: nothing declared for a planned metro", stackOf(happyMetros())],
    [
      "requested: a Peering unprotected, its legs waiting for Microsoft's addresses",
      withLondon("requested", [awaiting(leg("a", "lon-edge-1", 4)), awaiting(leg("b", "lon-edge-2", 5))]),
    ],
    [
      "requested: a leg requested for an active metro, waiting for Microsoft's addresses",
      [...stackOf(metros((m) => m[1].legs.push({ ...awaiting(leg("c", "fra-edge-3", 6)), status: "requested" })))],
    ],
    ["provisioning: a Peering protected, no registration", withLondon("provisioning")],
    ["active: the happy path", stackOf(happyMetros())],
    [
      "maintenance: protected, the registrations stay",
      homedAt({ ...happyMetros()[0], status: "maintenance" }, stackOf(metros((m) => (m[0].status = "maintenance")))),
    ],
    ["decommissioned: unprotected (retained on delete), no registration there", withLondon("decommissioned")],
    [
      "decommissioned: a leg of an active metro, the other two in service",
      stackOf(metros((m) => m[1].legs.push({ ...leg("c", "fra-edge-3", 6), status: "decommissioned" }))),
    ],
  ])("passes %s", (_title, resources) => {
    expect(violations(resources)).toEqual([]);
  });

  it.each<[string, DeclaredResource[], string[]]>([
    [
      "planned: a Peering declared for a planned metro",
      withLondon("planned"),
      [
        "mandatory lifecycle sp-london-peering: metro london is planned, which declares nothing in Azure, yet its Peering is declared. Fix: set status: requested in stacks/test/metros/london.yaml to submit the peering request",
      ],
    ],
    [
      "requested: a registration on it",
      homedAt(london("requested")),
      ON_LONDON.map(([key, name]) => BEFORE_ACTIVE(key, name, "requested")),
    ],
    [
      "provisioning: a registration on it",
      homedAt(london("provisioning")),
      ON_LONDON.map(([key, name]) => BEFORE_ACTIVE(key, name, "provisioning")),
    ],
    [
      "provisioning: a leg still without Microsoft's addresses",
      withLondon("provisioning", [awaiting(leg("a", "lon-edge-1", 4)), leg("b", "lon-edge-2", 5)]),
      [
        "mandatory local-redundancy sp-london-peering: metro london leg a (lon-edge-1 bond-msft): has no IPv4 and IPv6 session (session prefix and both session addresses); every leg carries IPv4 and IPv6. Fix: give the leg both session prefixes (sessionPrefixes in stacks/test/metros/london.yaml, or the SP's sessionAddressPools)",
      ],
    ],
    [
      "provisioning: the Peering not protected",
      optionsOf("sp-london-peering", { protect: false }, withLondon("provisioning")),
      [
        "mandatory lifecycle sp-london-peering: metro london is provisioning but its Peering is not protected: deleting the metro file would delete a peering Microsoft provisions (and Azure refuses deleting one while provisioning). Fix: declare the metro through the PeeringLocation component, which protects it",
      ],
    ],
    [
      "active: the Peering not protected",
      optionsOf("sp-amsterdam-peering", { protect: false }, stackOf(happyMetros())),
      [
        "mandatory lifecycle sp-amsterdam-peering: metro amsterdam is active but its Peering is not protected: deleting the metro file would delete a peering Microsoft provisions (and Azure refuses deleting one while provisioning). Fix: declare the metro through the PeeringLocation component, which protects it",
      ],
    ],
    [
      "maintenance: the Peering not protected",
      optionsOf("sp-amsterdam-peering", { protect: false }, stackOf(metros((m) => (m[0].status = "maintenance")))),
      [
        "mandatory lifecycle sp-amsterdam-peering: metro amsterdam is maintenance but its Peering is not protected: deleting the metro file would delete a peering Microsoft provisions (and Azure refuses deleting one while provisioning). Fix: declare the metro through the PeeringLocation component, which protects it",
      ],
    ],
    [
      "decommissioned: registrations still there",
      homedAt(london("decommissioned")),
      ON_LONDON.map(
        ([key, name]) =>
          `mandatory registrations ${name}: ${key} is registered at london, which is being decommissioned: when Microsoft deprovisions that peering, the registration and the key customers activate with go with it. ` +
          `Fix: move it to an active metro: set registerAt: amsterdam for ${key} in stacks/test/sp.yaml (pulumi up deletes it at london and registers it there; hand customers the new key)`,
      ),
    ],
    [
      "decommissioned: the Peering still protected",
      optionsOf("sp-london-peering", { protect: true }, withLondon("decommissioned")),
      [
        "mandatory lifecycle sp-london-peering: metro london is decommissioned but its Peering is still protected, so it can never leave the stack. Fix: declare the metro through the PeeringLocation component, which lifts the protection and retains the Peering on delete for Microsoft to deprovision",
      ],
    ],
    [
      "decommissioned: a leg, leaving its metro one leg in service",
      stackOf(metros((m) => (m[1].legs[1].status = "decommissioned"))),
      [
        "mandatory local-redundancy sp-frankfurt-peering: metro frankfurt has 1 leg(s) in service (leg a (fra-edge-1 bond-msft)); Microsoft requires at least 2. Fix: add a leg on a second router to legs: in stacks/test/metros/frankfurt.yaml, with its own cross-connect to Microsoft",
      ],
    ],
  ])("fails %s", (_title, resources, expected) => {
    expect(violations(resources)).toEqual(expected);
  });
});

describe("registrations: once each, with the file and the fix", () => {
  it.each<[string, DeclaredResource[], string[]]>([
    [
      "a prefix registered at two metros",
      [
        ...stackOf(happyMetros()),
        registration(happyMetros()[1], { prefix: "198.51.100.0/24", origin: 64500 }, "sp-frankfurt-198-51-100-0-24"),
      ],
      [
        "mandatory registrations sp-frankfurt-198-51-100-0-24: 198.51.100.0/24 is registered 2 times (metro amsterdam, metro frankfurt); Microsoft registers a prefix with only a single peering, and its key serves every location. Fix: list 198.51.100.0/24 once in stacks/test/sp.yaml prefixes; it is registered on one home (registerAt, or the home pinned in stacks/test/allocations.lock.yaml)",
      ],
    ],
    [
      "a prefix registered twice at one metro",
      [
        ...stackOf(happyMetros()),
        registration(happyMetros()[0], { prefix: "203.0.113.0/24", origin: 64501 }, "sp-again"),
      ],
      [
        "mandatory registrations sp-again: 203.0.113.0/24 is registered 2 times (metro amsterdam, metro amsterdam); Microsoft registers a prefix with only a single peering, and its key serves every location. Fix: list 203.0.113.0/24 once in stacks/test/sp.yaml prefixes; it is registered on one home (registerAt, or the home pinned in stacks/test/allocations.lock.yaml)",
      ],
    ],
    [
      "an origin ASN registered at every metro (as this program once did)",
      [...stackOf(happyMetros()), registration(happyMetros()[1], { asn: 64501 }, "sp-frankfurt-as64501")],
      [
        "mandatory registrations sp-frankfurt-as64501: AS64501 is registered 2 times (metro amsterdam, metro frankfurt); Microsoft registers an ASN with only a single peering, and its key serves every location. Fix: list AS64501 once in stacks/test/sp.yaml (the originAsn of its prefixes, originAsns); it is registered on one home (registerAt, or the home pinned in stacks/test/allocations.lock.yaml)",
      ],
    ],
    [
      "a registration a move could not replace (no deleteBeforeReplace)",
      optionsOf("sp-prefix-198-51-100-0-24", { deleteBeforeReplace: false }, stackOf(happyMetros())),
      [
        "mandatory registrations sp-prefix-198-51-100-0-24: 198.51.100.0/24 (metro amsterdam) does not declare deleteBeforeReplace: moving it would create the new registration before deleting the old one, and Azure refuses a second registration. Fix: declare registrations through the ServiceProvider component",
      ],
    ],
    [
      "a registration on a peering the stack does not declare",
      [...stackOf(happyMetros()), registration({ id: "paris" }, { prefix: "192.0.2.0/24", origin: 64500 })],
      [
        "mandatory registrations sp-prefix-192-0-2-0-24: 192.0.2.0/24 is registered on maps-as64500-paris, which this stack does not declare. Fix: register it on one of the stack's active metros (registerAt in stacks/test/sp.yaml)",
      ],
    ],
  ])("%s", (_title, resources, expected) => {
    expect(violations(resources)).toEqual(expected);
  });
});

describe("the PeerAsn, MD5 and ports: Microsoft's rules and its exceptions", () => {
  it.each<[string, DeclaredResource[], string[]]>([
    ["an MD5 key agreed with Microsoft: noted, advisory", stackOf(keyedMetros()), [KEYED_NOTE]],
    [
      "an MD5 key without a record of Microsoft's agreement",
      stackOf(metros((m) => (m[1].legs[1].md5 = secret("lab-key")))),
      [
        "mandatory peering-service-settings sp-frankfurt-peering: metro frankfurt leg b (fra-edge-2 bond-msft): has an MD5 key but no record of Microsoft's agreement (tag md5-agreement-b); Microsoft's peering policy says MD5 isn't supported. Fix: remove the key, or record where Microsoft agreed to it: md5: { keySecret, agreement } on the leg in stacks/test/metros/frankfurt.yaml",
      ],
    ],
    [
      "10G ports: noted, advisory",
      stackOf(metros((m) => m.forEach((x) => x.legs.forEach((l) => Object.assign(l, { portGbps: 10, mbps: 20000 }))))),
      ["amsterdam", "frankfurt"].flatMap((m) =>
        ["a", "b"].map(
          (l, j) =>
            `advisory microsoft-exceptions sp-${m}-peering: metro ${m} leg ${l} (${m.slice(0, 3)}-edge-${j + 1} bond-msft): 10 Gbit/s ports; Microsoft's peering policy asks for 100 Gbps for Direct peering (the partner walkthrough's FAQ names 10 Gbps the minimum). ` +
            `Fix: confirm with Microsoft (peeringservice@microsoft.com) that 10G is accepted here, or move the leg to 100G ports (members in stacks/test/metros/${m}.yaml)`,
        ),
      ),
    ],
    [
      "a peer name with digits (Microsoft documents a-z, A-Z and spaces)",
      [peerAsn(64500, "Example Networks 2"), ...stackOf(happyMetros()).slice(1)],
      [
        'mandatory peering-service-settings sp-as64500: the PeerAsn\'s peerName "Example Networks 2" has characters Microsoft does not accept: it documents only a-z, A-Z and spaces. Fix: set name in stacks/test/sp.yaml to the company name in letters and spaces',
      ],
    ],
    [
      "a PeerAsn not protected",
      [withOptions(peerAsn(), { protect: false }), ...stackOf(happyMetros()).slice(1)],
      [
        "mandatory lifecycle sp-as64500: the PeerAsn is not protected; Microsoft does not support deleting a PeerAsn. Fix: declare it through the ServiceProvider component (stacks/test/sp.yaml)",
      ],
    ],
    [
      "a PeerAsn whose edits would reach Azure",
      [withOptions(peerAsn(), { ignoreChanges: ["peerAsn"] }), ...stackOf(happyMetros()).slice(1)],
      [
        "mandatory lifecycle sp-as64500: the PeerAsn would send edits of peerName, peerContactDetail to Azure, which does not support modifying a PeerAsn. Fix: declare it through the ServiceProvider component (ignoreChanges); to change the name or contacts, ask Microsoft (peering@microsoft.com)",
      ],
    ],
    [
      "a status tag that names no lifecycle state",
      changed("sp-amsterdam-peering", "tags.status", "live"),
      [
        'mandatory lifecycle sp-amsterdam-peering: metro amsterdam: status tag "live" is no lifecycle state (planned, requested, provisioning, active, maintenance, decommissioned). Fix: set status in stacks/test/metros/amsterdam.yaml and declare the metro through the PeeringLocation component',
      ],
    ],
  ])("%s", (_title, resources, expected) => {
    expect(violations(resources)).toEqual(expected);
  });
});
