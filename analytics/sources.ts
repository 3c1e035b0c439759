/**
 * The sources route analytics reads, from their text to observations:
 * - Microsoft's receivedRoutes of a peering (`PeeringReceivedRoute` of Microsoft.Peering
 *   2022-10-01: `{"value":[{"prefix","nextHop","asPath","originAsValidationState",
 *   "rpkiValidationState","trustAnchor","receivedTimestamp"}],"nextLink"}`), one page or a JSON
 *   array of routes or of pages;
 * - FRR's JSON: `show bgp [ipv4|ipv6] [unicast] json` (a table: every path with its `peerId`,
 *   `pathFrom`, `path`), `show bgp [afi] summary json` and `show bgp neighbors json` (sessions).
 * Anything else is an `InputError` naming the file and the field, never a silent empty list.
 *
 * Pure: text in, observations out.
 */
import { canonicalAddress, familyOf, readPrefix } from "../plan/addressing";
import type { AddressFamily } from "../plan/model";
import {
  emptyObservations,
  parseAsPath,
  type Observations,
  type RouteObservation,
  type SessionObservation,
} from "./model";

/** An input that cannot be read: the file, what is wrong, and what to do. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly fix: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "InputError";
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseJson(text: string, file: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new InputError(
      file,
      `is not JSON (${e instanceof Error ? e.message : String(e)})`,
      `give the JSON ${what} exactly as it printed it`,
    );
  }
}

const RECEIVED_FIX =
  "give the receivedRoutes API's JSON (`az rest --method get --url .../peerings/<name>/receivedRoutes?api-version=2022-10-01`), or read it live with --azure";

/** One receivedRoutes answer (or several pages, or a bare list of routes) of a metro's peering. */
export function readReceivedRoutes(text: string, file: string, metro: string): Observations & { nextLink?: string } {
  return receivedRoutesFrom(parseJson(text, file, "the receivedRoutes API answered"), file, metro);
}

/** receivedRoutes already parsed (a file's JSON, or the items `--azure` read): checked field by field. */
export function receivedRoutesFrom(json: unknown, file: string, metro: string): Observations & { nextLink?: string } {
  const pages: unknown[] =
    Array.isArray(json) && json.every(isObject) && json.some((x) => "value" in x) ? json : [json];
  const obs = emptyObservations();
  let nextLink: string | undefined;
  pages.forEach((page, p) => {
    const here = pages.length > 1 ? `page ${p + 1}: ` : "";
    let items: unknown[];
    if (Array.isArray(page)) items = page;
    else if (isObject(page) && Array.isArray(page.value)) {
      items = page.value;
      if (typeof page.nextLink === "string" && page.nextLink !== "") nextLink = page.nextLink;
      else if (page.nextLink !== undefined && page.nextLink !== null && page.nextLink !== "")
        throw new InputError(file, `${here}nextLink is not a link: ${JSON.stringify(page.nextLink)}`, RECEIVED_FIX);
    } else throw new InputError(file, `${here}expected {"value": [...]} (a receivedRoutes page)`, RECEIVED_FIX);
    items.forEach((item, i) => {
      const at = `${here}value[${i}]`;
      if (!isObject(item)) throw new InputError(file, `${at} is not an object`, RECEIVED_FIX);
      const prefixText = item.prefix;
      const prefix = typeof prefixText === "string" ? readPrefix(prefixText) : undefined;
      if (!prefix)
        throw new InputError(file, `${at}.prefix ${JSON.stringify(prefixText)} is not a prefix`, RECEIVED_FIX);
      const asPathText = item.asPath ?? "";
      const asPath = typeof asPathText === "string" ? parseAsPath(asPathText) : undefined;
      if (!asPath)
        throw new InputError(file, `${at}.asPath ${JSON.stringify(item.asPath)} is not an AS path`, RECEIVED_FIX);
      const route: RouteObservation = {
        prefix: prefix.text,
        asPath,
        source: file,
        metro,
        external: true,
      };
      for (const field of ["nextHop", "originAsValidationState", "rpkiValidationState"] as const) {
        const v = item[field];
        if (v === undefined || v === null) continue;
        if (typeof v !== "string") throw new InputError(file, `${at}.${field} is not a string`, RECEIVED_FIX);
        route[field] = field === "nextHop" ? canonicalAddress(v) : v;
      }
      obs.routes.push(route);
    });
  });
  obs.tables.push({ source: file, metro, afi: "both" });
  return { ...obs, ...(nextLink !== undefined ? { nextLink } : {}) };
}

const FRR_FIX =
  "give FRR's JSON of `show bgp ipv4 unicast json`, `show bgp ipv6 unicast json`, `show bgp summary json` or `show bgp neighbors json` (vtysh -c '<command>' > file.json), one command per file";

