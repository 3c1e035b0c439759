/**
 * The MRT reader on records written byte by byte (test/mrt/fixtures.ts): every field decoded, every
 * chunking of the stream giving the same routes, and mrt/write.ts reproducing each fixture exactly.
 */
import { formatIPv6, parsePrefix, covers } from "../../mrt/address";
import { mergeAs4Path } from "../../mrt/decode";
import { formatAsPath, originsOf, sequenceRuns } from "../../mrt/path";
import { peerIndexTable, ribRecord, updateRecord } from "../../mrt/write";
import { PEER_INDEX_TABLE, RIB_IPV4, RIB_IPV6, UPDATE_AS2_ET, UPDATE_AS4 } from "./fixtures";
import { bgpdumpFields, parseBytes } from "./support";

const RIB_DUMP = Buffer.concat([PEER_INDEX_TABLE, RIB_IPV4, RIB_IPV6]);
const UPDATES = Buffer.concat([UPDATE_AS4, UPDATE_AS2_ET]);

describe("TABLE_DUMP_V2 RIB dump", () => {
  it("reads the PEER_INDEX_TABLE: collector, view, IPv4 four-octet and IPv6 two-octet peers", () => {
    expect(parseBytes(RIB_DUMP).peerIndexes).toEqual([
      {
        collectorId: "192.0.2.255",
        viewName: "rrc0",
        peers: [
          { address: "192.0.2.10", asn: 64510, bgpId: "192.0.2.10" },
          { address: "2001:db8::11", asn: 64511, bgpId: "192.0.2.11" },
        ],
      },
    ]);
  });

  it("reads RIB_IPV4_UNICAST with an AS_SET and RIB_IPV6_UNICAST with the abbreviated MP_REACH_NLRI", () => {
    const { routes, stats } = parseBytes(RIB_DUMP);
    expect(routes.map(bgpdumpFields)).toEqual([
      "B|192.0.2.10|64510|198.51.100.0/24|64510 64500 {64501,64502}|IGP|192.0.2.1",
      "B|2001:db8::11|64511|2001:db8:1000::/48|64511|INCOMPLETE|2001:db8::11",
    ]);
    expect(routes[1].attributes?.mpNextHops).toEqual(["2001:db8::11", "fe80::11"]);
    expect(routes.map((r) => [r.offset, r.timestamp])).toEqual([
      [PEER_INDEX_TABLE.length, 1700000000],
      [PEER_INDEX_TABLE.length + RIB_IPV4.length, 1700000000],
    ]);
    expect(stats).toEqual({ bytes: RIB_DUMP.length, records: 3, routes: 2, skipped: 0, malformed: 0 });
  });

  it.each([1, 2, 3, 7, 12, 13, 64])("gives the same routes fed in chunks of %d bytes", (chunk) => {
    expect(parseBytes(RIB_DUMP, chunk).routes).toEqual(parseBytes(RIB_DUMP).routes);
    expect(parseBytes(UPDATES, chunk).routes).toEqual(parseBytes(UPDATES).routes);
  });
});

describe("BGP4MP update dump", () => {
  it("reads BGP4MP_MESSAGE_AS4: the withdrawal, then the announcement", () => {
    expect(parseBytes(UPDATE_AS4).routes.map(bgpdumpFields)).toEqual([
      "W|192.0.2.10|64510|203.0.113.0/24",
      "A|192.0.2.10|64510|198.51.100.0/25|64510 64666|IGP|192.0.2.10",
    ]);
  });

  it("reads BGP4MP_ET BGP4MP_MESSAGE: MP_UNREACH, MP_REACH, AS_PATH merged with AS4_PATH (RFC 6793)", () => {
    const { routes } = parseBytes(UPDATE_AS2_ET);
    expect(routes.map(bgpdumpFields)).toEqual([
      "W|2001:db8::11|64511|2001:db8:0:99::/64",
      "A|2001:db8::11|64511|2001:db8:1000::/48|64511 65536 64500|IGP|2001:db8::11",
    ]);
    expect(routes[1].timestamp).toBe(1700000120);
  });
});

