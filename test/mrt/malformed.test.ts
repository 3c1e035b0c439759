/**
 * Malformed input: every error names its byte offset, a malformed record is skipped without losing
 * the records after it, a truncated stream is fatal, and no input (fuzzed with fast-check) crashes
 * the reader with anything but an MrtError or makes it loop.
 */
import fc from "fast-check";
import { MrtError } from "../../mrt/model";
import { MAX_RECORD_LENGTH, MrtStreamParser } from "../../mrt/stream";
import { mrtRecord } from "../../mrt/write";
import { PEER_INDEX_TABLE, RIB_IPV4, RIB_IPV6, UPDATE_AS2_ET, UPDATE_AS4 } from "./fixtures";
import { parseBytes } from "./support";

const RIB_DUMP = Buffer.concat([PEER_INDEX_TABLE, RIB_IPV4, RIB_IPV6]);
const ALL = Buffer.concat([RIB_DUMP, UPDATE_AS4, UPDATE_AS2_ET]);
const BOUNDARIES = [0, PEER_INDEX_TABLE.length, PEER_INDEX_TABLE.length + RIB_IPV4.length, RIB_DUMP.length];

/** A copy of `buf` with `bytes` written at `at`. */
function patched(buf: Buffer, at: number, bytes: number[]): Buffer {
  const out = Buffer.from(buf);
  bytes.forEach((b, i) => (out[at + i] = b));
  return out;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("a truncated stream", () => {
  it("cut at any byte inside a record is fatal and names the record's offset", () => {
    for (let cut = 1; cut < RIB_DUMP.length; cut++) {
      const e = thrown(() => parseBytes(RIB_DUMP.subarray(0, cut)));
      if (BOUNDARIES.includes(cut)) {
        expect(e).toBeUndefined();
        continue;
      }
      const recordStart = Math.max(...BOUNDARIES.filter((b) => b < cut));
      expect(e).toBeInstanceOf(MrtError);
      expect((e as MrtError).offset).toBe(recordStart);
      expect((e as MrtError).message).toMatch(new RegExp(`^byte ${recordStart}: .*truncated$`));
    }
  });

  it("says how much of the header or body is there", () => {
    expect(() => parseBytes(RIB_DUMP.subarray(0, 5))).toThrow(
      "byte 0: the stream ends 5 bytes into a record's 12-byte header: truncated",
    );
    expect(() => parseBytes(RIB_DUMP.subarray(0, 20))).toThrow(
      "byte 0: the record at byte 0 says it is 48 bytes long, but the stream ends after 8: truncated",
    );
  });
});

describe("a malformed record is reported with its offset and skipped", () => {
  const ribAt = PEER_INDEX_TABLE.length;
  // RIB_IPV4: header 12, sequence 4 (at 12), prefix 4 (at 16), entry count 2 (at 20), then entry 0: peer
  // index 2 (at 22), time 4,
  // attribute length 2 (at record byte 28), attributes from byte 30 (ORIGIN 30, AS_PATH 34, NEXT_HOP 57).
  it.each([
    [
      "an attribute length past the entry",
      ribAt + 28,
      [0x00, 0x40],
      `byte ${ribAt + 30}: the entry's attributes needs 64 bytes but the record at byte ${ribAt} has only 34 left`,
    ],
    [
      "an AS_PATH segment longer than its attribute",
      ribAt + 38,
      [0x09],
      `byte ${ribAt + 39}: an AS_PATH segment of 9 ASNs of 4 bytes needs 36 bytes but attribute 2 has only 18 left`,
    ],
    [
      "an unknown AS_PATH segment type",
      ribAt + 37,
      [0x07],
      `byte ${ribAt + 37}: AS_PATH segment type 7 is not AS_SET (1), AS_SEQUENCE (2) or a confederation's (3, 4)`,
    ],
    ["ORIGIN 3", ribAt + 33, [0x03], `byte ${ribAt + 33}: ORIGIN 3 is not IGP (0), EGP (1) or INCOMPLETE (2)`],
    [
      "a peer index the PEER_INDEX_TABLE does not have",
      ribAt + 22,
      [0x00, 0x05],
      `byte ${ribAt + 22}: entry 0 names peer index 5; the PEER_INDEX_TABLE has 2`,
    ],
    [
      "a prefix length of 33",
      ribAt + 16,
      [33],
      `byte ${ribAt + 16}: the prefix has length 33, more than the 32 of IPv4`,
    ],
    [
      "more entries than the record holds",
      ribAt + 20,
      [0x00, 0x02],
      `byte ${ribAt + 64}: an entry's peer index needs 2 bytes but the record at byte ${ribAt} has only 0 left`,
    ],
  ])("%s", (_case, at, bytes, message) => {
    const { routes, malformed } = parseBytes(patched(RIB_DUMP, at, bytes));
    expect(malformed.map((e) => e.message)).toEqual([message]);
    // The record after it is read all the same.
    expect(routes.map((r) => r.prefix.text)).toEqual(["2001:db8:1000::/48"]);
  });

  // UPDATE_AS4: header 12, BGP4MP fields 20, marker from 32, length at 48, type 50, withdrawn length 51.
  it.each([
    ["a marker that is not all ones", 40, [0x00], "byte 40: the BGP message marker is not 16 bytes of 0xff"],
    [
      "a BGP length past the record",
      48,
      [0x00, 0x60],
      "byte 48: the BGP message says it is 96 bytes; the record holds 56 from its marker on",
    ],
    [
      "a withdrawn length past the UPDATE",
      51,
      [0x00, 0x40],
      "byte 53: the withdrawn routes needs 64 bytes but the UPDATE message has only 35 left",
    ],
    ["an address family of 3", 22, [0x00, 0x03], "byte 22: address family 3 is neither IPv4 (1) nor IPv6 (2)"],
  ])("BGP4MP: %s", (_case, at, bytes, message) => {
    const { routes, malformed } = parseBytes(Buffer.concat([patched(UPDATE_AS4, at, bytes), UPDATE_AS2_ET]));
    expect(malformed.map((e) => e.message)).toEqual([message]);
    expect(routes.map((r) => r.prefix.text)).toEqual(["2001:db8:0:99::/64", "2001:db8:1000::/48"]);
  });

  it("a RIB record before any PEER_INDEX_TABLE", () => {
    const { malformed } = parseBytes(RIB_IPV4);
    expect(malformed.map((e) => e.message)).toEqual([
      "byte 0: a RIB record before any PEER_INDEX_TABLE: its peer indexes mean nothing",
    ]);
  });

  it("without a malformed() handler, the first malformed record throws", () => {
    const parser = new MrtStreamParser({ route: () => undefined });
    expect(() => parser.push(RIB_IPV4)).toThrow("byte 0: a RIB record before any PEER_INDEX_TABLE");
  });
});

describe("records of other types are skipped and named, not guessed at", () => {
  it.each([
    [99, 0, "MRT type 99 is not a BGP dump (TABLE_DUMP_V2 is 13, BGP4MP 16, BGP4MP_ET 17)"],
    [12, 1, "TABLE_DUMP (version 1, before 2008) is not read: convert with a TABLE_DUMP_V2 dump"],
    [13, 3, "TABLE_DUMP_V2 subtype 3 (multicast or RIB_GENERIC) is not unicast: not read"],
    [16, 42, "BGP4MP subtype 42 is not one this reader knows"],
  ])("type %d subtype %d", (type, subtype, reason) => {
    const unknown = mrtRecord(1700000000, type, subtype, [1, 2, 3]);
    const { routes, skipped } = parseBytes(Buffer.concat([PEER_INDEX_TABLE, unknown, RIB_IPV4]));
    expect(skipped).toEqual([{ offset: PEER_INDEX_TABLE.length, type, subtype, reason }]);
    expect(routes).toHaveLength(1);
  });

  it("a record length no MRT record has is fatal, before anything is buffered", () => {
    const header = Buffer.from([0, 0, 0, 0, 0, 13, 0, 2, 0xff, 0xff, 0xff, 0xff]);
    expect(() => parseBytes(Buffer.concat([PEER_INDEX_TABLE, header]))).toThrow(
      `byte ${PEER_INDEX_TABLE.length + 8}: the record at byte ${PEER_INDEX_TABLE.length} says it is 4294967295 bytes long, more than the ${MAX_RECORD_LENGTH} any MRT record needs: the file is corrupt or not MRT`,
    );
  });
});

describe("fuzzed input", () => {
  /** Parses, returning the offsets of every error; fails on anything but an MrtError. */
  function survive(buf: Buffer, chunk: number): number[] {
    const offsets: number[] = [];
    const parser = new MrtStreamParser({ route: () => undefined, malformed: (e) => offsets.push(e.offset) });
    try {
      for (let i = 0; i < buf.length; i += chunk) parser.push(buf.subarray(i, i + chunk));
      parser.end();
    } catch (e) {
      if (!(e instanceof MrtError)) throw e;
      offsets.push(e.offset);
    }
    return offsets;
  }

  it("random byte changes to valid records: only MrtErrors, each inside the stream", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(ALL.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 300 }),
        (changes, chunk) => {
          const buf = Buffer.from(ALL);
          for (const [at, value] of changes) buf[at] = value;
          for (const offset of survive(buf, chunk)) {
            expect(offset).toBeGreaterThanOrEqual(0);
            expect(offset).toBeLessThanOrEqual(buf.length);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("random bodies under plausible headers of every type the reader knows", () => {
    const header = fc.record({
      type: fc.constantFrom(13, 16, 17),
      subtype: fc.integer({ min: 0, max: 12 }),
      body: fc.uint8Array({ maxLength: 200 }),
    });
    fc.assert(
      fc.property(fc.array(header, { maxLength: 10 }), (records) => {
        const buf = Buffer.concat([
          PEER_INDEX_TABLE,
          ...records.map((r) => mrtRecord(1700000000, r.type, r.subtype, [...r.body])),
        ]);
        survive(buf, 64);
      }),
      { numRuns: 3000 },
    );
  });

  it("random bytes: only MrtErrors", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        survive(Buffer.from(bytes), 97);
      }),
      { numRuns: 2000 },
    );
  });
});
