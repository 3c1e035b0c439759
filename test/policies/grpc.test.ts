/**
 * The policy pack over the engine's own protocol. No Pulumi CLI here, so the test does what the CLI
 * does: it starts the pack with `@pulumi/pulumi/cmd/run-policy-pack <engine-address> <pack dir>`
 * from the pack's folder (which registers ts-node for a TypeScript pack and prints the port it
 * serves on), then acts as the engine with the stubs shipped in `@pulumi/pulumi/proto`: Configure
 * with the stack's policy config, GetAnalyzerInfo, Analyze per resource and AnalyzeStack, with the
 * resources the program declares under the mock runtime and resource options as the engine sends them.
 */
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import type { LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { runOfflinePlan } from "../../cli/plan";
import type { RecordedResource } from "../../cli/mockRuntime";
import { readPackConfig } from "../../policies/run";
import { RULES } from "../../policies/rules";
import { REPO_ROOT } from "../../load/files";
import { EXPECTED_RULES } from "./support";

const PACK = path.join(REPO_ROOT, "policies");
/** What the advisory microsoft-exceptions rule notes for the lab's one (agreed) MD5 key. */
const LAB_MD5_NOTE =
  "advisory microsoft-exceptions sp-frankfurt-peering: metro frankfurt leg b (fra-edge-2 bond-msft): MD5 key, an exception to Microsoft's peering policy (MD5 isn't supported), agreed: LAB ONLY - no Microsoft agreement - keeps MD5 proven in the FRR lab. Fix: nothing while the agreement holds; Microsoft's edge must carry the same key. Remove md5 from the leg in stacks/lab/metros/frankfurt.yaml when it ends";
const FIXTURES = path.join(REPO_ROOT, "test/fixtures/stacks");

let pack: ChildProcess | undefined;
let engine: grpc.Server | undefined;
let client: AnalyzerClient;
const engineLog: string[] = [];
let lab: RecordedResource[];
let broken: RecordedResource[];

/** The URN the engine gives each resource: the parent components' types, then the resource's. */
function urnOf(stack: string, r: RecordedResource): string {
  const parents =
    r.type === "peering-as-code:index:ServiceProvider"
      ? ""
      : r.type === "peering-as-code:index:PeeringLocation" || r.type === "azure-native:peering:PeerAsn"
        ? "peering-as-code:index:ServiceProvider$"
        : "peering-as-code:index:ServiceProvider$peering-as-code:index:PeeringLocation$";
  return `urn:pulumi:${stack}::peering-as-code::${parents}${r.type}::${r.name}`;
}

/** Options as the engine sends them: those the program declared (recorded from the mock runtime's requests). */
function optionsOf(r: RecordedResource): analyzer.AnalyzerResourceOptions {
  return new analyzer.AnalyzerResourceOptions()
    .setProtect(r.options.protect)
    .setIgnorechangesList(r.options.ignoreChanges)
    .setDeletebeforereplace(r.options.deleteBeforeReplace)
    .setDeletebeforereplacedefined(true)
    .setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
}

function analyzeRequest(stack: string, r: RecordedResource): analyzer.AnalyzeRequest {
  return new analyzer.AnalyzeRequest()
    .setType(r.type)
    .setName(r.name)
    .setUrn(urnOf(stack, r))
    .setProperties(Struct.fromJavaScript(r.inputs as never))
    .setOptions(optionsOf(r));
}

function stackRequest(stack: string, resources: RecordedResource[]): analyzer.AnalyzeStackRequest {
  return new analyzer.AnalyzeStackRequest().setResourcesList(
    resources.map((r) =>
      new analyzer.AnalyzerResource()
        .setType(r.type)
        .setName(r.name)
        .setUrn(urnOf(stack, r))
        .setProperties(Struct.fromJavaScript(r.inputs as never))
        .setOptions(optionsOf(r)),
    ),
  );
}

const call = <Req, Res>(
  fn: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown,
  req: Req,
): Promise<Res> => new Promise((ok, fail) => fn(req, (e, r) => (e ? fail(e) : ok(r))));

/**
 * Diagnostics as `level policy resource: message`. On the wire the message is the policy's
 * description, a newline, then the violation; Analyze leaves the URN to the engine (`resource`).
 */
const diagnostics = (r: analyzer.AnalyzeResponse, resource?: string) =>
  r.getDiagnosticsList().map((d) => {
    const description = RULES.find((x) => x.name === d.getPolicyname())?.description;
    const [first, ...rest] = d.getMessage().split("\n");
    expect(first).toBe(description);
    const level = d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY ? "mandatory" : "advisory";
    return `${level} ${d.getPolicyname()} ${resource ?? d.getUrn().split("::").pop()}: ${rest.join("\n")}`;
  });

/** Configure as the CLI does with `--policy-pack-config`: one entry per policy named in the file. */
async function configure(file?: string): Promise<void> {
  const config = file === undefined ? {} : readPackConfig(file);
  const req = new analyzer.ConfigureAnalyzerRequest();
  for (const [name, value] of Object.entries(config)) {
    const pc = new analyzer.PolicyConfig()
      .setEnforcementlevel(analyzer.EnforcementLevel.MANDATORY)
      .setProperties(Struct.fromJavaScript(value as never));
    req.getPolicyconfigMap().set(name, pc);
  }
  await call(client.configure.bind(client), req);
}

beforeAll(async () => {
  lab = runOfflinePlan("lab").resources;
  broken = runOfflinePlan("local-redundancy", path.join(FIXTURES, "local-redundancy")).resources;

  // A stand-in engine the pack could log to.
  engine = new grpc.Server();
  engine.addService(EngineService, {
    log: (c: grpc.ServerUnaryCall<LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
      engineLog.push(c.request.getMessage());
      cb(null, new Empty());
    },
  });
  const enginePort = await new Promise<number>((ok, fail) =>
    engine!.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? fail(e) : ok(p))),
  );

  // Exactly as the CLI starts a Node.js pack: from the pack's folder, so PolicyPack finds its package.json.
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), `127.0.0.1:${enginePort}`, PACK],
    { cwd: PACK, stdio: ["ignore", "pipe", "pipe"] },
  );
  pack = child;
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((ok, fail) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) ok(Number(m[1]));
    });
    child.on("exit", (code) =>
      fail(new Error(`run-policy-pack exited with ${code} before printing its port: ${stderr}${out}`)),
    );
  });
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 180_000);