/** One FRR JSON file of a router: a BGP table, a summary, or the neighbors. */
export function readFrrJson(text: string, file: string, router: string): Observations & { kind: string } {
  const json = parseJson(text, file, "vtysh");
  if (!isObject(json)) throw new InputError(file, "expected a JSON object", FRR_FIX);
  if ("warning" in json && typeof json.warning === "string" && Object.keys(json).length === 1)
    throw new InputError(file, `FRR answered a warning, not data: ${json.warning}`, FRR_FIX);
  if (isObject(json.routes)) return { ...readFrrTable(json, file, router), kind: "table" };
  const families = Object.entries(json).filter(
    ([k, v]) => /^(ipv4|ipv6|l2vpn)[A-Z]/.test(k) && isObject(v) && isObject(v.peers),
  );
  if (families.length > 0 || isObject(json.peers))
    return { ...readFrrSummary(families.length > 0 ? families : [["", json]], file, router), kind: "summary" };
  const neighbors = Object.entries(json).filter(([, v]) => isObject(v) && typeof v.bgpState === "string");
  if (neighbors.length > 0 && neighbors.length === Object.keys(json).length) {
    const obs = emptyObservations();
    for (const [peer, v] of neighbors) {
      const n = v as Record<string, Json>;
      obs.sessions.push({ source: file, router, peer: canonicalAddress(peer), state: n.bgpState as string });
    }
    return { ...obs, kind: "neighbors" };
  }
  throw new InputError(
    file,
    `is neither a BGP table ("routes"), a summary ("peers") nor neighbors ("bgpState"): top-level keys ${Object.keys(json).slice(0, 6).join(", ") || "none"}`,
    FRR_FIX,
  );
}

function readFrrTable(json: Record<string, Json>, file: string, router: string): Observations {
  const obs = emptyObservations();
  const localAs = typeof json.localAS === "number" ? json.localAS : undefined;
  const routes = json.routes as Record<string, Json>;
  const families = new Set<AddressFamily>();
  for (const [key, paths] of Object.entries(routes)) {
    const prefix = readPrefix(key);
    if (!prefix) throw new InputError(file, `routes: ${JSON.stringify(key)} is not a prefix`, FRR_FIX);
    families.add(prefix.afi);
    if (!Array.isArray(paths)) throw new InputError(file, `routes["${key}"] is not a list of paths`, FRR_FIX);
    paths.forEach((p, i) => {
      const at = `routes["${key}"][${i}]`;
      if (!isObject(p)) throw new InputError(file, `${at} is not an object`, FRR_FIX);
      const pathText = p.path ?? "";
      const asPath = typeof pathText === "string" ? parseAsPath(pathText) : undefined;
      if (!asPath) throw new InputError(file, `${at}.path ${JSON.stringify(p.path)} is not an AS path`, FRR_FIX);
      // An empty path is the router's own route: its origin is the router's AS.
      if (asPath.sequence.length === 0 && !asPath.hasSet && localAs !== undefined) asPath.origin = localAs;
      const peer = typeof p.peerId === "string" && p.peerId !== "(unspec)" ? p.peerId : undefined;
      const nexthops = Array.isArray(p.nexthops) ? p.nexthops : [];
      const nextHop = nexthops.find(isObject)?.ip;
      obs.routes.push({
        prefix: prefix.text,
        asPath,
        source: file,
        router,
        ...(peer !== undefined ? { peer: canonicalAddress(peer) } : {}),
        ...(typeof nextHop === "string" ? { nextHop: canonicalAddress(nextHop) } : {}),
        external: p.pathFrom !== "internal",
      });
    });
  }
  if (families.size > 0)
    obs.tables.push({ source: file, router, afi: families.size === 2 ? "both" : [...families][0] });
  return obs;
}

function readFrrSummary(families: Array<[string, Json]>, file: string, router: string): Observations {
  const obs = emptyObservations();
  const seen = new Set<string>();
  for (const [family, value] of families) {
    const peers = (value as Record<string, Json>).peers as Record<string, Json>;
    for (const [address, v] of Object.entries(peers)) {
      if (!isObject(v)) throw new InputError(file, `${family || "peers"}["${address}"] is not an object`, FRR_FIX);
      if (typeof v.state !== "string")
        throw new InputError(file, `${family || "peers"}["${address}"].state is missing`, FRR_FIX);
      const peer = canonicalAddress(address);
      const afi = /^ipv6/.test(family) ? "ipv6" : /^ipv4/.test(family) ? "ipv4" : familyOf(peer);
      // A neighbor activated in another family than its transport's is reported there too: keep its own.
      if (afi !== familyOf(peer) && families.length > 1) continue;
      if (seen.has(peer)) continue;
      seen.add(peer);
      const s: SessionObservation = { source: file, router, peer, afi, state: v.state };
      if (typeof v.pfxRcd === "number") s.prefixesReceived = v.pfxRcd;
      if (typeof v.pfxSnt === "number") s.prefixesSent = v.pfxSnt;
      obs.sessions.push(s);
    }
  }
  return obs;
}
