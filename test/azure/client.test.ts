/**
 * The real `@azure/arm-peering` client against the fake ARM endpoint (HTTPS on 127.0.0.1, a CA
 * made for this run, a static token): api-version 2022-10-01 on every request, every field the
 * status command reads coming through the SDK's models, `nextLink` paging, throttling, auth
 * failures, malformed answers, an untrusted certificate, a closed port. Nothing here reaches past
 * 127.0.0.1 (the network guard fails the file if it tries).
 */
import * as https from "https";
import * as net from "net";
import { PeeringManagementClient } from "@azure/arm-peering";
import {
  AzureReadError,
  PEERING_API_VERSION,
  readAzure,
  staticTokenCredential,
  type AzureTarget,
} from "../../azure/client";
import type { AzureSnapshot } from "../../azure/snapshot";
import {
  azureAsPlanned,
  connectionOf,
  peeringOf,
  registeredPrefixOf,
  snapshotOf,
  TEST_SUBSCRIPTION,
} from "../support/armWorld";
import { FAKE_ARM_TOKEN, FAULTS, FakeArm, type ArmWorld } from "../support/fakeArm";
import { planOf, labFiles } from "../support/stack";
import { makeTestCa, type TestCa } from "../support/testCa";

const plan = planOf(labFiles());
const RG = plan.sp.resourceGroup;
let ca: TestCa;
let fake: FakeArm;
let progress: string[];

/** The lab as planned, with details the spec allows and the reader must keep. */
function world(): ArmWorld {
  const w = azureAsPlanned(plan);
  w.peerAsns[0].properties.errorMessage = "";
  const fra = connectionOf(w, plan, "frankfurt/b");
  fra.errorMessage = "Session flapped at 03:12 UTC";
  registeredPrefixOf(w, "2001:db8:1000::/48").r.properties.prefixValidationState = "Warning";
  registeredPrefixOf(w, "2001:db8:1000::/48").r.properties.errorMessage = "Prefix is not announced on all sessions";
  return w;
}

const target = (overrides: Partial<AzureTarget> = {}): AzureTarget => ({
  endpoint: fake.url,
  subscription: TEST_SUBSCRIPTION,
  resourceGroup: RG,
  credential: staticTokenCredential(FAKE_ARM_TOKEN),
  ca: ca.caPem,
  maxRetries: 2,
  progress: (l) => progress.push(l),
  ...overrides,
});

async function failure(t: AzureTarget = target()): Promise<AzureReadError> {
  try {
    await readAzure(t);
  } catch (e) {
    if (e instanceof AzureReadError) return e;
    throw e;
  }
  throw new Error("expected readAzure to fail");
}

beforeAll(async () => {
  ca = makeTestCa();
  fake = await FakeArm.start({ ca, world: world(), pageSize: 1 });
});
afterAll(async () => {
  await fake.close();
  ca.remove();
});
beforeEach(() => {
  fake.world = world();
  fake.requests.length = 0;
  progress = [];
});