afterAll(async () => {
  client?.close();
  if (pack && pack.exitCode === null) {
    const gone = new Promise((ok) => pack!.once("exit", ok));
    pack.kill("SIGKILL");
    await gone;
  }
  await new Promise<void>((ok) => (engine ? engine.tryShutdown(() => ok()) : ok()));
});

describe("the policy pack under the engine protocol", () => {
  it("GetAnalyzerInfo names the pack, its version, and every rule with its level and config schema", async () => {
    const info = await call<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
    expect([info.getName(), info.getVersion(), info.getSupportsconfig()]).toEqual(["peering-as-code", "0.1.0", true]);
    expect(
      info
        .getPoliciesList()
        .map(
          (p) =>
            `${p.getName()}:${p.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY ? "mandatory" : "advisory"}`,
        ),
    ).toEqual(EXPECTED_RULES);
    const schema = info
      .getPoliciesList()
      .find((p) => p.getName() === "registered-prefixes")
      ?.getConfigschema()
      ?.getProperties()
      ?.toJavaScript();
    expect(schema).toMatchObject({
      allowDocumentationRanges: { type: "boolean", default: false },
      maxLengthV4: { default: 24 },
      maxLengthV6: { default: 48 },
    });
  });

  it("the lab stack with its policy config: no mandatory diagnostic from Analyze (each resource) or AnalyzeStack, the agreed MD5 key noted", async () => {
    await configure(path.join(REPO_ROOT, "stacks/Pulumi.lab.policy.json"));
    const custom = lab.filter((r) => r.custom);
    // One PeerAsn, three peerings, each of three prefixes and one origin ASN registered once.
    expect(custom.length).toBe(8);
    for (const r of custom) {
      const expected = r.name === "sp-frankfurt-peering" ? [LAB_MD5_NOTE] : [];
      expect({
        resource: r.name,
        diagnostics: diagnostics(await call(client.analyze.bind(client), analyzeRequest("lab", r)), r.name),
      }).toEqual({ resource: r.name, diagnostics: expected });
    }
    expect(diagnostics(await call(client.analyzeStack.bind(client), stackRequest("lab", custom)))).toEqual([]);
  });

  it("the lab stack without the policy config: documentation ASN and prefixes are refused", async () => {
    await configure(); // no --policy-pack-config: every default
    const peerAsn = lab.find((r) => r.type === "azure-native:peering:PeerAsn")!;
    expect(diagnostics(await call(client.analyze.bind(client), analyzeRequest("lab", peerAsn)), peerAsn.name)).toEqual([
      "mandatory peering-service-settings sp-as64500: the SP ASN: AS64500 is a documentation ASN (RFC 5398), allowed only where the policy config sets allowDocumentationRanges (lab stacks); Peering Service needs the SP's public ASN. Fix: set asn in stacks/lab/sp.yaml to the SP's own public ASN",
    ]);
  });

  it("an MD5 key counts as secret under the engine only where `direct` is an additional secret output", async () => {
    await configure(path.join(REPO_ROOT, "stacks/Pulumi.lab.policy.json"));
    const frankfurt = lab.find((r) => r.name === "sp-frankfurt-peering")!;
    const withoutSecretOutput = analyzeRequest("lab", frankfurt).setOptions(
      optionsOf(frankfurt).setAdditionalsecretoutputsList([]),
    );
    expect(diagnostics(await call(client.analyze.bind(client), withoutSecretOutput), frankfurt.name)).toEqual([
      "mandatory peering-service-settings sp-frankfurt-peering: metro frankfurt leg b (fra-edge-2 bond-msft): md5AuthenticationKey is not a Pulumi secret, so it would be stored and shown in plain text. Fix: set it with `pulumi config set --secret <name> <key>` and name it in md5.keySecret on the leg",
      LAB_MD5_NOTE,
    ]);
  });

  it("the options reach the rules over the wire: an active metro's peering sent unprotected is refused", async () => {
    await configure(path.join(REPO_ROOT, "stacks/Pulumi.lab.policy.json"));
    const amsterdam = lab.find((r) => r.name === "sp-amsterdam-peering")!;
    const unprotected = analyzeRequest("lab", amsterdam).setOptions(optionsOf(amsterdam).setProtect(false));
    expect(diagnostics(await call(client.analyze.bind(client), unprotected), amsterdam.name)).toEqual([
      "mandatory lifecycle sp-amsterdam-peering: metro amsterdam is active but its Peering is not protected: deleting the metro file would delete a peering Microsoft provisions (and Azure refuses deleting one while provisioning). Fix: declare the metro through the PeeringLocation component, which protects it",
    ]);
  });

  it("the local-redundancy fixture: the mandatory diagnostics come back over the wire from Analyze and AnalyzeStack", async () => {
    await configure(path.join(FIXTURES, "local-redundancy/stacks/Pulumi.local-redundancy.policy.json"));
    const custom = broken.filter((r) => r.custom);
    const perResource: string[] = [];
    for (const r of custom)
      perResource.push(
        ...diagnostics(await call(client.analyze.bind(client), analyzeRequest("local-redundancy", r)), r.name),
      );
    expect(perResource).toEqual([
      "mandatory local-redundancy sp-frankfurt-peering: metro frankfurt has 1 leg(s) (leg a (fra-edge-1 Bundle-Ether200)); Microsoft requires at least 2. Fix: add a leg on a second router to legs: in stacks/local-redundancy/metros/frankfurt.yaml, with its own cross-connect to Microsoft",
      "mandatory local-redundancy sp-london-peering: metro london: leg a and leg b on lon-edge-1; the legs must land on at least 2 distinct SP routers (two connections on one router are not locally redundant). Fix: move one leg to a second router (legs[].router.hostname in stacks/local-redundancy/metros/london.yaml)",
    ]);
    // The stack-wide rules see the whole stack and pass: the fixture breaks local redundancy only.
    expect(diagnostics(await call(client.analyzeStack.bind(client), stackRequest("local-redundancy", custom)))).toEqual(
      [],
    );
    expect(engineLog).toEqual([]);
  });

  it("AnalyzeStack reports a stack-wide violation with the resource's URN: a prefix registered twice", async () => {
    await configure(path.join(REPO_ROOT, "stacks/Pulumi.lab.policy.json"));
    const custom = lab.filter((r) => r.custom);
    const original = custom.find((r) => r.name === "sp-prefix-198-51-100-0-24")!;
    const twice: RecordedResource = {
      ...original,
      name: "sp-london-198-51-100-0-24",
      inputs: { ...original.inputs, peeringName: "maps-as64500-london" },
    };
    const response = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(
      client.analyzeStack.bind(client),
      stackRequest("lab", [...custom, twice]),
    );
    expect(diagnostics(response)).toEqual([
      "mandatory registrations sp-london-198-51-100-0-24: 198.51.100.0/24 is registered 2 times (metro amsterdam, metro london); Microsoft registers a prefix with only a single peering, and its key serves every location. Fix: list 198.51.100.0/24 once in stacks/lab/sp.yaml prefixes; it is registered on one home (registerAt, or the home pinned in stacks/lab/allocations.lock.yaml)",
    ]);
    expect(response.getDiagnosticsList()[0].getUrn()).toBe(
      "urn:pulumi:lab::peering-as-code::peering-as-code:index:ServiceProvider$peering-as-code:index:PeeringLocation$azure-native:peering:RegisteredPrefix::sp-london-198-51-100-0-24",
    );
  });
});
