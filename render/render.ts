/**
 * Pure rendering: RouterPlan + secrets → router config text. No file system here (see templates.ts).
 *
 * Every platform's templates are compiled once, in a Handlebars environment of their own (`noEscape`:
 * configs are not HTML; `strict`: a missing field is an error, never an empty string) that knows the
 * shared helpers and that platform's own (`vendors/<vendor>.ts`), and no other platform's. A
 * template renders the RouterPlan and its vendor-neutral policy model (`policy`, built once per
 * render). Before rendering, every string of the RouterPlan and every resolved secret is checked for
 * control characters, config delimiters and length, so no value can ever add a line or a statement
 * to a router config, whatever the loader let through.
 */
import Handlebars, { type HelperDelegate } from "handlebars";
import type { RouterPlan } from "../plan/model";
import { configFileName, VENDOR_PROFILES, VENDORS, type Vendor, type VendorProfile } from "../vendors";
import { defineHelpers } from "./helperKit";
import { SHARED_HELPERS } from "./helpers";
import { policyModel, type PolicyModel } from "./policyModel";
import { SHARED_DIR, type TemplateSources } from "./templates";

/** Resolves an MD5 key by the name of its Pulumi secret config key. */
export type SecretResolver = (secretName: string) => string;

export interface RenderedConfig {
  hostname: string;
  metro: string;
  vendor: Vendor;
  /** `<hostname>.<the platform's file extension>` (`vendors/<vendor>.ts`). */
  fileName: string;
  text: string;
}

export interface Renderer {
  render(router: RouterPlan, secrets: SecretResolver): RenderedConfig;
}

/** What every MD5 key is rendered as in configs written to disk or shown for review. */
export const REDACTED_SECRET = "REDACTED";
export const redactingResolver: SecretResolver = () => REDACTED_SECRET;

const COMPILE_OPTIONS: CompileOptions = { noEscape: true, strict: true };

/** C0, DEL, C1, LINE SEPARATOR and PARAGRAPH SEPARATOR: anything that could start a new config line. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function describeChar(s: string): string {
  const m = CONTROL_CHARACTER.exec(s);
  const code = m ? m[0].charCodeAt(0) : 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Characters that end, open or comment a statement in at least one dialect we render: `;` `{` `}`
 * (BIRD, Junos), `"` `'` (quoted strings: BIRD and Junos quote the MD5 key and descriptions), `!`
 * (FRR, IOS-XR, EOS comments), `#` (BIRD, Junos, IOS-XR policy comments), `\` and backtick. Neither
 * a value of the model nor an MD5 key may contain one; the loader never lets them into the inventory.
 */
const CONFIG_DELIMITER = /["'\\;{}!#`]/;

/** No string of the model is longer than this; free text from the inventory is shorter still. */
export const MAX_STRING_LENGTH = 255;
/** Free text the inventory gives (names, platforms, prefix descriptions): the loader's limit. */
export const MAX_FREE_TEXT_LENGTH = 80;
/** Descriptions the plan may derive from the peering location (up to 64 characters). */
export const MAX_DESCRIPTION_LENGTH = 128;
const FREE_TEXT_FIELD = /^(spName|platform|legs\[\d+\]\.platform|exports\.ipv[46]\[\d+\]\.description)$/;
const DESCRIPTION_FIELD = /^(legs|sessions|legs\[\d+\]\.sessions)\[\d+\]\.description$/;

function maxLengthOf(field: string): number {
  if (FREE_TEXT_FIELD.test(field)) return MAX_FREE_TEXT_LENGTH;
  if (DESCRIPTION_FIELD.test(field)) return MAX_DESCRIPTION_LENGTH;
  return MAX_STRING_LENGTH;
}

/**
 * The renderer's own guard, whatever the loader let through: throws naming the first field
 * (`legs[0].members[1].interface`) whose string value or object key contains a control character
 * or a config delimiter, or is longer than that field may be.
 */
export function assertSafeForConfig(value: unknown, field = ""): void {
  if (typeof value === "string") {
    const name = field || "(root)";
    if (CONTROL_CHARACTER.test(value)) {
      throw new Error(`field ${name} contains control character ${describeChar(value)}; refusing to render`);
    }
    const delimiter = CONFIG_DELIMITER.exec(value);
    if (delimiter) {
      throw new Error(
        `field ${name} contains ${JSON.stringify(delimiter[0])}, which ends or comments a statement in a router config; refusing to render`,
      );
    }
    const max = maxLengthOf(field);
    if (value.length > max) {
      throw new Error(
        `field ${name} is ${value.length} characters long, more than the ${max} allowed; refusing to render`,
      );
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertSafeForConfig(item, `${field}[${i}]`));
    return;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const child = field ? `${field}.${key}` : key;
      if (CONTROL_CHARACTER.test(key) || CONFIG_DELIMITER.test(key)) {
        throw new Error(
          `field ${JSON.stringify(child)} has a key with a control character or config delimiter; refusing to render`,
        );
      }
      assertSafeForConfig(item, child);
    }
  }
}

