/**
 * The public view on the lab stack's intent (AS64500: 198.51.100.0/24 and 2001:db8:1000::/48 of its
 * own, 203.0.113.0/24 of its customer AS64501, declared path `64500 64501`). Every case is an MRT
 * dump written by mrt/write.ts (which test/mrt/decode.test.ts checks byte for byte against the
 * documented fixtures), read back by the reader, and judged: each event kind with a triggering case
 * and its clean negative.
 */
import { intentOf, type Intent } from "../../analytics/intent";
import { PublicView, type PublicViewOptions } from "../../analytics/publicView";
import { parseBytes } from "../mrt/support";
import { CLEAN, MSFT, ribDump, update, type Row } from "../support/mrtWorld";
import { labFiles, planOf } from "../support/stack";

const intent: Intent = intentOf(planOf(labFiles()));
function judge(dumps: Buffer[], options?: PublicViewOptions): string[] {
  const view = new PublicView(intent, options);
  dumps.forEach((d, i) => {
    for (const r of parseBytes(d).routes) view.observe(r, `dump${i}.mrt`);
  });
  return view.events(dumps.map((_d, i) => `dump${i}.mrt`)).map((e) => `${e.kind} ${e.severity}: ${e.observed}`);
}

const at = "at 2023-11-14T22:13:20Z";

describe("the public view", () => {
  it("routing as intended: no event", () => {
    expect(judge([ribDump(CLEAN)])).toEqual([]);
  });

  it.each<[string, Row[], string[]]>([
    [
      "origin hijack: a foreign origin for a registered prefix",
      [[0, "198.51.100.0/24", "64510 64666"]],
      [
        `origin-hijack critical: collector peer 192.0.2.10 AS64510 has 198.51.100.0/24 with origin AS64666 (path 64510 64666), ${at}`,
      ],
    ],
    [
      "origin hijack: an AS_SET holding a foreign ASN",
      [[1, "2001:db8:1000::/48", "64511 {64500,64666}"]],
      [
        `origin-hijack critical: collector peer 2001:db8::11 AS64511 has 2001:db8:1000::/48 with origin an AS_SET {64500,64666} (path 64511 {64500,64666}), ${at}`,
      ],
    ],
    [
      "sub-prefix hijack: a more-specific with a foreign origin",
      [[0, "198.51.100.128/25", "64510 64666"]],
      [
        `sub-prefix-hijack critical: collector peer 192.0.2.10 AS64510 has 198.51.100.128/25 with origin AS64666 (path 64510 64666), ${at}`,
      ],
    ],
    ["no sub-prefix hijack: our own more-specific, through our ASN", [[0, "198.51.100.128/25", "64510 64500"]], []],
    [
      "route leak: our ASN hands Microsoft's route to a third network",
      [[0, MSFT, "64510 64666 64500 8075"]],
      [
        `route-leak critical: collector peer 192.0.2.10 AS64510: AS64500 re-announces AS8075's routes to AS64666 (e.g. ${MSFT}, path 64510 64666 64500 8075), ${at}`,
      ],
    ],
    ["no route leak: Microsoft's route to our declared customer AS64501", [[0, MSFT, "64510 64501 64500 8075"]], []],
    ["no route leak: Microsoft's route in our own feed to the collector", [[2, MSFT, "64500 8075 8075"]], []],
    ["no route leak: Microsoft handing on our route is not ours", [[0, "192.0.2.0/25", "64510 8075 64500"]], []],
    [
      "route leak: a registered prefix through an upstream the declared path does not have",
      [[0, "203.0.113.0/24", "64510 64666 64501"]],
      [
        `route-leak critical: collector peer 192.0.2.10 AS64510: AS64666 hands on AS64501's 203.0.113.0/24, which the inventory declares it gets only through AS64500 (path 64510 64666 64501), ${at}`,
      ],
    ],
    ["no route leak: the collector peers with the customer itself", [[1, "203.0.113.0/24", "64501"]], []],
  ])("%s", (_case, extra, events) => {
    expect(judge([ribDump([...CLEAN, ...extra])])).toEqual(events);
  });

  it("a finding is one event per collector peer, counted across dumps", () => {
    const hijack: Row[] = [
      [0, "198.51.100.0/24", "64510 64666"],
      [1, "198.51.100.0/24", "64511 64666"],
    ];
    expect(
      judge([ribDump([...CLEAN, ...hijack]), update(0, { announce: ["198.51.100.0/24", "64510 64666"] })]),
    ).toEqual([
      "origin-hijack critical: collector peer 192.0.2.10 AS64510 has 198.51.100.0/24 with origin AS64666 (path 64510 64666), from 2023-11-14T22:13:20Z to 2023-11-14T22:14:20Z; 2 routes",
      `origin-hijack critical: collector peer 2001:db8::11 AS64511 has 198.51.100.0/24 with origin AS64666 (path 64511 64666), ${at}`,
    ]);
  });

  it("upstreams given: our ASN handing our prefix to another network is a leak, to a listed one is not", () => {
    const rows: Row[] = [
      ...CLEAN.filter((r) => r[1] !== "198.51.100.0/24"),
      [0, "198.51.100.0/24", "64510 64499 64500"],
    ];
    expect(judge([ribDump(rows)], { upstreams: [64499, 64510, 64511] })).toEqual([]);
    expect(judge([ribDump(rows)], { upstreams: [64510, 64511] })).toEqual([
      `route-leak critical: collector peer 192.0.2.10 AS64510: AS64499 receives 198.51.100.0/24 from AS64500, and is not one of its declared upstreams (path 64510 64499 64500), ${at}`,
    ]);
  });

  describe("missing announcement", () => {
    const without = (prefix: string) => CLEAN.filter((r) => r[1] !== prefix);

    it("a registered prefix no collector peer has", () => {
      expect(
        judge([ribDump(without("2001:db8:1000::/48").concat([[1, "2001:db8:ffff::/48", "64511 64496"]]))]),
      ).toEqual(["missing-announcement critical: 2001:db8:1000::/48 is in the table of no collector peer"]);
    });

    it("not for a family the dumps do not carry", () => {
      expect(judge([ribDump(without("2001:db8:1000::/48"))])).toEqual([]);
    });

    it("not from update dumps alone: they do not hold the table", () => {
      expect(judge([update(0, { announce: [MSFT, "64510 8075"] })])).toEqual([]);
    });

    it("withdrawn by every peer after the RIB dump", () => {
      const rib = ribDump(without("198.51.100.0/24").concat([[0, "198.51.100.0/24", "64510 64500"]]));
      expect(judge([rib, update(0, { withdraw: "198.51.100.0/24" })])).toEqual([
        "missing-announcement critical: 198.51.100.0/24 is in the table of no collector peer",
      ]);
      expect(judge([rib, update(0, { withdraw: "198.51.100.0/25" })])).toEqual([]);
    });
  });
});
