/**
 * A customer's Peering Service, declared by the SP on its behalf (`customers/<id>.yaml`): the
 * loader's checks, what the program declares under Pulumi's mock runtime (PeeringService, Prefix
 * with the SP's prefix key as a secret, ConnectionMonitorTests), and the customer-peering-service
 * policy on it: two different metros pass, one metro as primary and backup fails.
 */
import { checkStackPolicies } from "../../cli/policies";
import { resolve, startMockRuntime, type RecordedResource, type ResourceRecorder } from "../../cli/mockRuntime";
import { REPO_ROOT } from "../../load/files";
import type { StackFiles } from "../../load/load";
import { isSecretEnvelope } from "../../policies/run";
import { telemetryRequestOf } from "../../telemetry/reader";
import { windowOf } from "../../telemetry/model";
import { TEST_SUBSCRIPTION } from "../support/armWorld";
import { parseInventory } from "../../load/load";
import { formatProblem } from "../../load/problem";
import { edit, labFiles, planOf } from "../support/stack";

const CONTOSO = `# yaml-language-server: $schema=../../../schema/customer.schema.json
name: Contoso Ltd
peeringService:
  name: ps-contoso
  customerLocation: Noord-Holland
  primaryMetro: amsterdam
  backupMetro: frankfurt
prefixes:
  - prefix: 203.0.113.0/25
connectionMonitorTests:
  - name: contoso-ams-office
    sourceAgent: contoso-ams-agent
    destination: 203.0.113.10
    destinationPort: 443
`;

const withCustomer = (text: string, files: StackFiles = labFiles()): StackFiles => ({
  ...files,
  customers: [{ file: "stacks/lab/customers/contoso.yaml", text }],
});

let recorder: ResourceRecorder;
let program: typeof import("../../stacks/program");

beforeAll(async () => {
  recorder = await startMockRuntime("lab");
  program = await import("../../stacks/program");
});

async function declare(files: StackFiles): Promise<RecordedResource[]> {
  const from = recorder.resources.length;
  const outputs = program.definePeeringStack("lab", { files });
  await resolve(program.declaredNames(outputs));
  return recorder.resources.slice(from);
}

const customerPolicy = (resources: RecordedResource[]) =>
  checkStackPolicies("lab", REPO_ROOT, resources)
    .violations.filter((v) => v.policy === "customer-peering-service")
    .map((v) => v.message);

describe("the inventory", () => {
  it("plans the customer: the metros' Azure peering locations, the registration whose key activates each prefix", () => {
    const plan = planOf(withCustomer(CONTOSO));
    expect(plan.customers).toEqual([
      {
        id: "contoso",
        name: "Contoso Ltd",
        file: "stacks/lab/customers/contoso.yaml",
        peeringServiceName: "ps-contoso",
        customerLocation: "Noord-Holland",
        primary: { metro: "amsterdam", peeringLocation: "Amsterdam" },
        backup: { metro: "frankfurt", peeringLocation: "Frankfurt" },
        declared: true,
        prefixes: [{ prefix: "203.0.113.0/25", registration: "203.0.113.0/24", declared: true }],
        connectionMonitorTests: [
          {
            name: "contoso-ams-office",
            sourceAgent: "contoso-ams-agent",
            destination: "203.0.113.10",
            destinationPort: 443,
            testFrequencyInSec: 30,
          },
        ],
      },
    ]);
  });

  it.each([
    [
      "a metro the stack does not have",
      CONTOSO.replace("backupMetro: frankfurt", "backupMetro: paris"),
      'stacks/lab/customers/contoso.yaml:7 peeringService.backupMetro: names metro "paris", which the stack does not have. Fix: name one of amsterdam, frankfurt, london (a file under metros/)',
    ],
    [
      "a prefix the SP does not register",
      CONTOSO.replace("203.0.113.0/25", "192.0.2.128/25"),
      "stacks/lab/customers/contoso.yaml:9 prefixes[0].prefix: 192.0.2.128/25 is none of the SP's registered prefixes, nor within one. Fix: list it under prefixes in stacks/lab/sp.yaml (Microsoft validates and registers it, and its prefix key activates the customer's), or correct it",
    ],
    [
      "a misspelt field",
      CONTOSO.replace("customerLocation", "customerLocaton"),
      /^stacks\/lab\/customers\/contoso\.yaml:5 peeringService\.customerLocaton: is not a known field/,
    ],
  ])("refuses %s, naming the file, the line and the fix", (_what, text, expected) => {
    const loaded = parseInventory(withCustomer(text));
    if (loaded.ok) throw new Error("expected the inventory to be refused");
    const problems = loaded.problems.map(formatProblem);
    if (typeof expected === "string") expect(problems).toEqual([expected]);
    else expect(problems.some((p) => expected.test(p))).toBe(true);
  });

  it.each([
    [
      "a file name that is not a customer id",
      ["stacks/lab/customers/Contoso Ltd.yaml"],
      'stacks/lab/customers/Contoso Ltd.yaml: the file name gives customer id "Contoso Ltd", which is not a valid customer id. Fix: rename the file to the customer\'s id in lower-case letters, digits and dashes, e.g. contoso.yaml',
    ],
    [
      "two files with the same customer id",
      ["stacks/lab/customers/contoso.yaml", "stacks/lab/customers/contoso.yml"],
      'stacks/lab/customers/contoso.yml: the file name gives customer id "contoso", which stacks/lab/customers/contoso.yaml gives already. Fix: keep one file per customer: merge the two into stacks/lab/customers/contoso.yaml and remove this one, or rename one of them',
    ],
  ])("refuses %s, naming the file and the fix", (_what, names, expected) => {
    const loaded = parseInventory({ ...labFiles(), customers: names.map((file) => ({ file, text: CONTOSO })) });
    if (loaded.ok) throw new Error("expected the inventory to be refused");
    expect(loaded.problems.map(formatProblem)).toEqual([expected]);
  });

  it("waits while a metro of the customer is not active yet", () => {
    const files = withCustomer(
      CONTOSO.replace("backupMetro: frankfurt", "backupMetro: london"),
      edit(labFiles(), "london.yaml", "status: active", "status: provisioning"),
    );
    const plan = planOf(files);
    expect(plan.customers[0].declared).toBe(false);
    expect(plan.waiting).toContainEqual(
      expect.objectContaining({
        subject: "customer contoso Peering Service ps-contoso",
        waitsFor: "metro london to be active (Microsoft reports its connections Active)",
      }),
    );
  });

  it("telemetry reads the customer's RoundTripTime from its PeeringService", () => {
    const plan = planOf(withCustomer(CONTOSO));
    const request = telemetryRequestOf(plan, TEST_SUBSCRIPTION, windowOf(new Date("2026-11-28T12:00:00Z"), 3_600_000));
    expect(request.peeringServices).toEqual([
      {
        name: "ps-contoso",
        resourceId: `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-maps-lab/providers/Microsoft.Peering/peeringServices/ps-contoso`,
      },
    ]);
  });
});

