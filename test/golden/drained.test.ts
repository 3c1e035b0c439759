/**
 * Golden files of a drained leg (RFC 8326) on every platform, from the fixture routers (no lab leg is
 * drained): the reviewed text of the drain policies in each dialect. `npm run golden:update` rewrites
 * them on purpose. The FRR and BIRD ones also go through the daemons' own parsers.
 */
import * as fs from "fs";
import * as path from "path";
import { createRenderer, loadTemplateSources, redactingResolver } from "../../render";
import { configFileName } from "../../vendors";
import { FIXTURE_ROUTERS, drained } from "../fixtures/routerPlan";
import { checkBirdConfig } from "../support/birdParser";
import { checkFrrConfig } from "../support/frrParser";

const GOLDEN_DIR = path.join(__dirname, "drained");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const renderer = createRenderer(loadTemplateSources());

const rendered = FIXTURE_ROUTERS.map(([vendor, build]) => {
  const router = drained(build());
  return { vendor, file: configFileName(router.hostname, vendor), text: renderer.render(router, redactingResolver).text };
});

beforeAll(() => {
  if (!UPDATE) return;
  fs.rmSync(GOLDEN_DIR, { recursive: true, force: true });
  fs.mkdirSync(GOLDEN_DIR, { recursive: true });
  for (const { file, text } of rendered) fs.writeFileSync(path.join(GOLDEN_DIR, file), text);
});

describe("drained fixture routers' golden configs", () => {
  it("has one golden file per platform", () => {
    expect(fs.readdirSync(GOLDEN_DIR).sort()).toEqual(rendered.map((r) => r.file).sort());
  });

  it.each(rendered.map((r) => [r.vendor, r.file, r.text] as const))("%s: %s matches its reviewed golden file", (_vendor, file, text) => {
    expect(text).toBe(fs.readFileSync(path.join(GOLDEN_DIR, file), "utf8"));
  });

  it("is accepted by FRR's parsers (frr) and BIRD's parser (bird)", async () => {
    for (const { vendor, file, text } of rendered) {
      const result = vendor === "frr" ? await checkFrrConfig(text) : vendor === "bird" ? checkBirdConfig(text) : { ok: true, output: "" };
      if (!result.ok) throw new Error(`${vendor} rejected ${file}:\n${result.output}`);
    }
  });
});