describe("reading the lab stack from the fake ARM endpoint", () => {
  let snapshot: AzureSnapshot;
  beforeEach(async () => {
    snapshot = await readAzure(target());
  });

  it("reads what the SDK reads: the same snapshot as the REST JSON it was served", () => {
    expect(snapshot).toEqual(snapshotOf(fake.world, RG, fake.url));
    expect(snapshot.peerings.map((p) => p.name)).toEqual([
      "maps-as64500-amsterdam",
      "maps-as64500-frankfurt",
      "maps-as64500-london",
    ]);
  });

  it("keeps every field the status command reads (they come through the SDK's 2021-06-01 models)", () => {
    const fra = snapshot.peerings.find((p) => p.name === "maps-as64500-frankfurt")!;
    expect(fra.connections[1]).toEqual({
      position: 1,
      identifier: "frankfurt-b-0000-0000-000000000000",
      state: "Active",
      errorMessage: "Session flapped at 03:12 UTC",
      bandwidthMbps: 200000,
      provisionedBandwidthMbps: 200000,
      sessionAddressProvider: "Peer",
      useForPeeringService: true,
      microsoftTrackingId: "MSFT-FRANKFURT-2",
      peeringDbFacilityId: 57,
      ipv4: {
        prefix: "192.0.2.6/31",
        microsoft: "192.0.2.6",
        peer: "192.0.2.7",
        state: "Established",
        maxPrefixesAdvertised: 20,
      },
      ipv6: {
        prefix: "2001:db8:ffff::6/127",
        microsoft: "2001:db8:ffff::6",
        peer: "2001:db8:ffff::7",
        state: "Established",
        maxPrefixesAdvertised: 20,
      },
      hasMd5Key: true,
    });
    expect(fra.tags["metro"]).toBe("frankfurt");
    const ams = snapshot.peerings.find((p) => p.name === "maps-as64500-amsterdam")!;
    expect(ams.registeredPrefixes.find((r) => r.prefix === "2001:db8:1000::/48")).toEqual({
      name: "2001-db8-1000-48-as64500",
      prefix: "2001:db8:1000::/48",
      validationState: "Warning",
      prefixKey: "00000000-0000-0000-0000-000000000003",
      errorMessage: "Prefix is not announced on all sessions",
      provisioningState: "Succeeded",
    });
    expect(fra.registeredAsns).toEqual([
      {
        name: "as64501",
        asn: 64501,
        prefixKey: "00000000-0000-0000-0000-000000000004",
        provisioningState: "Succeeded",
      },
    ]);
    expect(snapshot.peerAsns).toEqual([
      {
        name: "as64500",
        asn: 64500,
        peerName: "Example Networks Lab",
        validationState: "Approved",
        errorMessage: "",
        contacts: [
          { role: "Noc", email: "noc@example.net", phone: "+1 555 0100" },
          { role: "Technical", email: "peering@example.net" },
        ],
      },
    ]);
  });

  it("never reads an MD5 key, only that Azure holds one", () => {
    expect(JSON.stringify(snapshot)).not.toContain("azure-holds-the-md5-key");
  });

  it("sends api-version 2022-10-01 and the bearer token on every request, next pages included", () => {
    expect(fake.requests.length).toBeGreaterThan(10);
    expect(fake.requests.filter((r) => r.query.getAll("api-version").join() !== PEERING_API_VERSION)).toEqual([]);
    expect(fake.requests.filter((r) => r.authorization !== `Bearer ${FAKE_ARM_TOKEN}`)).toEqual([]);
  });

  it("follows nextLink to the last page (one item per page here)", () => {
    const peeringPages = fake.requestsTo(/\/peerings$/i).map((r) => r.query.get("$skipToken"));
    expect(peeringPages).toEqual([null, "1", "2"]);
    expect(snapshot.peerings.flatMap((p) => p.registeredPrefixes.map((r) => r.prefix)).sort()).toEqual([
      "198.51.100.0/24",
      "2001:db8:1000::/48",
      "203.0.113.0/24",
    ]);
    expect(progress).toEqual([
      `Reading Azure at ${fake.url} (api-version 2022-10-01), subscription ${TEST_SUBSCRIPTION}, resource group rg-maps-lab`,
      "  PeerAsns: 1",
      "  peerings in rg-maps-lab: 3",
      "  maps-as64500-amsterdam: 2 connections, 2 registered prefixes, 0 registered ASNs",
      "  maps-as64500-frankfurt: 2 connections, 1 registered prefixes, 1 registered ASNs",
      "  maps-as64500-london: 2 connections, 0 registered prefixes, 0 registered ASNs",
    ]);
  });
});

it("the SDK's own default api-version is 2021-06-01, which the fake (speaking 2022-10-01) refuses", async () => {
  const client = new PeeringManagementClient(staticTokenCredential(FAKE_ARM_TOKEN), TEST_SUBSCRIPTION, {
    endpoint: fake.url,
    $host: fake.url,
    tlsOptions: { ca: ca.caPem },
    retryOptions: { maxRetries: 0 },
  });
  await expect(client.peerAsns.get("as64500")).rejects.toMatchObject({
    statusCode: 400,
    message: "The api-version '2021-06-01' is invalid. The supported versions are '2022-10-01'.",
  });
});

