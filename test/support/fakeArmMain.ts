/**
 * `npm run fake-arm -- [<scenario>] [--port <n>]`: serves a scenario (test/support/armScenarios.ts)
 * on the fake ARM endpoint, with a test CA made for the run, and prints the `npm run status`
 * command that reads it. Ctrl-C stops it and deletes the CA. Nothing here talks to Azure.
 */
import * as path from "path";
import { REPO_ROOT } from "../../load/files";
import { loadScenarioStack, SCENARIOS } from "./armScenarios";
import { TEST_SUBSCRIPTION } from "./armWorld";
import { FAKE_ARM_TOKEN, FakeArm } from "./fakeArm";
import { makeTestCa } from "./testCa";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const portAt = args.indexOf("--port");
  const port = portAt >= 0 ? Number(args.splice(portAt, 2)[1]) : 0;
  const name = args[0] ?? "lab";
  const scenario = SCENARIOS[name];
  if (!scenario || !Number.isInteger(port)) {
    console.error(
      `fake-arm: usage: npm run fake-arm -- [<scenario>] [--port <n>]; scenarios:\n${Object.entries(SCENARIOS)
        .map(([n, s]) => `  ${n}: ${s.description}`)
        .join("\n")}`,
    );
    process.exit(2);
  }
  const { plan } = loadScenarioStack(scenario.root, scenario.stack);
  const ca = makeTestCa();
  const fake = await FakeArm.start({ ca, world: scenario.build(plan), port });
  const root = path.relative(REPO_ROOT, scenario.root);
  console.log(`Fake ARM endpoint at ${fake.url}: scenario ${name}, ${scenario.description}`);
  console.log("Read it with:");
  console.log(
    `  PAC_ARM_TOKEN=${FAKE_ARM_TOKEN} npm run status -- ${root ? `--root ${root} ` : ""}--stack ${scenario.stack} --subscription ${TEST_SUBSCRIPTION} --endpoint ${fake.url} --ca ${ca.caFile}`,
  );
  console.log("Ctrl-C stops it.");
  const stop = () => {
    void fake.close().then(() => {
      ca.remove();
      process.exit(0);
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
