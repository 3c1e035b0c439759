/**
 * Rendering a stack at once (`renderAll`, what `npm run plan` does) shares what its routers render
 * alike (render/shared.ts); it must give exactly the texts of rendering each router on its own, and
 * a partial may be shared only when its text depends on nothing but the fields it names.
 */
import Handlebars from "handlebars";
import { syntheticStackFiles } from "../../bench/synthetic";
import { planStack } from "../../plan/plan";
import { drainedRouter } from "../../deploy/drain";
import { createRenderer, loadTemplateSources, redactingResolver } from "../../render";
import { contextReads, SharedPartialError } from "../../render/shared";
import { drained, FIXTURE_ROUTERS } from "../fixtures/routerPlan";

const renderer = createRenderer(loadTemplateSources());
const secret = (name: string) => `key-${name}`;

describe("renderAll", () => {
  it("renders every router of a synthetic stack (five platforms, MD5 keys, every lifecycle state) as render does", () => {
    const planned = planStack(syntheticStackFiles({ metros: 60, prefixes: 300 }));
    if (!planned.ok) throw new Error(planned.problems[0].message);
    const routers = planned.value.routers;
    const all = [...renderer.renderAll(routers, secret)];
    expect(all.map((c) => c.hostname)).toEqual(routers.map((r) => r.hostname));
    routers.forEach((r, i) => expect(all[i].text).toBe(renderer.render(r, secret).text));
  });

  it("renders drained and undrained routers of every platform in one batch as render does", () => {
    const routers = FIXTURE_ROUTERS.flatMap(([, build]) => [build(), drained(build()), build()]);
    const all = [...renderer.renderAll(routers, secret)];
    routers.forEach((r, i) => expect(all[i].text).toBe(renderer.render(r, secret).text));
  });

  it("renders a shared partial called with indentation as render does", () => {
    // Handlebars indents every line of an indented partial call's text; a shared partial's text
    // stands in the raw text as one placeholder line, which must not be indented in its stead.
    const sources = loadTemplateSources();
    const frr = sources.vendors.frr;
    const entry = frr.entry.replace(/^\{\{> import-filters\}\}$/m, "  {{> import-filters}}");
    expect(entry).not.toBe(frr.entry);
    const indented = createRenderer({ ...sources, vendors: { ...sources.vendors, frr: { ...frr, entry } } });
    const routers = FIXTURE_ROUTERS.flatMap(([, build]) => [build(), build()]).filter((r) => r.vendor === "frr");
    expect(routers.length).toBeGreaterThan(0);
    const all = [...indented.renderAll(routers, secret)];
    routers.forEach((r, i) => {
      const alone = indented.render(r, secret).text;
      expect(alone).not.toBe(renderer.render(r, secret).text); // the indentation took effect
      expect(all[i].text).toBe(alone);
    });
  });
});

describe("batch", () => {
  it("renders each router, its drained variant and its review config on one handle as render does", () => {
    const planned = planStack(syntheticStackFiles({ metros: 12, prefixes: 50 }));
    if (!planned.ok) throw new Error(planned.problems[0].message);
    // In the order the Pulumi program asks: every config, every review config, then the drained pushes.
    const handle = renderer.batch();
    const routers = planned.value.routers;
    const configs = routers.map((r) => handle.render(r, secret).text);
    const reviews = routers.map((r) => handle.render(r, redactingResolver).text);
    const drainedConfigs = routers.map((r) => handle.render(drainedRouter(r), secret).text);
    routers.forEach((r, i) => {
      expect(configs[i]).toBe(renderer.render(r, secret).text);
      expect(reviews[i]).toBe(renderer.render(r, redactingResolver).text);
      expect(drainedConfigs[i]).toBe(renderer.render(drainedRouter(r), secret).text);
    });
    expect(reviews.some((text, i) => text !== configs[i])).toBe(true); // the MD5 keys differ
    expect(drainedConfigs.some((text, i) => text !== configs[i])).toBe(true);
  });
});

describe("contextReads", () => {
  const helpers = new Set(["seq", "secret"]);
  const data = new Set(["secret"]);
  const reads = (source: string) => contextReads("p", Handlebars.parse(source), helpers, data);

  it("names the top-level fields a partial reads", () => {
    expect(reads("{{#each entries}}{{name}} {{seq @index}} {{../afi}}{{/each}}{{#if drain}}x{{/if}}")).toEqual([
      "afi",
      "drain",
      "entries",
    ]);
  });

  it.each([
    ["render data", "{{@root.hostname}}", /reads @root/],
    ["a climb out of the partial", "{{../hostname}}", /reaches outside the partial/],
    ["a helper reading the render data", "{{secret key}}", /helper secret reads the render data/],
    ["a partial inside it", "{{> other}}", /not allowed/],
    ["its whole context", "{{this}}", /whole context/],
  ])("refuses %s", (_, source, message) => {
    expect(() => reads(source)).toThrow(SharedPartialError);
    expect(() => reads(source)).toThrow(message);
  });
});