it("serves receivedRoutes pages too (route analytics reads them)", async () => {
  const ams = peeringOf(fake.world, "amsterdam");
  ams.receivedRoutes = ["198.51.100.0/24", "2001:db8:1000::/48", "203.0.113.0/24"].map((prefix) => ({
    prefix,
    nextHop: "192.0.2.1",
    asPath: prefix.startsWith("203.") ? "64500 64501" : "64500",
    originAsValidationState: "Valid",
    rpkiValidationState: "Valid",
    trustAnchor: "RIPE",
    receivedTimestamp: "2024-05-01 10:00:00",
  }));
  const client = new PeeringManagementClient(staticTokenCredential(FAKE_ARM_TOKEN), TEST_SUBSCRIPTION, {
    endpoint: fake.url,
    $host: fake.url,
    apiVersion: PEERING_API_VERSION,
    tlsOptions: { ca: ca.caPem },
  });
  const routes = [];
  for await (const r of client.receivedRoutes.listByPeering(RG, ams.resource.name)) routes.push(r);
  expect(routes.map((r) => `${r.prefix} ${r.asPath} ${r.rpkiValidationState}`)).toEqual([
    "198.51.100.0/24 64500 Valid",
    "2001:db8:1000::/48 64500 Valid",
    "203.0.113.0/24 64500 64501 Valid",
  ]);
  expect(fake.requestsTo(/receivedRoutes$/i)).toHaveLength(3);
});

it("an endpoint added with route() speaks its own api-version (Azure Monitor's metrics, say)", async () => {
  const peering = peeringOf(fake.world, "amsterdam").resource.id;
  fake.route(
    "GET",
    /^(\/subscriptions\/.+\/peerings\/[^/]+)\/providers\/Microsoft\.Insights\/metrics$/,
    (ctx) => ({
      status: 200,
      body: { value: [{ name: { value: "SessionAvailability" }, id: `${ctx.params[0]}/metrics` }] },
    }),
    ["2024-02-01"],
  );
  const get = (version: string) =>
    new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = https.get(
        `${fake.url}${peering}/providers/Microsoft.Insights/metrics?api-version=${version}`,
        { ca: ca.caPem, headers: { authorization: `Bearer ${FAKE_ARM_TOKEN}` } },
        (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode, body }));
        },
      );
      req.on("error", reject);
    });
  try {
    expect(await get("2024-02-01")).toEqual({
      status: 200,
      body: JSON.stringify({ value: [{ name: { value: "SessionAvailability" }, id: `${peering}/metrics` }] }),
    });
    expect((await get(PEERING_API_VERSION)).status).toBe(400);
  } finally {
    fake = await restartedWithoutRoutes(fake);
  }
});

describe("throttling", () => {
  it("waits out a 429 with Retry-After, says so on the progress line, and reads everything", async () => {
    fake.inject(FAULTS.throttled(0), { path: /\/peerings$/i });
    const snapshot = await readAzure(target());
    expect(snapshot.peerings).toHaveLength(3);
    expect(progress).toContain(
      "  Azure throttled /resourceGroups/rg-maps-lab/providers/Microsoft.Peering/peerings (429, Retry-After 0 s); retrying",
    );
  });

  it("gives up after the retries with a throttling error", async () => {
    fake.inject(FAULTS.throttled(0), { path: /\/peerings$/i, times: 10 });
    const e = await failure();
    expect([e.kind, e.message, e.fix]).toEqual([
      "throttled",
      "Azure kept throttling the requests (429) after the retries, last for /resourceGroups/rg-maps-lab/providers/Microsoft.Peering/peerings: Number of 'read' requests for subscription exceeded. Please try again after '0' seconds.",
      "wait a minute and run it again (or raise --max-retries)",
    ]);
    expect(fake.requestsTo(/\/peerings$/i)).toHaveLength(3); // the first try and two retries
  });
});

