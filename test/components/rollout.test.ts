/**
 * The rollout under Pulumi's mock runtime: which remote.Command resources the program declares for
 * the routers the stack pushes to, in which order (leg B after a fresh health check of leg A, waves
 * of metros), on which triggers, and that keys and configs stay secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  readStackConfig,
  resolve,
  startMockRuntime,
  type RecordedResource,
  type ResourceRecorder,
} from "../../cli/mockRuntime";
import { isSecretEnvelope } from "../../policies/run";
import { InventoryError } from "../../load/problem";
import type { StackFiles } from "../../load/load";
import type { StackOutputs } from "../../stacks/program";
import { edit, labFiles } from "../support/stack";

const PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nlab-test-key-not-real\n-----END OPENSSH PRIVATE KEY-----";

let recorder: ResourceRecorder;
let program: typeof import("../../stacks/program");

/** The lab stack with amsterdam's leg b on FRR too, so one metro has two legs the product pushes to. */
function amsterdamOnFrr(files: StackFiles = labFiles()): StackFiles {
  let f = edit(files, "amsterdam.yaml", "vendor: iosxr", "vendor: frr");
  f = edit(f, "amsterdam.yaml", "interface: Bundle-Ether100", "interface: bond-msft");
  f = edit(f, "amsterdam.yaml", "HundredGigE0/0/0/0", "ens2f0");
  f = edit(f, "amsterdam.yaml", "HundredGigE0/1/0/0", "ens2f1");
  return edit(f, "amsterdam.yaml", /      routerWide:\n        bfdMultipath: true\n/, "");
}

