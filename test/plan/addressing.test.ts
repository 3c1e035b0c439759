import fc from "fast-check";
import {
  allocate,
  contains,
  findOverlaps,
  mostSpecificCovering,
  overlaps,
  parsePrefix,
  prefixHolding,
  readAddress,
  readPrefix,
  sessionEnds,
  type Prefix,
} from "../../plan/addressing";

function p(text: string): Prefix {
  const r = parsePrefix(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe("parsePrefix", () => {
  it.each([
    ["192.0.2.0/31", "192.0.2.0/31"],
    ["2001:db8:ffff::/127", "2001:db8:ffff::/127"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["2001:db8::/32", "2001:db8::/32"],
  ])("accepts canonical %s", (text, canonical) => {
    expect(p(text).text).toBe(canonical);
  });

  it.each([
    ["192.0.2.1/31", "has host bits set", "write the network address: 192.0.2.0/31"],
    ["2001:db8::1/127", "has host bits set", "write the network address: 2001:db8::/127"],
    ["2001:DB8::/32", "is not written in canonical form", "write it as 2001:db8::/32"],
    ["2001:db8:0:0::/64", "is not written in canonical form", "write it as 2001:db8::/64"],
    ["192.0.2.0/33", "is not an IPv4 prefix", "write it as a.b.c.d/len with len 0-32"],
    ["192.0.2.256/31", "is not a valid IPv4 prefix", "correct the address part"],
    ["192.0.2.0", "is not an IPv4 prefix", "write it as a.b.c.d/len with len 0-32"],
    ["2001:zz::/64", "is not a valid IPv6 prefix", "correct the address part"],
  ])("rejects %s", (text, message, fix) => {
    const r = parsePrefix(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(message);
      expect(r.fix).toBe(fix);
    }
  });
});

describe("sessionEnds: Microsoft takes the lower address, the SP the higher", () => {
  it.each([
    ["192.0.2.0/31", "192.0.2.0", "192.0.2.1"],
    ["192.0.2.4/30", "192.0.2.5", "192.0.2.6"],
    ["2001:db8:ffff::fe/127", "2001:db8:ffff::fe", "2001:db8:ffff::ff"],
    ["2001:db8::/126", "2001:db8::1", "2001:db8::2"],
  ])("%s → Microsoft %s, SP %s", (prefix, microsoft, sp) => {
    expect(sessionEnds(p(prefix))).toEqual({ microsoft, sp });
  });
});

describe("reading what another system writes (Azure's answers)", () => {
  it.each([
    ["192.0.2.0/31", "192.0.2.0/31"],
    ["192.0.2.63/31", "192.0.2.62/31"],
    ["2001:DB8:FFFF::FE/127", "2001:db8:ffff::fe/127"],
    ["2001:db8:ffff:0:0:0:0:ff/127", "2001:db8:ffff::fe/127"],
    [" 198.51.100.0/24 ", "198.51.100.0/24"],
  ])("readPrefix(%j) is %s", (text, canonical) => {
    expect(readPrefix(text)?.text).toBe(canonical);
  });

  it.each(["192.0.2.0", "192.0.2.0/33", "2001:zz::/64", "", "Active"])("readPrefix(%j) is no prefix", (text) => {
    expect(readPrefix(text)).toBeUndefined();
  });

  it.each([
    ["192.0.2.62", "192.0.2.62"],
    ["2001:DB8:FFFF:0000::00FE", "2001:db8:ffff::fe"],
    ["192.0.2.300", undefined],
    ["192.0.2.0/31", undefined],
  ])("readAddress(%j) is %s", (text, canonical) => {
    expect(readAddress(text)).toBe(canonical);
  });

  it.each([
    ["192.0.2.63", 31, "192.0.2.62/31"],
    ["192.0.2.62", 31, "192.0.2.62/31"],
    ["2001:db8:ffff::ff", 127, "2001:db8:ffff::fe/127"],
  ])("prefixHolding(%s, %i) is %s", (address, length, prefix) => {
    expect(prefixHolding(address, length)?.text).toBe(prefix);
  });
});

describe("allocate", () => {
  it("hands out the lowest free aligned blocks, skipping taken ones", () => {
    const r = allocate({
      afi: "ipv4",
      pool: p("192.0.2.0/28"),
      length: 31,
      wanted: ["a", "b", "c"],
      taken: [p("192.0.2.0/31"), p("192.0.2.4/30")],
    });
    expect(r.ok && [...r.allocated].map(([k, v]) => `${k}=${v.text}`)).toEqual([
      "a=192.0.2.2/31",
      "b=192.0.2.8/31",
      "c=192.0.2.10/31",
    ]);
  });

  it("ignores taken prefixes outside the pool and reports exhaustion by key", () => {
    const r = allocate({
      afi: "ipv6",
      pool: p("2001:db8::/126"),
      length: 127,
      wanted: ["x", "y", "z"],
      taken: [p("2001:db9::/127")],
    });
    expect(r).toEqual({ ok: false, exhausted: ["z"] });
  });

  it("never allocates a block that overlaps a taken one (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 127 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 40 }),
        (takenIdx, n) => {
          const taken = takenIdx.map((i) => p(`192.0.2.${i * 2}/31`));
          const wanted = Array.from({ length: n }, (_, i) => `k${i}`);
          const r = allocate({ afi: "ipv4", pool: p("192.0.2.0/24"), length: 31, wanted, taken });
          const free = 128 - takenIdx.length;
          if (n > free) return !r.ok;
          if (!r.ok) return false;
          const blocks = [...r.allocated.values()];
          return (
            blocks.every((b) => !taken.some((t) => overlaps(b, t))) && new Set(blocks.map((b) => b.text)).size === n
          );
        },
      ),
    );
  });
});

