/**
 * Every vendor's config states the same facts as the model, read back from the text by a parser
 * of its dialect (test/support/configFacts.ts): neighbors and their AS, bundle addresses, the
 * prefixes each session announces, max-prefix limits, communities, GTSM, MD5 and the drain
 * (RFC 8326). For the lab stack's six routers and the fixture routers of every vendor, as they are,
 * drained, and with GTSM off.
 */
import { runOfflinePlan, type PlanRun } from "../../cli/plan";
import type { RouterPlan } from "../../plan/model";
import { createRenderer, loadTemplateSources, redactingResolver } from "../../render";
import { configFacts, modelFacts, parseJunosTree } from "../support/configFacts";
import { FIXTURE_ROUTERS, drained, fixtureResolver, withoutGtsm } from "../fixtures/routerPlan";

const renderer = createRenderer(loadTemplateSources());

let run: PlanRun;
beforeAll(() => {
  run = runOfflinePlan("lab");
});

describe("lab stack: each rendered config parses back to its model", () => {
  it("covers all five platforms", () => {
    expect([...new Set(run.plan.routers.map((r) => r.vendor))].sort()).toEqual([
      "bird",
      "eos",
      "frr",
      "iosxr",
      "junos",
    ]);
  });

  it.each(["ams-edge-1", "ams-edge-2", "fra-edge-1", "fra-edge-2", "lon-edge-1", "lon-edge-2"])("%s", (hostname) => {
    const router = run.plan.routers.find((r) => r.hostname === hostname);
    if (!router) throw new Error(`no router ${hostname} in the lab plan`);
    const text = renderer.render(router, redactingResolver).text;
    const facts = configFacts(router.vendor, text);
    expect(facts).toEqual(modelFacts(router));
    expect(facts.sessions).toHaveLength(2);
  });
});

const VARIANTS: Array<[string, (r: RouterPlan) => RouterPlan]> = [
  ["as planned", (r) => r],
  ["drained", drained],
  ["without GTSM", withoutGtsm],
  ["drained, without GTSM", (r) => withoutGtsm(drained(r))],
];

describe.each(FIXTURE_ROUTERS)("%s fixture router parses back to its model", (_vendor, build) => {
  it.each(VARIANTS)("%s", (_name, variant) => {
    const router = variant(build());
    expect(configFacts(router.vendor, renderer.render(router, fixtureResolver).text)).toEqual(modelFacts(router));
  });

  it("a drained router announces with 65535:0 and learns at local-pref 0; a normal one does neither", () => {
    const normal = configFacts(build().vendor, renderer.render(build(), fixtureResolver).text);
    const drain = configFacts(build().vendor, renderer.render(drained(build()), fixtureResolver).text);
    for (const s of normal.sessions) expect([s.exportCommunities, s.importLocalPref]).toEqual([["8075:8007"], null]);
    for (const s of drain.sessions)
      expect([s.exportCommunities, s.importLocalPref]).toEqual([["65535:0", "8075:8007"], 0]);
  });

  it("notices a dropped announcement: the parser is not a rubber stamp", () => {
    const router = build();
    const text = renderer.render(router, fixtureResolver).text;
    const broken = text
      .split("\n")
      .filter((l) => !l.includes("203.0.113.0/24") || /le|orlonger|\+/.test(l))
      .join("\n");
    expect(configFacts(router.vendor, broken)).not.toEqual(modelFacts(router));
  });
});

describe("Junos tree parser", () => {
  it.each([
    ["a missing ;", "system {\n    host-name x\n}\n", 'Junos statement "host-name x" is missing its ";"'],
    ["an extra }", "system {\n}\n}\n", "unbalanced }"],
    ["an unclosed block", "system {\n", "ends inside a block"],
  ])("rejects %s", (_name, text, message) => {
    expect(() => parseJunosTree(text)).toThrow(message);
  });
});
