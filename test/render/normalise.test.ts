/**
 * normaliseConfigText works line by line for speed; the regular expressions below define what it
 * must give, for any text (spaces, tabs, blank runs at either end, other Unicode white space).
 */
import fc from "fast-check";
import { normaliseConfigText } from "../../render/render";

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
});
