/**
 * A fake Azure Resource Manager endpoint: HTTPS on 127.0.0.1 with a certificate from a test CA
 * (`testCa.ts`), serving Microsoft.Peering resources in the REST shapes of api-version 2022-10-01
 * (`armResources.ts`) from a world the test owns and may change between calls (`ArmWorld`).
 *
 * What it does as ARM does: `value` + `nextLink` paging (`$skipToken`, absolute links back to
 * itself), `api-version` checked per route (the Microsoft.Peering routes speak only 2022-10-01,
 * so a client that sends * another fails loudly), bearer tokens checked, ARM's error bodies (`{"error":{"code","message"}}`)
 * for an unknown subscription, resource group or peering, case-insensitive paths.
 *
 * What a test makes it do: `inject` answers one or more matching requests with a fault (429 with
 * Retry-After, 401/403, 500, a malformed body, a reset connection); `route` adds an endpoint
 * (Azure Monitor metrics, say) ahead of the built-in ones; `requests` records every request.
 *
 * Built-in routes (GET):
 *   /subscriptions/{s}/providers/Microsoft.Peering/peerAsns[/{name}]
 *   /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Peering/peerings[/{name}]
 *   .../peerings/{name}/registeredPrefixes, .../registeredAsns, .../receivedRoutes
 */
import * as https from "https";
import type { AddressInfo } from "net";
import type {
  ArmError,
  ArmPeerAsn,
  ArmPeering,
  ArmReceivedRoute,
  ArmRegisteredAsn,
  ArmRegisteredPrefix,
} from "./armResources";
import type { TestCa } from "./testCa";

export const FAKE_ARM_API_VERSION = "2022-10-01";
/** The bearer token the fake accepts unless told otherwise (what `StaticTokenCredential` sends in tests). */
export const FAKE_ARM_TOKEN = "fake-arm-token";

/** One peering with what lives below it. */
export interface ArmPeeringEntry {
  resource: ArmPeering;
  registeredPrefixes: ArmRegisteredPrefix[];
  registeredAsns: ArmRegisteredAsn[];
  receivedRoutes: ArmReceivedRoute[];
}

/** Everything the fake knows: one subscription. Tests change it freely between requests. */
export interface ArmWorld {
  subscription: string;
  peerAsns: ArmPeerAsn[];
  /** By resource group name (matched case-insensitively, as ARM does). */
  resourceGroups: Record<string, { peerings: ArmPeeringEntry[] }>;
}

export interface ArmRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  authorization?: string;
  /** The request's body as sent ("" for a GET). */
  body: string;
}

export interface ArmResponse {
  status: number;
  body?: unknown;
  /** Sent as is, instead of `body` as JSON (for malformed answers). */
  raw?: string;
  headers?: Record<string, string>;
}

export type Fault =
  | { kind: "throttle"; retryAfterSeconds: number }
  | { kind: "status"; status: number; code: string; message: string }
  | { kind: "truncated-json" }
  | { kind: "html" }
  | { kind: "reset" };

/** ARM's answers for the usual failures, as a test injects them. */
export const FAULTS = {
  throttled: (retryAfterSeconds = 0): Fault => ({ kind: "throttle", retryAfterSeconds }),
  unauthorized: (): Fault => ({
    kind: "status",
    status: 401,
    code: "ExpiredAuthenticationToken",
    message: "The access token expiry UTC time '1/1/2024 12:00:00 AM' is earlier than current UTC time.",
  }),
  forbidden: (scope: string): Fault => ({
    kind: "status",
    status: 403,
    code: "AuthorizationFailed",
    message: `The client 'status-reader' with object id '00000000-0000-0000-0000-000000000001' does not have authorization to perform action 'Microsoft.Peering/peerings/read' over scope '${scope}' or the scope is invalid.`,
  }),
  internal: (): Fault => ({
    kind: "status",
    status: 500,
    code: "InternalServerError",
    message: "Encountered an internal server error.",
  }),
} as const;

export interface RouteContext {
  request: ArmRequest;
  /** The pattern's capture groups. */
  params: string[];
  world: ArmWorld;
  /** A page of `items` for this request, with a `nextLink` when more follow. */
  page<T>(items: readonly T[]): ArmResponse;
}
type Handler = (ctx: RouteContext) => ArmResponse;

export interface FakeArmOptions {
  ca: TestCa;
  world: ArmWorld;
  /** Items per page of every list (small in tests, to exercise `nextLink`). */
  pageSize?: number;
  apiVersion?: string;
  token?: string;
  /** Port on 127.0.0.1 (default: any free one). */
  port?: number;
}

