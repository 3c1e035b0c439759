/**
 * normaliseConfigText works line by line for speed; the regular expressions below define what it
 * must give, for any text (spaces, tabs, blank runs at either end, other Unicode white space).
 * normaliseIfSafe gives the same, or nothing when the result holds a control character.
 */
import fc from "fast-check";
import { normaliseConfigText, normaliseIfSafe } from "../../render/render";

function byDefinition(text: string): string {
  const body = text
    .replace(/[^\S\n]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+/, "")
    .replace(/\n+$/, "");
  return `${body}\n`;
}

const piece = fc.constantFrom(
  "a",
  "route-map X",
  " ",
  "\t",
  "\n",
  "\n\n",
  "\u00a0",
  "\u3000",
  "\r",
  "\u2028",
  "\f",
  "!",
  "\u0000",
  "\u0007",
  "\u0085",
  "\u3000\n",
  " \n\n \n",
);

describe("normaliseConfigText", () => {
  it.each([
    ["", "\n"],
    ["\n\n", "\n"],
    ["a", "a\n"],
    ["\n\na  \n\n\n\nb\t\n\n", "a\n\nb\n"],
    ["a\n \n\t\nb", "a\n\nb\n"],
  ])("%j → %j", (text, expected) => {
    expect(normaliseConfigText(text)).toBe(expected);
    expect(byDefinition(text)).toBe(expected);
  });

  it("equals its definition on any text", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join("");
        expect(normaliseConfigText(text)).toBe(byDefinition(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("normaliseIfSafe equals it when the result holds no control character but newlines, and is undefined otherwise", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join("");
        const expected = byDefinition(text);
        // eslint-disable-next-line no-control-regex -- the renderer's definition of an unsafe output
        const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(expected);
        expect(normaliseIfSafe(text)).toBe(unsafe ? undefined : expected);
      }),
      { numRuns: 4000 },
    );
  });
});