const DEPLOY = {
  gate: { timeoutSeconds: 60, holdSeconds: 5 },
  confirmSeconds: 300,
  waves: [["amsterdam"], ["frankfurt", "london"]],
  routers: {
    "ams-edge-1": { host: "192.168.100.1", user: "maps-deploy" },
    "ams-edge-2": { host: "192.168.100.2", user: "maps-deploy", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIlab" },
    "fra-edge-2": { host: "192.168.100.4", user: "maps-deploy" },
    "lon-edge-1": { host: "192.168.100.5", user: "maps-deploy" },
  },
};

function setConfig(deploy: unknown, key = true): void {
  const { config, secretKeys } = readStackConfig("lab");
  pulumi.runtime.setAllConfig(
    {
      ...config,
      ...(deploy === undefined ? {} : { "peering-as-code:deploy": JSON.stringify(deploy) }),
      ...(key ? { "peering-as-code:deploySshPrivateKey": PRIVATE_KEY } : {}),
    },
    [...secretKeys, "peering-as-code:deploySshPrivateKey"],
  );
}

beforeAll(async () => {
  recorder = await startMockRuntime("lab");
  program = await import("../../stacks/program");
});

async function declare(files: StackFiles): Promise<{ outputs: StackOutputs; commands: RecordedResource[] }> {
  const from = recorder.resources.length;
  const outputs = program.definePeeringStack("lab", { files, config: new pulumi.Config() });
  await resolve(program.declaredNames(outputs));
  await resolve(Object.values(outputs.rollout?.routers ?? {}).map((r) => r.push.stdout));
  await resolve(Object.values(outputs.rollout?.checks ?? {}).map((c) => c.stdout));
  return { outputs, commands: recorder.resources.slice(from).filter((r) => r.type === "command:remote:Command") };
}

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
const byName = (commands: RecordedResource[]) => new Map(commands.map((c) => [c.name, c]));
const deps = (c: RecordedResource | undefined) => (c?.options.dependsOn ?? []).map(nameOf).sort();
const unwrap = (v: unknown): unknown => (isSecretEnvelope(v) ? unwrap(v.value) : v);

describe("the rollout of the lab stack with a deploy section", () => {
  let commands: Map<string, RecordedResource>;
  beforeAll(async () => {
    setConfig(DEPLOY);
    commands = byName((await declare(amsterdamOnFrr())).commands);
  });

  it("declares per router a read of what its last push kept and a push, and one check per later leg", () => {
    expect([...commands.keys()].sort()).toEqual([
      "rollout-ams-edge-1-check-before-ams-edge-2",
      "rollout-ams-edge-1-push",
      "rollout-ams-edge-1-read-previous",
      "rollout-ams-edge-2-push",
      "rollout-ams-edge-2-read-previous",
      "rollout-fra-edge-2-push",
      "rollout-fra-edge-2-read-previous",
      "rollout-lon-edge-1-push",
      "rollout-lon-edge-1-read-previous",
    ]);
  });

  it("pushes leg b only after a fresh health check of leg a, which runs after leg a's push", () => {
    expect(deps(commands.get("rollout-ams-edge-1-read-previous"))).toEqual([]);
    expect(deps(commands.get("rollout-ams-edge-1-push"))).toEqual(["rollout-ams-edge-1-read-previous"]);
    expect(deps(commands.get("rollout-ams-edge-1-check-before-ams-edge-2"))).toEqual(["rollout-ams-edge-1-push"]);
    expect(deps(commands.get("rollout-ams-edge-2-read-previous"))).toEqual([
      "rollout-ams-edge-1-check-before-ams-edge-2",
    ]);
    expect(deps(commands.get("rollout-ams-edge-2-push"))).toEqual(["rollout-ams-edge-2-read-previous"]);
  });

  it("starts the second wave (frankfurt, london in parallel) after the last leg of the first", () => {
    expect(deps(commands.get("rollout-fra-edge-2-read-previous"))).toEqual(["rollout-ams-edge-2-push"]);
    expect(deps(commands.get("rollout-lon-edge-1-read-previous"))).toEqual(["rollout-ams-edge-2-push"]);
    expect(deps(commands.get("rollout-lon-edge-1-push"))).toEqual(["rollout-lon-edge-1-read-previous"]);
  });

  it("runs the health gate with the platform's own commands and the expected counts", () => {
    const frr = String(commands.get("rollout-ams-edge-1-push")?.inputs.create);
    expect(frr).toContain("vtysh -c 'show bgp neighbors 192.0.2.0 json'");
    expect(frr).toContain("192.0.2.0 (amsterdam/a/ipv4): ${tx:-no} prefixes sent, expected 2;");
    expect(frr).toContain("sleep 300; vtysh -f");
    const bird = String(commands.get("rollout-lon-edge-1-push")?.inputs.create);
    expect(bird).toContain("birdc configure timeout 300");
    expect(bird).toContain("birdc configure confirm");
    expect(bird).toContain("birdc show protocols all maps_london_a_ipv4");
    expect(bird).toContain("f=/etc/bird/lon-edge-1.bird.conf");
  });

  it("keeps the SSH private key and the configs secret, and out of every command line", () => {
    for (const c of commands.values()) {
      const connection = unwrap(c.inputs.connection) as Record<string, unknown>;
      expect(isSecretEnvelope(c.inputs.connection) || isSecretEnvelope(connection.privateKey)).toBe(true);
      expect(unwrap(connection.privateKey)).toBe(PRIVATE_KEY);
      expect(String(c.inputs.create)).not.toContain("lab-test-key-not-real");
      expect(String(c.inputs.create)).not.toContain("lab-md5-key-not-secret");
    }
    const push = commands.get("rollout-fra-edge-2-push");
    expect(isSecretEnvelope(push?.inputs.stdin)).toBe(true);
    expect(String(unwrap(push?.inputs.stdin))).toContain("password lab-md5-key-not-secret");
    expect(commands.get("rollout-fra-edge-2-read-previous")?.options.additionalSecretOutputs).toContain("stdout");
    expect(commands.get("rollout-fra-edge-2-read-previous")?.inputs.logging).toBe("none");
  });

  it("sends each push the drained variant and the session facts, which the router keeps for the next push", () => {
    const stdin = String(unwrap(commands.get("rollout-fra-edge-2-push")?.inputs.stdin));
    const section = (name: string) => {
      const from = stdin.indexOf(`! peering-as-code: ${name}\n`);
      const next = stdin.indexOf("\n! peering-as-code: ", from + 1);
      return stdin.slice(from, next < 0 ? undefined : next);
    };
    // Offline, read-previous printed nothing: a first push, in one stage.
    expect(section("note")).toContain("first push: no session carries traffic yet, nothing to drain");
    expect(stdin).toContain("! peering-as-code: stage.1.change\n");
    expect(section("drained")).toContain("route-map MAPS-IN-DRAIN-V4");
    expect(section("sessions")).toMatch(
      /^! peering-as-code: sessions\nfrankfurt\/b\/ipv4 \| .*\| md5 sha256:[0-9a-f]{16} \|/,
    );
    expect(section("sessions")).not.toContain("lab-md5-key-not-secret");
  });

  it("connects with the configured host, port, user and host key", () => {
    const connection = unwrap(commands.get("rollout-ams-edge-2-push")?.inputs.connection) as Record<string, unknown>;
    expect({ ...connection, privateKey: "(secret)" }).toEqual({
      host: "192.168.100.2",
      port: 22,
      user: "maps-deploy",
      privateKey: "(secret)",
      hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIlab",
      dialErrorLimit: 10,
      perDialTimeout: 15,
    });
  });
});

describe("triggers: a push runs again only when its rendered config changes", () => {
  const triggers = (c: RecordedResource | undefined) => JSON.stringify(unwrap(c?.inputs.triggers));
  let before: Map<string, RecordedResource>;
  let after: Map<string, RecordedResource>;
  beforeAll(async () => {
    setConfig(DEPLOY);
    before = byName((await declare(amsterdamOnFrr())).commands);
    const changedB = edit(
      amsterdamOnFrr(),
      "amsterdam.yaml",
      "      - { interface: ens2f1, speedGbps: 100 }\n",
      "      - { interface: ens2f1, speedGbps: 100 }\n    description: MAPS Amsterdam leg b via a new cross-connect\n",
    );
    after = byName((await declare(changedB)).commands);
  });

  it("triggers each push on the sha256 of its rendering", () => {
    expect(triggers(before.get("rollout-ams-edge-1-push"))).toMatch(/^\["sha256:[0-9a-f]{64}"\]$/);
  });

  it("changes leg b's triggers and the check of leg a before it, not leg a's push", () => {
    expect(triggers(after.get("rollout-ams-edge-1-push"))).toBe(triggers(before.get("rollout-ams-edge-1-push")));
    expect(triggers(after.get("rollout-ams-edge-1-read-previous"))).toBe(
      triggers(before.get("rollout-ams-edge-1-read-previous")),
    );
    expect(triggers(after.get("rollout-ams-edge-2-push"))).not.toBe(triggers(before.get("rollout-ams-edge-2-push")));
    const check = "rollout-ams-edge-1-check-before-ams-edge-2";
    expect(triggers(after.get(check))).not.toBe(triggers(before.get(check)));
    // The check carries leg a's hash and leg b's: it runs again when either changes.
    const first = (c: RecordedResource | undefined) => (JSON.parse(triggers(c)) as string[])[0];
    expect(first(after.get(check))).toBe(first(before.get(check)));
  });
});

describe("what the stack config may say", () => {
  const problemsOf = (deploy: unknown, key = true): string => {
    setConfig(deploy, key);
    try {
      program.definePeeringStack("lab", { files: labFiles(), config: new pulumi.Config() });
      return "";
    } catch (e) {
      if (e instanceof InventoryError) return e.message;
      throw e;
    }
  };

  it("pushes to IOS-XR, Junos and EOS from the runner (local.Command), the key only in the secret environment", async () => {
    setConfig({
      routers: {
        "ams-edge-2": { host: "192.168.100.2", user: "maps-deploy" },
        "fra-edge-1": { host: "192.168.100.3", user: "maps-deploy" },
        "lon-edge-2": { host: "192.168.100.6", user: "maps-deploy" },
      },
    });
    const from = recorder.resources.length;
    const outputs = program.definePeeringStack("lab", { files: labFiles(), config: new pulumi.Config() });
    await resolve(program.declaredNames(outputs));
    await resolve(Object.values(outputs.rollout?.routers ?? {}).map((r) => r.push.stdout));
    const local = recorder.resources.slice(from).filter((r) => r.type === "command:local:Command");
    expect(local.map((c) => c.name).sort()).toEqual([
      "rollout-ams-edge-2-push",
      "rollout-ams-edge-2-read-previous",
      "rollout-fra-edge-1-push",
      "rollout-fra-edge-1-read-previous",
      "rollout-lon-edge-2-push",
      "rollout-lon-edge-2-read-previous",
    ]);
    for (const c of local) {
      expect(JSON.stringify(c.inputs.create)).not.toContain("lab-test-key-not-real");
      const env = c.inputs.environment;
      const key = (unwrap(env) as Record<string, unknown>).PAC_SSH_KEY;
      // Secret as a whole (the engine marks the map) or the key itself.
      expect(isSecretEnvelope(env) || isSecretEnvelope(key)).toBe(true);
      expect(unwrap(key)).toBe(PRIVATE_KEY);
    }
    const junos = String(local.find((c) => c.name === "rollout-fra-edge-1-push")?.inputs.create);
    expect(junos).toContain("commit confirmed 10");
    expect(junos).toContain("cli/gate.ts --platform junos --router fra-edge-1");
  });

  it("declares no push without a deploy section", async () => {
    setConfig(undefined);
    const { outputs, commands } = await declare(labFiles());
    expect(outputs.rollout).toBeUndefined();
    expect(commands).toEqual([]);
  });

  it.each([
    [
      { routers: { "ams-edge-1": { host: "10.0.0.1; reboot", user: "maps" } } },
      'peering-as-code:deploy.routers.ams-edge-1.host: "10.0.0.1; reboot" is not the router\'s management address or DNS name',
    ],
    [
      { routers: { "ams-edge-9": { host: "10.0.0.1", user: "maps" } } },
      "peering-as-code:deploy.routers.ams-edge-9: is not a router whose config this stack renders",
    ],
    [
      { routers: {}, gate: { timeoutSeconds: 600 }, confirmSeconds: 300 },
      "peering-as-code:deploy.confirmSeconds: 300 s is not longer than the health gate",
    ],
    [
      { routers: {}, waves: [["atlantis"]] },
      'peering-as-code:deploy.waves[0]: names "atlantis", which is no metro of this stack',
    ],
  ])("refuses %j, naming the field and the fix", (deploy, message) => {
    expect(problemsOf(deploy)).toContain(message);
  });

  it("refuses a deploy section whose SSH key is not set, naming the command that sets it", () => {
    expect(problemsOf({ routers: { "ams-edge-1": { host: "10.0.0.1", user: "maps" } } }, false)).toContain(
      'names the SSH private key "deploySshPrivateKey", which the stack config does not set. Fix: run `pulumi config set --secret deploySshPrivateKey < <private key file>`',
    );
  });
});