const error = (status: number, code: string, message: string): ArmResponse => ({
  status,
  body: { error: { code, message } } satisfies ArmError,
});

export class FakeArm {
  readonly requests: ArmRequest[] = [];
  world: ArmWorld;
  private readonly server: https.Server;
  private readonly routes: Array<{
    method: string;
    pattern: RegExp;
    apiVersions: readonly string[];
    handler: Handler;
  }> = [];
  private readonly faults: Array<{ match: RegExp; remaining: number; fault: Fault }> = [];
  private readonly pageSize: number;
  private readonly apiVersion: string;
  private readonly token: string;
  private port = 0;

  private readonly requestedPort: number;

  private constructor(options: FakeArmOptions) {
    this.requestedPort = options.port ?? 0;
    this.world = options.world;
    this.pageSize = options.pageSize ?? 100;
    this.apiVersion = options.apiVersion ?? FAKE_ARM_API_VERSION;
    this.token = options.token ?? FAKE_ARM_TOKEN;
    this.server = https.createServer({ key: options.ca.keyPem, cert: options.ca.certPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.answer(req, res, Buffer.concat(chunks).toString("utf8")));
    });
    this.addBuiltInRoutes();
  }

  static async start(options: FakeArmOptions): Promise<FakeArm> {
    const fake = new FakeArm(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once("error", reject);
      fake.server.listen(fake.requestedPort, "127.0.0.1", () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** `https://127.0.0.1:<port>`: the client's endpoint. */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Answers the next `times` requests whose path matches with `fault` instead. */
  inject(fault: Fault, options: { path?: RegExp; times?: number } = {}): void {
    this.faults.push({ match: options.path ?? /./, remaining: options.times ?? 1, fault });
  }

  /**
   * Adds an endpoint ahead of the built-in ones: `pattern` matches the path (case-insensitively),
   * `apiVersions` are the api-versions it speaks (Azure Monitor's are not Microsoft.Peering's).
   */
  route(method: string, pattern: RegExp, handler: Handler, apiVersions: readonly string[] = [this.apiVersion]): void {
    this.routes.unshift({ method, pattern: new RegExp(pattern.source, "i"), apiVersions, handler });
  }

  /** Requests whose path matches. */
  requestsTo(pattern: RegExp): ArmRequest[] {
    return this.requests.filter((r) => pattern.test(r.path));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: import("http").IncomingMessage, res: import("http").ServerResponse, body: string): void {
    const url = new URL(req.url ?? "/", this.url);
    const request: ArmRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      body,
      ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
    };
    this.requests.push(request);
    const fault = this.faults.find((f) => f.remaining > 0 && f.match.test(request.path));
    if (fault) {
      fault.remaining--;
      if (fault.fault.kind === "reset") {
        req.socket.destroy();
        return;
      }
      return send(res, faultResponse(fault.fault));
    }
    send(res, this.handle(request));
  }

  private handle(request: ArmRequest): ArmResponse {
    if (request.authorization === undefined)
      return error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    if (request.authorization !== `Bearer ${this.token}`)
      return error(401, "InvalidAuthenticationToken", "The access token is invalid.");
    const versions = request.query.getAll("api-version");
    for (const route of this.routes) {
      const m = route.method === request.method ? route.pattern.exec(request.path) : null;
      if (!m) continue;
      if (versions.length === 0 || versions.some((v) => !route.apiVersions.includes(v)))
        return error(
          400,
          versions.length === 0 ? "MissingApiVersionParameter" : "InvalidApiVersionParameter",
          `The api-version '${versions.join(",")}' is invalid. The supported versions are '${route.apiVersions.join(",")}'.`,
        );
      return route.handler({
        request,
        params: m.slice(1).map(decodeURIComponent),
        world: this.world,
        page: (items) => this.page(request, items),
      });
    }
    return error(
      404,
      "InvalidResourceType",
      `The resource type could not be found for ${request.method} ${request.path}.`,
    );
  }

  private page<T>(request: ArmRequest, items: readonly T[]): ArmResponse {
    const skip = Number(request.query.get("$skipToken") ?? "0");
    const value = items.slice(skip, skip + this.pageSize);
    const more = skip + this.pageSize < items.length;
    const version = request.query.get("api-version") ?? this.apiVersion;
    const next = `${this.url}${request.path}?api-version=${version}&$skipToken=${skip + this.pageSize}`;
    return { status: 200, body: more ? { value, nextLink: next } : { value } };
  }

  private addBuiltInRoutes(): void {
    const sub = "/subscriptions/([^/]+)";
    const rg = `${sub}/resourceGroups/([^/]+)`;
    const peering = `${rg}/providers/Microsoft\\.Peering/peerings/([^/]+)`;
    const get = (pattern: string, handler: Handler) =>
      this.routes.push({
        method: "GET",
        pattern: new RegExp(`^${pattern}$`, "i"),
        apiVersions: [this.apiVersion],
        handler,
      });

    const subscription = (ctx: RouteContext) =>
      same(ctx.params[0], ctx.world.subscription)
        ? undefined
        : error(404, "SubscriptionNotFound", `The subscription '${ctx.params[0]}' could not be found.`);
    const group = (ctx: RouteContext) => {
      const name = Object.keys(ctx.world.resourceGroups).find((g) => same(g, ctx.params[1]));
      return name === undefined
        ? { missing: error(404, "ResourceGroupNotFound", `Resource group '${ctx.params[1]}' could not be found.`) }
        : { entries: ctx.world.resourceGroups[name].peerings };
    };
    const entry = (ctx: RouteContext) => {
      const g = group(ctx);
      if (g.missing) return { missing: g.missing };
      const found = g.entries.find((e) => same(e.resource.name, ctx.params[2]));
      return found
        ? { found }
        : {
            missing: error(
              404,
              "ResourceNotFound",
              `The Resource 'Microsoft.Peering/peerings/${ctx.params[2]}' under resource group '${ctx.params[1]}' was not found.`,
            ),
          };
    };

    get(`${sub}/providers/Microsoft\\.Peering/peerAsns`, (ctx) => subscription(ctx) ?? ctx.page(ctx.world.peerAsns));
    get(`${sub}/providers/Microsoft\\.Peering/peerAsns/([^/]+)`, (ctx) => {
      const found = ctx.world.peerAsns.find((a) => same(a.name, ctx.params[1]));
      return (
        subscription(ctx) ??
        (found
          ? { status: 200, body: found }
          : error(404, "NotFound", `The peer ASN '${ctx.params[1]}' could not be found.`))
      );
    });
    get(`${rg}/providers/Microsoft\\.Peering/peerings`, (ctx) => {
      const g = group(ctx);
      return subscription(ctx) ?? g.missing ?? ctx.page(g.entries.map((e) => e.resource));
    });
    get(peering, (ctx) => {
      const e = entry(ctx);
      return subscription(ctx) ?? e.missing ?? { status: 200, body: e.found.resource };
    });
    const child = (name: "registeredPrefixes" | "registeredAsns" | "receivedRoutes") =>
      get(`${peering}/${name}`, (ctx) => {
        const e = entry(ctx);
        return subscription(ctx) ?? e.missing ?? ctx.page<unknown>(e.found[name]);
      });
    child("registeredPrefixes");
    child("registeredAsns");
    child("receivedRoutes");
  }
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function faultResponse(fault: Exclude<Fault, { kind: "reset" }>): ArmResponse {
  switch (fault.kind) {
    case "throttle":
      return {
        ...error(
          429,
          "SubscriptionRequestsThrottled",
          `Number of 'read' requests for subscription exceeded. Please try again after '${fault.retryAfterSeconds}' seconds.`,
        ),
        headers: { "retry-after": String(fault.retryAfterSeconds) },
      };
    case "status":
      return {
        ...error(fault.status, fault.code, fault.message),
        // ARM's 401s carry a challenge; without `claims` in it the SDK does not retry.
        ...(fault.status === 401
          ? {
              headers: {
                "www-authenticate":
                  'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token has expired."',
              },
            }
          : {}),
      };
    case "truncated-json":
      return {
        status: 200,
        raw: '{"value":[{"name":"maps-as64500-ams',
        headers: { "content-type": "application/json" },
      };
    case "html":
      return {
        status: 200,
        raw: "<html><body><h1>Gateway</h1><p>Please sign in to continue.</p></body></html>",
        headers: { "content-type": "text/html" },
      };
  }
}

function send(res: import("http").ServerResponse, answer: ArmResponse): void {
  const text = answer.raw ?? (answer.body === undefined ? "" : JSON.stringify(answer.body));
  res.writeHead(answer.status, {
    "content-type": "application/json; charset=utf-8",
    "x-ms-request-id": "00000000-0000-0000-0000-00000000beef",
    ...answer.headers,
  });
  res.end(text);
}