describe("mrt/write reproduces every fixture byte for byte", () => {
  const collector = { asn: 12654, address: "192.0.2.255" };
  it.each([
    [
      "PEER_INDEX_TABLE",
      PEER_INDEX_TABLE,
      peerIndexTable(1700000000, "192.0.2.255", "rrc0", [
        { bgpId: "192.0.2.10", address: "192.0.2.10", asn: 64510 },
        { bgpId: "192.0.2.11", address: "2001:db8::11", asn: 64511, asnSize: 2 },
      ]),
    ],
    [
      "RIB_IPV4_UNICAST",
      RIB_IPV4,
      ribRecord(1700000000, 1, "198.51.100.0/24", [
        {
          peerIndex: 0,
          originated: 1699999744,
          attributes: {
            origin: "IGP",
            asPath: [
              { type: "sequence", asns: [64510, 64500] },
              { type: "set", asns: [64501, 64502] },
            ],
            nextHop: "192.0.2.1",
          },
        },
      ]),
    ],
    [
      "RIB_IPV6_UNICAST",
      RIB_IPV6,
      ribRecord(1700000000, 2, "2001:db8:1000::/48", [
        {
          peerIndex: 1,
          originated: 1699999744,
          attributes: {
            origin: "INCOMPLETE",
            asPath: [{ type: "sequence", asns: [64511] }],
            mpNextHops: ["2001:db8::11", "fe80::11"],
          },
        },
      ]),
    ],
    [
      "BGP4MP_MESSAGE_AS4",
      UPDATE_AS4,
      updateRecord({
        timestamp: 1700000060,
        asnSize: 4,
        peer: { asn: 64510, address: "192.0.2.10" },
        local: collector,
        withdrawn: ["203.0.113.0/24"],
        announced: ["198.51.100.0/25"],
        attributes: { origin: "IGP", asPath: [{ type: "sequence", asns: [64510, 64666] }], nextHop: "192.0.2.10" },
      }),
    ],
    [
      "BGP4MP_ET BGP4MP_MESSAGE",
      UPDATE_AS2_ET,
      updateRecord({
        timestamp: 1700000120,
        microseconds: 500000,
        asnSize: 2,
        peer: { asn: 64511, address: "2001:db8::11" },
        local: { asn: 12654, address: "2001:db8::ff" },
        attributes: {
          origin: "IGP",
          asPath: [{ type: "sequence", asns: [64511, 23456, 64500] }],
          as4Path: [{ type: "sequence", asns: [65536, 64500] }],
        },
        mpReach: { nextHops: ["2001:db8::11"], prefixes: ["2001:db8:1000::/48"] },
        mpUnreach: ["2001:db8:0:99::/64"],
      }),
    ],
  ])("%s", (_name, fixture, written) => {
    expect(written.toString("hex")).toBe(fixture.toString("hex"));
  });
});

describe("AS paths", () => {
  const seq = (...asns: number[]) => ({ type: "sequence" as const, asns });
  const set = (...asns: number[]) => ({ type: "set" as const, asns });

  it.each([
    ["AS4_PATH covers the tail", [seq(64511, 23456, 64500)], [seq(65536, 64500)], "64511 65536 64500"],
    ["AS4_PATH covers all", [seq(23456, 64500)], [seq(65536, 64500)], "65536 64500"],
    ["AS4_PATH longer than AS_PATH: ignored", [seq(64511)], [seq(65536, 64500)], "64511"],
    [
      "a set counts one",
      [seq(64511, 23456), set(64501, 64502)],
      [seq(65536), set(64501, 64502)],
      "64511 65536 {64501,64502}",
    ],
  ])("RFC 6793 merge: %s", (_case, asPath, as4Path, merged) => {
    expect(formatAsPath(mergeAs4Path(asPath, as4Path))).toBe(merged);
  });

  it("formats confederation segments as the routers do", () => {
    expect(
      formatAsPath([
        { type: "confed-sequence", asns: [65001, 65002] },
        { type: "confed-set", asns: [65003, 65004] },
        seq(64500),
      ]),
    ).toBe("(65001 65002) [65003,65004] 64500");
  });

  it.each([
    [[seq(64510, 64500)], [64500]],
    [
      [seq(64510), set(64501, 64502, 64501)],
      [64501, 64502],
    ],
    [[seq(64510), { type: "confed-sequence" as const, asns: [65001] }], [64510]],
    [[], []],
  ])("origins of %j are %j", (path, origins) => {
    expect(originsOf(path)).toEqual(origins);
  });

  it("collapses prepends and cuts sequences at a set", () => {
    expect(sequenceRuns([seq(64510, 64510, 64500), set(64501), seq(64502, 64502)])).toEqual([[64510, 64500], [64502]]);
  });
});

describe("addresses as inet_ntop writes them", () => {
  it.each([
    ["2001:db8::", "2001:db8::"],
    ["::", "::"],
    ["::1", "::1"],
    ["2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"],
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
    ["2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::"],
    ["2001:0:0:1:0:0:1:1", "2001::1:0:0:1:1"],
    ["2001:db8:1:2:3:4:5:0", "2001:db8:1:2:3:4:5:0"],
    ["::ffff:c000:201", "::ffff:192.0.2.1"],
    ["::c000:201", "::192.0.2.1"],
  ])("%s is %s", (text, written) => {
    const p = parsePrefix(`${text}/128`);
    expect(p && formatIPv6(p.network)).toBe(written);
  });

  it.each([
    ["198.51.100.0/24", "198.51.100.0/25", true],
    ["198.51.100.0/24", "198.51.100.0/24", true],
    ["198.51.100.0/24", "198.51.101.0/24", false],
    ["198.51.100.0/25", "198.51.100.0/24", false],
    ["198.51.100.0/23", "198.51.101.128/25", true],
    ["2001:db8:1000::/48", "2001:db8:1000:ff00::/56", true],
    ["2001:db8:1000::/48", "2001:db8:1001::/48", false],
    ["198.51.100.0/24", "2001:db8:1000::/48", false],
  ])("%s covers %s: %s", (outer, inner, expected) => {
    const o = parsePrefix(outer);
    const i = parsePrefix(inner);
    expect(o && i && covers(o, i)).toBe(expected);
  });

  it.each(["198.51.100.1/24", "198.51.100.0/33", "2001:db8::1:/64", "1:2:3:4:5:6:7:8:9/64", "a.b.c.d/8"])(
    "%s is not a prefix",
    (text) => {
      expect(parsePrefix(text)).toBeUndefined();
    },
  );
});
