/**
 * BIRD's own parser accepts every BIRD config we render. Not skipped when BIRD is missing: the test
 * fails with the install hint, because an unparsed config must never look like a passing one.
 */
import { createRenderer, loadTemplateSources, redactingResolver } from "../../render";
import type { RouterPlan } from "../../plan/model";
import { assertBirdInstalled, checkBirdConfig } from "../support/birdParser";
import { CONFIG_VARIANTS, birdRouterPlan, fixtureResolver } from "../fixtures/routerPlan";

const renderer = createRenderer(loadTemplateSources());
const birdText = (r: RouterPlan, redact = false): string =>
  renderer.render(r, redact ? redactingResolver : fixtureResolver).text;

describe("BIRD's parser (bird -p -c)", () => {
  it("is installed (otherwise: apt-get install -y bird2)", () => {
    assertBirdInstalled();
  });

  it.each(CONFIG_VARIANTS)("accepts the rendered BIRD config: %s", (_name, change) => {
    const r = birdRouterPlan();
    change(r);
    for (const text of [birdText(r), birdText(r, true)]) {
      const result = checkBirdConfig(text);
      if (!result.ok) throw new Error(`BIRD rejected the rendered config:\n${result.output}\n--- config ---\n${text}`);
      expect(result.ok).toBe(true);
    }
  });

  it.each([
    ["an unknown statement", (t: string) => t.replace("  direct;\n", "  frobnicate;\n"), /syntax error/],
    [
      "a filter that is not defined",
      (t: string) => t.replace("import filter MAPS_IN_V4;", "import filter MAPS_IN_V9;"),
      /:\d+:\d+ syntax error, unexpected CF_SYM_UNDEFINED/,
    ],
    [
      "a prefix pattern BIRD cannot have",
      (t: string) => t.replace("0.0.0.0/0{25,32}", "0.0.0.0/0{25,33}"),
      /:\d+:\d+ /,
    ],
  ])("rejects %s (negative control: exit 1 with file:line)", (_name, breakIt, message) => {
    const text = birdText(birdRouterPlan());
    const broken = breakIt(text);
    expect(broken).not.toBe(text);
    const result = checkBirdConfig(broken);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/bird -p -c \(exit 1\)/);
    expect(result.output).toMatch(message);
  });
});
