/**
 * Helpers every platform's templates share: addressing, labels, sequence numbers, the neutral policy
 * names and the MD5 key. Each is a plain, exported function (unit-tested directly); `SHARED_HELPERS`
 * adapts them to Handlebars. A platform's own helpers, and how it formats the policy model's prefix
 * entries and ASN ranges, live in its profile (`vendors/<vendor>.ts`).
 */
import type { HelperDelegate } from "handlebars";
import { defineHelpers } from "./helperKit";
import { asnLabel, isPolicyKind, policyName, seq, sessionPolicy } from "./policyModel";

/** `cidr("192.0.2.1", 31)` → `192.0.2.1/31`. */
export function cidr(address: string, prefixLength: number): string {
  if (address.includes("/")) throw new Error(`cidr: "${address}" already has a prefix length`);
  return `${address}/${prefixLength}`;
}

/** `200000` Mbit/s → `200 Gbit/s`; `1000` → `1 Gbit/s`; `100` → `100 Mbit/s`. */
export function bandwidthLabel(mbps: number): string {
  if (!Number.isFinite(mbps) || mbps < 0) throw new Error(`bandwidthLabel: invalid bandwidth ${mbps}`);
  return mbps >= 1000 && mbps % 1000 === 0 ? `${mbps / 1000} Gbit/s` : `${mbps} Mbit/s`;
}

/** Whether `{{#if}}` would take the value as true: not false, 0, "", null, undefined or an empty list. */
export function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/** Every helper a template of any platform may use. */
export const SHARED_HELPERS: Readonly<Record<string, HelperDelegate>> = defineHelpers({
  cidr: [2, (a) => cidr(a.str(0), a.num(1))],
  bandwidthLabel: [1, (a) => bandwidthLabel(a.num(0))],
  asnLabel: [1, (a) => asnLabel(a.num(0))],
  seq: [[1, 2], (a) => seq(a.num(0), a.count > 1 ? a.num(1) : undefined)],
  eq: [2, (a) => a.value(0) === a.value(1)],
  or: [2, (a) => truthy(a.value(0)) || truthy(a.value(1))],
  /** Names outside the policy model, e.g. the BFD profile a neighbor uses: `{{policyName "bfd"}}`. */
  policyName: [
    [1, 2],
    (a) => {
      const kind = a.str(0);
      if (!isPolicyKind(kind)) throw new Error(`helper policyName: unknown policy kind "${kind}"`);
      return policyName(kind, a.count > 1 ? a.afi(1) : undefined);
    },
  ],
  sessionPolicy: [
    2,
    (a) => {
      const direction = a.value(0);
      if (direction !== "in" && direction !== "out")
        throw new Error(`helper sessionPolicy: expected "in" or "out", got ${JSON.stringify(direction)}`);
      return sessionPolicy(direction, a.session(1));
    },
  ],
  /** The MD5 key named by a session, resolved (and checked) before rendering. */
  secret: [
    1,
    (a) => {
      const name = a.str(0);
      const value = a.secrets().get(name);
      if (value === undefined) throw new Error(`helper secret: secret "${name}" was not resolved before rendering`);
      return value;
    },
  ],
});
