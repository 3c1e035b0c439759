/**
 * Golden files of the lab stack: the reviewed text of every router config, as the offline plan
 * writes it (secrets redacted). A change to a template or the inventory shows up here as a diff to
 * review; `npm run golden:update` rewrites the files on purpose, never a test run on its own.
 * Every FRR config is also handed to FRR's own parsers and every BIRD config to BIRD's: the text
 * must be what the daemon accepts. IOS-XR, Junos and EOS files are reviewed against the vendors'
 * documented syntax and parsed back by test/render/parseBack.test.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { runOfflinePlan, type PlanRun } from "../../cli/plan";
import { configFileName, type Vendor } from "../../vendors";
import { assertBirdInstalled, checkBirdConfig } from "../support/birdParser";
import { assertFrrInstalled, checkFrrConfig } from "../support/frrParser";

const GOLDEN_DIR = path.join(__dirname, "lab");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

let run: PlanRun;

beforeAll(() => {
  run = runOfflinePlan("lab");
  if (UPDATE) {
    fs.rmSync(GOLDEN_DIR, { recursive: true, force: true });
    for (const [file, text] of Object.entries(run.reviewConfigs)) {
      fs.mkdirSync(path.dirname(path.join(GOLDEN_DIR, file)), { recursive: true });
      fs.writeFileSync(path.join(GOLDEN_DIR, file), text);
    }
  }
});

/** The lab files of one platform, from the plan (not hard-coded), e.g. `amsterdam/ams-edge-1.conf`. */
function labFilesOf(vendor: Vendor): string[] {
  return run.plan.routers.filter((r) => r.vendor === vendor).map((r) => `${r.metro.id}/${configFileName(r.hostname, r.vendor)}`);
}

function goldenFiles(dir = GOLDEN_DIR, prefix = ""): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? goldenFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe("lab stack golden configs", () => {
  it("renders a config for each of the six routers, on all five platforms, and a golden file exists for each", () => {
    expect(Object.keys(run.reviewConfigs).sort()).toEqual([
      "amsterdam/ams-edge-1.conf", // frr
      "amsterdam/ams-edge-2.cfg", // iosxr
      "frankfurt/fra-edge-1.junos.conf", // junos
      "frankfurt/fra-edge-2.conf", // frr
      "london/lon-edge-1.bird.conf", // bird
      "london/lon-edge-2.eos.cfg", // eos
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
  it("covers at least two FRR routers", () => expect(labFilesOf("frr")).toEqual(["amsterdam/ams-edge-1.conf", "frankfurt/fra-edge-2.conf"]));
  it("accepts each of them", async () => {
    for (const file of labFilesOf("frr")) {
      const result = await checkFrrConfig(run.reviewConfigs[file]);
      if (!result.ok) throw new Error(`FRR rejected ${file}:\n${result.output}`);
    }
  });
});

describe("BIRD's own parser accepts every lab BIRD config", () => {
  beforeAll(() => assertBirdInstalled());
  it("covers the BIRD router", () => expect(labFilesOf("bird")).toEqual(["london/lon-edge-1.bird.conf"]));
  it("accepts each of them", () => {
    for (const file of labFilesOf("bird")) {
      const result = checkBirdConfig(run.reviewConfigs[file]);
      if (!result.ok) throw new Error(`BIRD rejected ${file}:\n${result.output}`);
    }
  });
});
