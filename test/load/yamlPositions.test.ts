/**
 * load/validate.ts finds repeated keys and the lines of fields in one pass (yaml's `uniqueKeys` and
 * `getIn` are quadratic in a mapping's size). yaml's own answers are the oracle here: the same first
 * problem, the same line for every path. (Their speed is the bench's business: `npm run bench`.)
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { parseAndValidate } from "../../load/validate";

/** What yaml itself reports first, as parseAndValidate words it. */
function yamlsOwnFirstError(text: string): { line: number; message: string } | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const e = doc.errors[0];
  if (e === undefined) return undefined;
  return {
    line: e.linePos?.[0]?.line ?? 1,
    message: `is not valid YAML: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
  };
}

describe("repeated keys, found in one pass", () => {
  it.each([
    ["a top-level key", "a: 1\nb: 2\na: 3\n"],
    ["a key of a nested mapping", "legs:\n  - name: a\n    router:\n      hostname: x\n      hostname: y\n"],
    ["the first of two repeats", "x:\n  p: 1\n  p: 2\ny: 1\ny: 2\n"],
    ["a flow mapping", "a: { b: 1, c: 2, b: 3 }\n"],
    ["a null key", "? \n: 1\n? \n: 2\n"],
    ["a repeat and a syntax error after it", "a: 1\na: 2\nb: [1, 2\n"],
    ["a syntax error and a repeat after it", "b: [1, 2\na: 1\na: 2\n"],
  ])("%s: the problem yaml's own check reports", (_, text) => {
    const own = yamlsOwnFirstError(text);
    expect(own).toBeDefined();
    const { problems } = parseAndValidate({ file: "f.yaml", text }, "lock");
    expect(problems.map((p) => ({ line: p.line, message: p.message }))).toEqual([own]);
  });

  it.each([
    ["1 and '1' (a number and a string)", "1: a\n'1': b\n"],
    ["equal keys in different mappings", "a:\n  k: 1\nb:\n  k: 1\n"],
    ["keys in a sequence of mappings", "- k: 1\n- k: 2\n"],
  ])("%s are not repeats", (_, text) => {
    expect(yamlsOwnFirstError(text)).toBeUndefined();
    const { problems } = parseAndValidate({ file: "f.yaml", text }, "lock");
    expect(problems.filter((p) => p.message.startsWith("is not valid YAML"))).toEqual([]);
  });
});

describe("the line of each field, by a key index", () => {
  const text = [
    "sp: { name: x, asn: 64500 }",
    "8075: number key",
    "'8076': string key",
    "prefixes:",
    "  - prefix: 192.0.2.0/24",
    "    originAsn: 64500",
    "  - prefix: 2001:db8::/32",
    "    registerAt:",
    "empty:",
    "nested:",
    "  deeper:",
    "    - [1, 2]",
    "    - { a: 1 }",
    "",
  ].join("\n");
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const located = parseAndValidate({ file: "f.yaml", text }, "lock").doc;

  /** Every path of the document, plus paths that miss (a wrong key, an index too far, a number for a string key). */
  const paths: Array<Array<string | number>> = [[]];
  const walk = (node: unknown, path: Array<string | number>) => {
    if (isMap(node))
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? (pair.key.value as string | number) : "?";
        paths.push([...path, key], [...path, `${String(key)}-missing`]);
        if (typeof key === "number") paths.push([...path, String(key)]);
        walk(pair.value, [...path, key]);
      }
    if (isSeq(node)) {
      node.items.forEach((item, i) => {
        paths.push([...path, i], [...path, String(i)]);
        walk(item, [...path, i]);
      });
      paths.push([...path, node.items.length], [...path, node.items.length, "x"]);
    }
  };
  walk(doc.contents, []);
  paths.push([8076], ["8076"], ["sp", "name", "deeper"]);

  const lineOf = (node: unknown) =>
    (node as Node | undefined)?.range ? lines.linePos((node as Node).range![0]).line : undefined;

  it.each(paths.map((p) => [JSON.stringify(p), p]))("%s: has and lineOf as getIn and hasIn", (_, path) => {
    expect(located.has(path)).toBe(doc.hasIn(path));
    let expected = 1;
    for (let depth = path.length; depth >= 0; depth--) {
      const line = lineOf(depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true));
      if (line !== undefined) {
        expected = line;
        break;
      }
    }
    expect(located.lineOf(path)).toBe(expected);
  });

  it("linesBelow names every field under a path with its line", () => {
    expect(located.linesBelow(["prefixes", 1])).toEqual({ prefix: 7, registerAt: 8 });
    expect(located.linesBelow(["nested"])).toEqual({
      deeper: 12,
      "deeper[0]": 12,
      "deeper[0][0]": 12,
      "deeper[0][1]": 12,
      "deeper[1]": 13,
      "deeper[1].a": 13,
    });
  });

  it("lineOfKey gives the line of the key, or of the mapping when the key is missing", () => {
    expect(located.lineOfKey(["prefixes", 0], "originAsn")).toBe(6);
    expect(located.lineOfKey(["prefixes", 0], "nope")).toBe(5);
    expect(located.lineOfKey([], "empty")).toBe(9);
  });
});
