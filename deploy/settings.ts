/**
 * How a stack deploys router configs: the `peering-as-code:deploy` object of the stack config
 * (`stacks/Pulumi.<stack>.yaml`), checked into typed settings. Which routers are pushed to, how to
 * reach them (host, port, user, the name of the secret config key that holds the SSH private key,
 * the host key), how long the health gate waits, how long an unconfirmed change lives before the
 * router rolls it back by itself, and the metro waves.
 *
 * Pure: no Pulumi, no I/O. Problems name the stack config file, the field and the fix.
 */
import { isNetworkOs } from "./gate";
import type { Problem } from "../load/problem";
import type { Plan } from "../plan/model";
import type { Vendor } from "../vendors";

/** One router the product pushes to, as the stack config gives it. */
export interface DeployTarget {
  hostname: string;
  /** Management address or DNS name, reachable from the runner (README, Deploying). */
  host: string;
  port: number;
  user: string;
  /** Secret stack config key holding the OpenSSH private key (`pulumi config set --secret <key> < id_ed25519`). */
  privateKeySecret: string;
  /** The router's SSH host key (`ssh-ed25519 AAAA…`); without it the connection trusts any host. */
  hostKey?: string;
  /** Where the product keeps its files on the router: the last confirmed rendering, the pending push. */
  stateDir: string;
  /** BIRD only: the file the router's bird.conf includes, which the product owns whole. */
  birdFile?: string;
}

export interface HealthGateSettings {
  /** Longest wait for the sessions to be healthy after a push before rolling back (seconds). */
  timeoutSeconds: number;
  /** Healthy must hold this long, polled every second, before the push is confirmed (seconds). */
  holdSeconds: number;
  /** Fewest prefixes Microsoft must send per family for the session to count as healthy. */
  minReceived: { ipv4: number; ipv6: number };
}

export interface DeploySettings {
  targets: Record<string, DeployTarget>;
  gate: HealthGateSettings;
  /**
   * Seconds an applied but unconfirmed change lives before the router itself rolls it back (Junos,
   * IOS-XR `commit confirmed`, EOS commit timer, BIRD `configure timeout`, the product's timer on
   * FRR): the safety net when the runner dies between apply and confirm. Longer than the gate.
   */
  confirmSeconds: number;
  /** Metros in waves: every metro of a wave after every metro of the wave before. Unlisted metros form a last wave. */
  waves: string[][];
  /**
   * Seconds a drained leg is given for traffic to leave it before a change that affects its
   * sessions (deploy/drain.ts): Microsoft and the SP's own network reconverge on the other leg.
   * 0 turns the automatic drain off.
   */
  drainSeconds: number;
}

/** RFC 8326 leaves the wait to the operator; a minute covers BGP's reconvergence on both sides with margin. */
export const DEFAULT_DRAIN_SECONDS = 60;

export const DEFAULT_GATE: HealthGateSettings = {
  timeoutSeconds: 120,
  holdSeconds: 10,
  minReceived: { ipv4: 1, ipv6: 1 },
};
export const DEFAULT_STATE_DIR = "/var/lib/peering-as-code";
export const DEFAULT_PRIVATE_KEY_SECRET = "deploySshPrivateKey";
/** The key in the stack config (`peering-as-code:deploy`). */
export const DEPLOY_CONFIG_KEY = "deploy";

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
/** Values that reach a shell command line: no quoting, spaces or metacharacters to get wrong. */
const SAFE_PATH = /^\/[A-Za-z0-9._/:-]{0,200}$/;
const SAFE_HOST = /^[A-Za-z0-9.:-]{1,253}$/;
const SAFE_USER = /^[a-z_][a-z0-9_.-]{0,31}$/;
const SAFE_KEY_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * The deploy settings of a stack and that the stack config sets every SSH private key they name
 * (`hasSecret`, by secret config key), or the problems of both.
 */
export function readDeploySettings(
  raw: unknown,
  plan: Pick<Plan, "routers" | "metros">,
  file: string,
  hasSecret: (name: string) => boolean,
): { settings?: DeploySettings; problems: Problem[] } {
  const parsed = parseDeploySettings(raw, plan, file);
  if (parsed.problems.length > 0 || parsed.settings === undefined) return parsed;
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const target of Object.values(parsed.settings.targets)) {
    const name = target.privateKeySecret;
    if (seen.has(name)) continue;
    seen.add(name);
    if (!hasSecret(name))
      problems.push({
        file,
        line: 0,
        field: `peering-as-code:${DEPLOY_CONFIG_KEY}.routers.${target.hostname}.privateKeySecret`,
        message: `names the SSH private key "${name}", which the stack config does not set`,
        fix: `run \`pulumi config set --secret ${name} < <private key file>\``,
      });
  }
  return problems.length > 0 ? { problems } : parsed;
}

