/**
 * The Handlebars boundary. Every template helper is a plain, typed, unit-tested function; here it is
 * adapted to Handlebars, which passes `unknown`: the adapter checks the number and the types of what
 * a template passes in, so a template mistake fails loudly (naming the helper) instead of rendering
 * garbage. Shared helpers (`render/helpers.ts`) and each platform's own (`vendors/<vendor>.ts`) are
 * defined the same way.
 */
import type { HelperDelegate, HelperOptions } from "handlebars";
import type { AddressFamily, BgpSession, Leg, MaxPrefixLimit } from "../plan/model";
import type { AsnRange } from "./policyModel";

/** What a template passed to a helper, read with the type the helper expects. */
export class HelperArgs {
  /** `params`: what the template passed, the first `count` (Handlebars' options follow them). */
  constructor(
    readonly helper: string,
    private readonly params: ArrayLike<unknown>,
    readonly count: number,
    readonly options: HelperOptions,
  ) {}

  private at(i: number): unknown {
    return i < this.count ? this.params[i] : undefined;
  }

  value(i: number): unknown {
    return this.at(i);
  }

  private fail(expected: string, got: unknown): never {
    throw new Error(`helper ${this.helper}: expected ${expected}, got ${JSON.stringify(got)}`);
  }

  num(i: number): number {
    const x = this.at(i);
    return typeof x === "number" && Number.isFinite(x) ? x : this.fail("a number", x);
  }

  str(i: number): string {
    const x = this.at(i);
    return typeof x === "string" ? x : this.fail("a string", x);
  }

  afi(i: number): AddressFamily {
    const x = this.at(i);
    return x === "ipv4" || x === "ipv6" ? x : this.fail('"ipv4" or "ipv6"', x);
  }

  asnRange(i: number): AsnRange {
    const x = this.at(i);
    if (!Array.isArray(x) || x.length !== 2 || !x.every((n) => typeof n === "number"))
      this.fail("an [from, to] ASN range", x);
    return [x[0], x[1]];
  }

  asns(i: number): number[] {
    const x = this.params[i];
    if (!Array.isArray(x) || !x.every((n) => typeof n === "number" && Number.isInteger(n)))
      this.fail("a list of ASNs", x);
    return [...(x as number[])];
  }

  maxPrefix(i: number): MaxPrefixLimit {
    const x = this.at(i);
    if (typeof x !== "object" || x === null || !("limit" in x) || !("action" in x) || !("warningPercent" in x)) {
      this.fail("a maxPrefix object", x);
    }
    return x as MaxPrefixLimit;
  }

  session(i: number): Pick<BgpSession, "afi" | "drain"> {
    const x = this.at(i);
    if (typeof x !== "object" || x === null || !("afi" in x) || !("drain" in x)) this.fail("a BGP session", x);
    if (typeof x.drain !== "boolean") throw new Error(`helper ${this.helper}: session.drain must be true or false`);
    return { afi: x.afi === "ipv4" || x.afi === "ipv6" ? x.afi : this.fail('"ipv4" or "ipv6"', x.afi), drain: x.drain };
  }

  legs(i: number): Array<Pick<Leg, "interface">> {
    const x = this.at(i);
    if (
      !Array.isArray(x) ||
      !x.every(
        (l) => typeof l === "object" && l !== null && typeof (l as { interface?: unknown }).interface === "string",
      )
    ) {
      this.fail("the router's legs", x);
    }
    return x as Array<Pick<Leg, "interface">>;
  }

  /** Secrets resolved for this render, passed as `data.secrets` by the renderer. */
  secrets(): ReadonlyMap<string, string> {
    const data: unknown = this.options.data;
    const s = typeof data === "object" && data !== null ? (data as { secrets?: unknown }).secrets : undefined;
    if (!(s instanceof Map)) throw new Error(`helper ${this.helper}: no secrets were passed to the template`);
    return s as ReadonlyMap<string, string>;
  }
}

/** The number of arguments (or a [min, max] range) and the body reading them. */
export type HelperSpec = readonly [arity: number | readonly [number, number], body: (args: HelperArgs) => unknown];

function isOptions(x: unknown): x is HelperOptions {
  return typeof x === "object" && x !== null && "data" in x && "hash" in x;
}

/** Handlebars helpers from specs: `defineHelpers({ netmask: [1, (a) => netmask(a.num(0))] })`. */
export function defineHelpers(specs: Readonly<Record<string, HelperSpec>>): Record<string, HelperDelegate> {
  return Object.fromEntries(
    Object.entries(specs).map(([name, [arity, body]]) => {
      const [min, max] = typeof arity === "number" ? [arity, arity] : arity;
      // Called for every line of a prefix list: no rest parameters, no copy of the arguments.
      const delegate = function (this: unknown): unknown {
        // eslint-disable-next-line prefer-rest-params -- see above
        const args = arguments as ArrayLike<unknown>;
        const count = args.length - 1;
        const options = args[count];
        if (!isOptions(options)) throw new Error(`helper ${name}: called without Handlebars options`);
        if (count < min || count > max) {
          throw new Error(`helper ${name}: expected ${min === max ? min : `${min}..${max}`} argument(s), got ${count}`);
        }
        return body(new HelperArgs(name, args, count, options));
      } as HelperDelegate;
      return [name, delegate];
    }),
  );
}