/** Resolves every MD5 secret the router's sessions name, checking each value before it is used. */
export function resolveSecrets(router: RouterPlan, resolve: SecretResolver): Map<string, string> {
  const resolved = new Map<string, string>();
  router.sessions.forEach((session, i) => {
    const name = session.md5KeySecret;
    if (name === undefined || resolved.has(name)) return;
    const field = `sessions[${i}].md5KeySecret`;
    const value: unknown = resolve(name);
    if (typeof value !== "string" || value.length === 0) {
      throw new Error(`secret "${name}" (${field}) resolved to an empty or non-string value`);
    }
    if (CONTROL_CHARACTER.test(value)) {
      throw new Error(
        `secret "${name}" (${field}) contains control character ${describeChar(value)}; refusing to render`,
      );
    }
    if (/\s/.test(value)) {
      throw new Error(
        `secret "${name}" (${field}) contains whitespace, which FRR and IOS-XR would not keep as part of the key`,
      );
    }
    if (CONFIG_DELIMITER.test(value)) {
      throw new Error(
        `secret "${name}" (${field}) contains one of " ' \\ ; { } # ! \`, which would end or comment the statement in a router config`,
      );
    }
    resolved.set(name, value);
  });
  return resolved;
}

/**
 * Deterministic layout whatever the templates' whitespace: no trailing spaces, no leading blank
 * lines, no runs of blank lines, exactly one trailing newline.
 */
export function normaliseConfigText(text: string): string {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (line === "" && (out.length === 0 || out[out.length - 1] === "")) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return `${out.join("\n")}\n`;
}

/** What a template renders: the RouterPlan, and its policy model as `policy`. */
export type RenderContext = RouterPlan & { policy: PolicyModel };

/** The helpers of one platform's templates: the shared ones, its formatters and its own. */
export function platformHelpers(profile: VendorProfile): Record<string, HelperDelegate> {
  const own: Record<string, HelperDelegate> = {
    ...defineHelpers({
      prefixEntry: [1, (a) => profile.prefixEntry(a.prefixEntry(0))],
      asPathEntry: [1, (a) => profile.asPathEntry(a.asnRange(0))],
      exactAsPath: [1, (a) => profile.exactAsPath(a.asns(0))],
    }),
    ...profile.helpers,
  };
  const shadowing = Object.keys(own).filter((name) => Object.hasOwn(SHARED_HELPERS, name));
  if (shadowing.length > 0)
    throw new Error(
      `vendors/${profile.id}.ts: helper ${shadowing.join(", ")} would shadow a shared helper of render/helpers.ts`,
    );
  return { ...SHARED_HELPERS, ...own };
}

export function createRenderer(sources: TemplateSources): Renderer {
  const templates = new Map<Vendor, HandlebarsTemplateDelegate>();
  for (const vendor of VENDORS) {
    const env = Handlebars.create();
    for (const [name, fn] of Object.entries(platformHelpers(VENDOR_PROFILES[vendor]))) env.registerHelper(name, fn);
    const compile = (name: string, source: string): HandlebarsTemplateDelegate => {
      try {
        env.parse(source); // surface syntax errors now, not at the first render
      } catch (e) {
        throw new Error(`template ${name}: ${(e as Error).message}`, { cause: e });
      }
      return env.compile(source, COMPILE_OPTIONS);
    };
    const { entry, partials } = sources.vendors[vendor];
    for (const name of Object.keys(sources.shared).sort()) {
      env.registerPartial(`${SHARED_DIR}/${name}`, compile(`${SHARED_DIR}/${name}`, sources.shared[name]));
    }
    for (const name of Object.keys(partials).sort())
      env.registerPartial(name, compile(`${vendor}/${name}`, partials[name]));
    templates.set(vendor, compile(`${vendor}/router`, entry));
  }

  return {
    render(router: RouterPlan, secrets: SecretResolver): RenderedConfig {
      const hostname = JSON.stringify(router.hostname);
      try {
        assertSafeForConfig(router);
      } catch (e) {
        throw new Error(`render ${hostname}: ${(e as Error).message}`, { cause: e });
      }
      const template = templates.get(router.vendor);
      if (template === undefined) throw new Error(`render ${hostname}: no template for vendor "${router.vendor}"`);
      let resolved: Map<string, string>;
      try {
        resolved = resolveSecrets(router, secrets);
      } catch (e) {
        throw new Error(`render ${hostname}: ${(e as Error).message}`, { cause: e });
      }
      let raw: string;
      try {
        const context: RenderContext = { ...router, policy: policyModel(router) };
        raw = template(context, {
          data: { secrets: resolved, commentChar: VENDOR_PROFILES[router.vendor].commentChar },
        });
      } catch (e) {
        throw new Error(`render ${hostname} (${router.vendor} templates): ${(e as Error).message}`, { cause: e });
      }
      const text = normaliseConfigText(raw);
      const bad = text.split("\n").findIndex((line) => CONTROL_CHARACTER.test(line));
      if (bad >= 0) throw new Error(`render ${hostname}: output line ${bad + 1} contains a control character`);
      return {
        hostname: router.hostname,
        metro: router.metro.id,
        vendor: router.vendor,
        fileName: configFileName(router.hostname, router.vendor),
        text,
      };
    },
  };
}