describe("errors: each a kind, a message and a fix", () => {
  it.each<[string, () => void, string, string]>([
    [
      "401 (a token Azure refuses)",
      () => fake.inject(FAULTS.unauthorized(), { path: /peerAsns$/i }),
      "auth",
      "Azure refused the request (401 ExpiredAuthenticationToken) for /providers/Microsoft.Peering/peerAsns: The access token expiry UTC time '1/1/2024 12:00:00 AM' is earlier than current UTC time.",
    ],
    [
      "403 (no role on the resource group)",
      () => fake.inject(FAULTS.forbidden("/subscriptions/x/resourceGroups/rg-maps-lab"), { path: /\/peerings$/i }),
      "auth",
      "Azure refused the request (403 AuthorizationFailed) for /resourceGroups/rg-maps-lab/providers/Microsoft.Peering/peerings: The client 'status-reader' with object id '00000000-0000-0000-0000-000000000001' does not have authorization to perform action 'Microsoft.Peering/peerings/read' over scope '/subscriptions/x/resourceGroups/rg-maps-lab' or the scope is invalid.",
    ],
    [
      "a truncated JSON body",
      () => fake.inject({ kind: "truncated-json" }, { path: /\/peerings$/i }),
      "malformed",
      `Azure's answer is not the Microsoft.Peering 2022-10-01 REST API's: /resourceGroups/rg-maps-lab/providers/Microsoft.Peering/peerings: expected JSON, got "{\\"value\\":[{\\"name\\":\\"maps-as64500-ams" (Unterminated string in JSON at position 35)`,
    ],
    [
      "an HTML page (a proxy, a captive portal)",
      () => fake.inject({ kind: "html" }, { path: /registeredPrefixes$/i }),
      "malformed",
      `Azure's answer is not the Microsoft.Peering 2022-10-01 REST API's: /resourceGroups/rg-maps-lab/providers/Microsoft.Peering/peerings/maps-as64500-amsterdam/registeredPrefixes: expected JSON, got text/html: "<html><body><h1>Gateway</h1><p>Please sign in to continue.</…"`,
    ],
    [
      "a list page without value",
      () => fake.route("GET", /\/peerAsns$/, () => ({ status: 200, body: { peerAsns: [] } })),
      "malformed",
      `Azure's answer is not the Microsoft.Peering 2022-10-01 REST API's: /providers/Microsoft.Peering/peerAsns: expected a list page ({"value": [...]}), got "{\\"peerAsns\\":[]}"`,
    ],
    [
      "a field of the wrong type",
      () => (connectionOf(fake.world, plan, "london/b").connectionState = 7 as unknown as string),
      "malformed",
      "Azure's answer is not the Microsoft.Peering 2022-10-01 REST API's: peering maps-as64500-london.direct.connections[1].connectionState: expected a string, got number 7",
    ],
    [
      "an unknown resource group",
      () => {
        fake.world.resourceGroups = {};
      },
      "not-found",
      "Azure found nothing at /resourceGroups/rg-maps-lab/providers/Microsoft.Peering/peerings (404 ResourceGroupNotFound): Resource group 'rg-maps-lab' could not be found.",
    ],
    [
      "500 after the retries",
      () => fake.inject(FAULTS.internal(), { path: /\/peerings$/i, times: 10 }),
      "service",
      "Azure answered 500 InternalServerError for /resourceGroups/rg-maps-lab/providers/Microsoft.Peering/peerings: Encountered an internal server error.",
    ],
  ])("%s", async (_, arrange, kind, message) => {
    arrange();
    try {
      const e = await failure();
      expect([e.kind, e.message]).toEqual([kind, message]);
    } finally {
      fake = await restartedWithoutRoutes(fake);
    }
  });

  it("a connection reset is a network error", async () => {
    fake.inject({ kind: "reset" }, { path: /peerAsns$/i, times: 10 });
    const e = await failure(target({ maxRetries: 0 }));
    expect([e.kind, e.message]).toEqual(["network", `could not reach ${fake.url}: socket hang up`]);
  });

  it("an endpoint whose certificate is not from a trusted CA: pass --ca", async () => {
    const e = await failure(target({ ca: makeOtherCa() }));
    expect([e.kind, e.message, e.fix]).toEqual([
      "network",
      `could not reach ${fake.url}: unable to verify the first certificate`,
      "the endpoint's certificate is not trusted: pass its CA with --ca <file.pem>",
    ]);
  });

  it("a closed port is a network error", async () => {
    const port = await freePort();
    const e = await failure(target({ endpoint: `https://127.0.0.1:${port}`, maxRetries: 0 }));
    expect([e.kind, e.message]).toEqual([
      "network",
      `could not reach https://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    ]);
  });

  it("a credential that cannot get a token is an auth error with how to sign in", async () => {
    const unavailable = Object.assign(
      new Error("DefaultAzureCredential: no credential in the chain could get a token"),
      {
        name: "CredentialUnavailableError",
      },
    );
    const e = await failure(target({ credential: { getToken: () => Promise.reject(unavailable) } }));
    expect(e.kind).toBe("auth");
    expect(e.message).toBe(
      "no Azure credential could get a token: DefaultAzureCredential: no credential in the chain could get a token",
    );
    expect(e.fix).toContain("`az login`");
    expect(fake.requests).toEqual([]);
  });
});

/** Extension routes stay until the server goes: each case gets a fresh one. */
async function restartedWithoutRoutes(old: FakeArm): Promise<FakeArm> {
  await old.close();
  return FakeArm.start({ ca, world: world(), pageSize: 1 });
}

function makeOtherCa(): string {
  const other = makeTestCa("another CA");
  try {
    return other.caPem;
  } finally {
    other.remove();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
