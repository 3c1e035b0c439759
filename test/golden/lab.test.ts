/**
 * Golden files of the lab stack: the reviewed text of every router config, as the offline plan
 * writes it (secrets redacted). A change to a template or the inventory shows up here as a diff to
 * review; `npm run golden:update` rewrites the files on purpose, never a test run on its own.
 * Every FRR config is also handed to FRR's own parsers: the text must be what FRR accepts.
 */
import * as fs from "fs";
import * as path from "path";
import { runOfflinePlan, type PlanRun } from "../../cli/plan";
import { assertFrrInstalled, checkFrrConfig } from "../support/frrParser";

const GOLDEN_DIR = path.join(__dirname, "lab");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

let run: PlanRun;

beforeAll(async () => {
  run = await runOfflinePlan("lab");
  if (UPDATE) {
    fs.rmSync(GOLDEN_DIR, { recursive: true, force: true });
    for (const [file, text] of Object.entries(run.reviewConfigs)) {
      fs.mkdirSync(path.dirname(path.join(GOLDEN_DIR, file)), { recursive: true });
      fs.writeFileSync(path.join(GOLDEN_DIR, file), text);
    }
  }
});

function goldenFiles(dir = GOLDEN_DIR, prefix = ""): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? goldenFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe("lab stack golden configs", () => {
  it("renders a config for each of the six routers, and a golden file exists for each", () => {
    expect(Object.keys(run.reviewConfigs).sort()).toEqual([
      "amsterdam/ams-edge-1.conf",
      "amsterdam/ams-edge-2.cfg",
      "frankfurt/fra-edge-1.cfg",
      "frankfurt/fra-edge-2.conf",
      "london/lon-edge-1.conf",
      "london/lon-edge-2.conf",
    ]);
    expect(goldenFiles()).toEqual(Object.keys(run.reviewConfigs).sort());
  });

  it.each(goldenFiles())("%s matches its reviewed golden file", (file) => {
    const golden = fs.readFileSync(path.join(GOLDEN_DIR, file), "utf8");
    expect(run.reviewConfigs[file]).toBe(golden);
  });

  it("keeps every secret out of the reviewed configs", () => {
    for (const text of Object.values(run.reviewConfigs)) expect(text).not.toContain("lab-md5-key-not-secret");
    expect(run.reviewConfigs["frankfurt/fra-edge-2.conf"]).toContain("password REDACTED");
  });
});

describe("FRR's own parsers accept every lab FRR config", () => {
  beforeAll(() => assertFrrInstalled());
  const frrFiles = ["amsterdam/ams-edge-1.conf", "frankfurt/fra-edge-2.conf", "london/lon-edge-1.conf", "london/lon-edge-2.conf"];
  it.each(frrFiles)("%s", async (file) => {
    const result = await checkFrrConfig(run.reviewConfigs[file]);
    if (!result.ok) throw new Error(`FRR rejected ${file}:\n${result.output}`);
  });
});
