/**
 * No test talks to anything but 127.0.0.1. Every TCP and TLS client connection in Node.js goes
 * through `net.Socket.prototype.connect` (`net.connect`, `tls.connect`, `http(s).request`, undici,
 * gRPC), so the guard wraps it: a connection to any other host (`localhost` and other loopback
 * addresses included, so that nothing depends on name resolution) is refused before a packet is
 * sent, and recorded. Unix sockets and pipes (jest's workers, local daemons) are not network.
 *
 * The Azure SDK is the reason: `DefaultAzureCredential` probes the instance metadata service at
 * 169.254.169.254, and a client pointed at the wrong endpoint would reach for management.azure.com.
 *
 * Jest installs it for every test file (`test/support/netGuard.setup.ts`, which fails the file on
 * any attempt); a child process gets it with `--require test/support/netGuard.preload.ts`
 * (`guardedNodeArgs`), which reports an attempt on stderr as `network guard: …`.
 */
import * as net from "net";
import * as path from "path";

export const ALLOWED_HOST = "127.0.0.1";
const STATE = Symbol.for("peering-as-code.netGuard");

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;

interface GuardState {
  original: Connect;
  attempts: string[];
  onAttempt?: (target: string) => void;
}

type Holder = { [STATE]?: GuardState };

/** Where a `connect` call goes: `host:port`, or undefined for a Unix socket or pipe. */
export function connectTarget(args: unknown[]): string | undefined {
  // Node calls connect() internally with its normalised [options, callback] array.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === "object" && first !== null) {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === "string") return undefined;
    return `${typeof o.host === "string" ? o.host : "localhost"}:${String(o.port)}`;
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return undefined; // a path
  return `${typeof args[1] === "string" ? args[1] : "localhost"}:${String(first)}`;
}

export function isAllowed(target: string): boolean {
  return target.slice(0, target.lastIndexOf(":")) === ALLOWED_HOST;
}

/** Installs the guard once per process (the `net` module is shared by every test file in a worker). */
export function installNetGuard(onAttempt?: (target: string) => void): void {
  const holder = net.Socket.prototype as unknown as Holder;
  if (holder[STATE]) {
    if (onAttempt) holder[STATE].onAttempt = onAttempt;
    return;
  }
  const state: GuardState = {
    original: Reflect.get(net.Socket.prototype, "connect") as Connect,
    attempts: [],
    onAttempt,
  };
  holder[STATE] = state;
  const guarded = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const target = connectTarget(args);
    if (target !== undefined && !isAllowed(target)) {
      state.attempts.push(target);
      state.onAttempt?.(target);
      const refusal = new Error(
        `network guard: a connection to ${target} was refused; tests talk to ${ALLOWED_HOST} only`,
      );
      process.nextTick(() => this.destroy(refusal));
      return this;
    }
    return state.original.apply(this, args);
  };
  Reflect.set(net.Socket.prototype, "connect", guarded);
}

/** The attempts refused since the last call, and forgets them. */
export function takeRefusedConnections(): string[] {
  const state = (net.Socket.prototype as unknown as Holder)[STATE];
  if (!state) return [];
  return state.attempts.splice(0, state.attempts.length);
}

/** Node.js arguments that load the guard into a child process run with ts-node. */
export function guardedNodeArgs(): string[] {
  return [
    "--require",
    require.resolve("ts-node/register/transpile-only"),
    "--require",
    path.join(__dirname, "netGuard.preload.ts"),
  ];
}