/**
 * The deploy settings of a stack, or its problems; undefined when the stack config has no
 * `deploy` object (the program then only exports the rendered configs).
 */
export function parseDeploySettings(
  raw: unknown,
  plan: Pick<Plan, "routers" | "metros">,
  file: string,
): { settings?: DeploySettings; problems: Problem[] } {
  if (raw === undefined) return { problems: [] };
  const problems: Problem[] = [];
  const at = (field: string, message: string, fix: string) =>
    problems.push({ file, line: 0, field: `peering-as-code:${DEPLOY_CONFIG_KEY}${field}`, message, fix });
  if (!isObject(raw)) {
    at("", "is not an object", "give routers, and optionally gate, confirmSeconds and waves (README, Deploying)");
    return { problems };
  }
  for (const key of Object.keys(raw))
    if (!["routers", "gate", "confirmSeconds", "drainSeconds", "waves"].includes(key))
      at(
        `.${key}`,
        "is not a deploy setting",
        "remove it; the settings are routers, gate, confirmSeconds, drainSeconds and waves",
      );

  const num = (v: unknown, field: string, min: number, max: number, fallback: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      at(field, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`, `set it to e.g. ${fallback}`);
      return fallback;
    }
    return v;
  };
  const str = (v: unknown, field: string, pattern: RegExp, what: string, fallback?: string): string | undefined => {
    if (v === undefined) {
      if (fallback === undefined) at(field, "is missing", `set it to ${what}`);
      return fallback;
    }
    if (typeof v !== "string" || !pattern.test(v)) {
      at(field, `${JSON.stringify(v)} is not ${what}`, `set it to ${what}`);
      return fallback;
    }
    return v;
  };

  const rawGate = raw.gate === undefined ? {} : raw.gate;
  if (!isObject(rawGate)) at(".gate", "is not an object", "give timeoutSeconds, holdSeconds and minReceived");
  const g = isObject(rawGate) ? rawGate : {};
  const minRaw = isObject(g.minReceived) ? g.minReceived : {};
  const gate: HealthGateSettings = {
    timeoutSeconds: num(g.timeoutSeconds, ".gate.timeoutSeconds", 5, 3600, DEFAULT_GATE.timeoutSeconds),
    holdSeconds: num(g.holdSeconds, ".gate.holdSeconds", 1, 600, DEFAULT_GATE.holdSeconds),
    minReceived: {
      ipv4: num(minRaw.ipv4, ".gate.minReceived.ipv4", 0, 10_000_000, DEFAULT_GATE.minReceived.ipv4),
      ipv6: num(minRaw.ipv6, ".gate.minReceived.ipv6", 0, 10_000_000, DEFAULT_GATE.minReceived.ipv6),
    },
  };
  const confirmSeconds = num(raw.confirmSeconds, ".confirmSeconds", 60, 3600, 600);
  if (confirmSeconds <= gate.timeoutSeconds + gate.holdSeconds)
    at(
      ".confirmSeconds",
      `${confirmSeconds} s is not longer than the health gate (timeoutSeconds ${gate.timeoutSeconds} + holdSeconds ${gate.holdSeconds}): the router would roll a healthy change back before it is confirmed`,
      `set confirmSeconds above ${gate.timeoutSeconds + gate.holdSeconds}`,
    );
  const drainSeconds = num(raw.drainSeconds, ".drainSeconds", 0, 3600, DEFAULT_DRAIN_SECONDS);
  if (drainSeconds >= confirmSeconds)
    at(
      ".drainSeconds",
      `${drainSeconds} s is not shorter than confirmSeconds (${confirmSeconds}): the router would roll the drain back while traffic is still leaving the leg`,
      `set drainSeconds below ${confirmSeconds}, or raise confirmSeconds`,
    );

  const routersByName = new Map(plan.routers.map((r) => [r.hostname, r]));
  const targets: Record<string, DeployTarget> = {};
  const rawRouters = raw.routers;
  if (!isObject(rawRouters))
    at(".routers", "is missing or not an object", "map each router's hostname to its host, user and key");
  for (const [hostname, value] of Object.entries(isObject(rawRouters) ? rawRouters : {})) {
    const field = `.routers.${hostname}`;
    const router = routersByName.get(hostname);
    if (router === undefined) {
      at(
        field,
        `is not a router whose config this stack renders (${[...routersByName.keys()].join(", ")})`,
        "use the router's hostname from the metro files, or remove the entry",
      );
      continue;
    }
    if (!isObject(value)) {
      at(field, "is not an object", "give host, user and privateKeySecret");
      continue;
    }
    for (const key of Object.keys(value))
      if (!["host", "port", "user", "privateKeySecret", "hostKey", "stateDir", "birdFile"].includes(key))
        at(
          `${field}.${key}`,
          "is not a router deploy setting",
          "remove it (host, port, user, privateKeySecret, hostKey, stateDir, birdFile)",
        );
    const host = str(value.host, `${field}.host`, SAFE_HOST, "the router's management address or DNS name");
    const user = str(value.user, `${field}.user`, SAFE_USER, "a login name (e.g. maps-deploy)");
    const privateKeySecret = str(
      value.privateKeySecret,
      `${field}.privateKeySecret`,
      SAFE_KEY_NAME,
      "the name of a secret config key",
      DEFAULT_PRIVATE_KEY_SECRET,
    );
    const stateDir = str(
      value.stateDir,
      `${field}.stateDir`,
      SAFE_PATH,
      "an absolute path without spaces",
      defaultStateDir(router.vendor),
    );
    const hostKey =
      value.hostKey === undefined
        ? undefined
        : str(
            value.hostKey,
            `${field}.hostKey`,
            /^(ssh-ed25519|ecdsa-sha2-nistp\d+|ssh-rsa) [A-Za-z0-9+/=]+$/,
            "a host key as `ssh-ed25519 AAAA…` (ssh-keyscan)",
          );
    const birdFile =
      router.vendor === "bird"
        ? str(
            value.birdFile,
            `${field}.birdFile`,
            SAFE_PATH,
            "an absolute path without spaces",
            defaultBirdFile(hostname),
          )
        : undefined;
    if (router.vendor !== "bird" && value.birdFile !== undefined)
      at(`${field}.birdFile`, `is for BIRD routers; ${hostname} is ${router.vendor}`, "remove it");
    const port = num(value.port, `${field}.port`, 1, 65535, 22);
    if (host === undefined || user === undefined || privateKeySecret === undefined || stateDir === undefined) continue;
    targets[hostname] = {
      hostname,
      host,
      port,
      user,
      privateKeySecret,
      stateDir,
      ...(hostKey ? { hostKey } : {}),
      ...(birdFile ? { birdFile } : {}),
    };
  }

  const metroIds = new Set(plan.metros.map((m) => m.id));
  const waves: string[][] = [];
  if (raw.waves !== undefined) {
    if (!Array.isArray(raw.waves) || !raw.waves.every((w) => Array.isArray(w) && w.every((m) => typeof m === "string")))
      at(".waves", "is not a list of lists of metro ids", "write e.g. [[amsterdam], [frankfurt, london]]");
    else {
      const seen = new Set<string>();
      raw.waves.forEach((wave, i) => {
        for (const m of wave) {
          if (!metroIds.has(m))
            at(
              `.waves[${i}]`,
              `names ${JSON.stringify(m)}, which is no metro of this stack`,
              `use one of ${[...metroIds].join(", ")}`,
            );
          else if (seen.has(m)) at(`.waves[${i}]`, `names ${m} a second time`, "list each metro in one wave only");
          seen.add(m);
        }
        waves.push([...wave]);
      });
    }
  }
  if (problems.length > 0) return { problems };
  return { settings: { targets, gate, confirmSeconds, waves, drainSeconds }, problems };
}

/** Where a platform's files live on the router by default (`stateDir`): a path scp writes to. */
export const NOS_STATE_DIR: Record<"iosxr" | "junos" | "eos", string> = {
  junos: "/var/tmp",
  iosxr: "/harddisk:",
  eos: "/mnt/flash",
};

/**
 * Where the product keeps its files on a router by default: on FRR and BIRD a directory of the
 * Linux host; on the network OSes a place `scp` writes to and the CLI loads from (Junos /var/tmp,
 * IOS-XR the `harddisk:` file system, EOS `flash:` as /mnt/flash).
 */
export function defaultStateDir(vendor: Vendor): string {
  return isNetworkOs(vendor) ? NOS_STATE_DIR[vendor] : DEFAULT_STATE_DIR;
}

/** The file a BIRD router's bird.conf includes, which the product owns whole, unless `birdFile` says otherwise. */
export function defaultBirdFile(hostname: string): string {
  return `/etc/bird/${hostname}.bird.conf`;
}