describe("the resources", () => {
  let resources: RecordedResource[];
  beforeAll(async () => {
    resources = await declare(withCustomer(CONTOSO));
  });
  const one = (type: string) => resources.filter((r) => r.type === `azure-native:peering:${type}`);

  it("declares the PeeringService with the SP as provider, primary and backup in two metros", () => {
    expect(one("PeeringService").map((r) => [r.name, r.inputs])).toEqual([
      [
        "customer-contoso-service",
        {
          peeringServiceName: "ps-contoso",
          resourceGroupName: "rg-maps-lab",
          peeringServiceLocation: "Noord-Holland",
          peeringServiceProvider: "Example Networks Lab",
          providerPrimaryPeeringLocation: "Amsterdam",
          providerBackupPeeringLocation: "Frankfurt",
          tags: { customer: "contoso", "primary-metro": "amsterdam", "backup-metro": "frankfurt" },
        },
      ],
    ]);
  });

  it("declares the Prefix with the prefix key of the SP's registration of 203.0.113.0/24, as a secret", () => {
    const [prefix] = one("Prefix");
    expect(prefix.name).toBe("customer-contoso-prefix-203-0-113-0-25");
    expect(prefix.inputs).toMatchObject({
      peeringServiceName: "ps-contoso",
      prefixName: "203-0-113-0-25",
      prefix: "203.0.113.0/25",
    });
    expect(isSecretEnvelope(prefix.inputs.peeringServicePrefixKey)).toBe(true);
  });

  it("declares the connection monitor test", () => {
    expect(one("ConnectionMonitorTest").map((r) => r.inputs)).toEqual([
      {
        peeringServiceName: "ps-contoso",
        resourceGroupName: "rg-maps-lab",
        connectionMonitorTestName: "contoso-ams-office",
        sourceAgent: "contoso-ams-agent",
        destination: "203.0.113.10",
        destinationPort: 443,
        testFrequencyInSec: 30,
      },
    ]);
  });

  it("passes the customer-peering-service policy: primary and backup in two metros, the key a secret", () => {
    expect(customerPolicy(resources)).toEqual([]);
    expect(checkStackPolicies("lab", REPO_ROOT, resources).mandatory).toBe(0);
  });

  it("fails it with one metro as primary and backup", async () => {
    const same = await declare(withCustomer(CONTOSO.replace("backupMetro: frankfurt", "backupMetro: amsterdam")));
    expect(customerPolicy(same)).toEqual([
      "Peering Service ps-contoso: primary and backup peering location are both Amsterdam, so a failure there takes the customer's traffic with it. Fix: set peeringService.backupMetro to another metro in its file under stacks/lab/customers/",
    ]);
  });

  it("fails it with a prefix key in plain text", () => {
    const plain = resources.map((r) =>
      r.type === "azure-native:peering:Prefix"
        ? { ...r, inputs: { ...r.inputs, peeringServicePrefixKey: "00000000-0000-0000-0000-000000000002" } }
        : r,
    );
    expect(customerPolicy(plain)).toEqual([
      "Prefix 203.0.113.0/25: the prefix key is not a Pulumi secret, so it would be shown in plain text in the state and the preview. Fix: pass it as a secret (pulumi.secret), as the CustomerPeeringService component does",
    ]);
  });
});