describe("findOverlaps", () => {
  it("finds nested and equal prefixes, not neighbours", () => {
    const items = [
      "192.0.2.0/24",
      "192.0.2.0/31",
      "192.0.2.2/31",
      "192.0.2.2/31",
      "198.51.100.0/31",
      "2001:db8::/127",
    ].map((t, i) => ({ id: i, prefix: p(t) }));
    const pairs = findOverlaps(items)
      .map(([a, b]) => `${a.id}-${b.id}`)
      .sort();
    expect(pairs).toEqual(["0-1", "0-2", "0-3", "2-3"]);
  });

  it("agrees with the pairwise definition (property)", () => {
    const prefix = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 24, max: 32 })).map(([host, len]) => {
      const r = parsePrefix(`10.0.0.${host & ~((1 << (32 - len)) - 1) & 255}/${len}`);
      if (!r.ok) throw new Error(r.message);
      return r.value;
    });
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 30 }), (prefixes) => {
        const items = prefixes.map((pr, id) => ({ id, prefix: pr }));
        const fast = findOverlaps(items)
          .map(([a, b]) => [Math.min(a.id, b.id), Math.max(a.id, b.id)].join("-"))
          .sort();
        const slow: string[] = [];
        for (let i = 0; i < items.length; i++)
          for (let j = i + 1; j < items.length; j++)
            if (overlaps(items[i].prefix, items[j].prefix)) slow.push(`${i}-${j}`);
        return JSON.stringify(fast) === JSON.stringify(slow.sort());
      }),
    );
  });
});

describe("mostSpecificCovering", () => {
  const candidates = ["203.0.113.0/24", "203.0.113.0/25", "2001:db8::/32", "not a prefix", "203.0.113.0/25", "AS64501"];
  const covering = mostSpecificCovering(
    candidates.map((text, id) => ({ id, text })),
    (c) => c.text,
  );

  it.each([
    ["203.0.113.0/26", 1],
    ["203.0.113.0/25", 1],
    ["203.0.113.128/25", 0],
    ["203.0.113.0/24", 0],
    ["2001:db8:1::/48", 2],
    ["203.0.112.0/23", undefined],
    ["198.51.100.0/24", undefined],
    ["2001:db9::/48", undefined],
  ])("finds the most specific covering %s (the first of equal ones): %s", (text, id) => {
    expect(covering(p(text))?.id).toBe(id);
  });

  it("finds nothing for no prefix", () => {
    expect(covering(undefined)).toBeUndefined();
  });

  it("agrees with filtering every candidate and taking the longest (property)", () => {
    const prefix = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 20, max: 32 })).map(([host, len]) => {
      const r = readPrefix(`10.0.0.${host}/${len}`);
      if (!r) throw new Error("no prefix");
      return r;
    });
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 30 }), prefix, (pool, wanted) => {
        const items = pool.map((pr, id) => ({ id, text: pr.text, pr }));
        const slow = items.filter((c) => contains(c.pr, wanted)).sort((a, b) => b.pr.length - a.pr.length)[0];
        return mostSpecificCovering(items, (c) => c.text)(wanted)?.id === slow?.id;
      }),
    );
  });
});
