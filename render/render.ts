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
import Handlebars, { type HelperDelegate, type HelperOptions } from "handlebars";
import type { RouterPlan } from "../plan/model";
import { configFileName, VENDOR_PROFILES, VENDORS, type Vendor, type VendorProfile } from "../vendors";
import { defineHelpers } from "./helperKit";
import { SHARED_HELPERS } from "./helpers";
import {
  policyModel,
  sharedPolicy,
  unspelledPolicy,
  type PolicyDialect,
  type PolicyModel,
  type SharedPolicy,
} from "./policyModel";
import { batchOf, contextReads, RenderBatch, SHARED_PARTIALS } from "./shared";
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

/**
 * Renders routers of one stack, sharing what they render alike (render/shared.ts) across every call
 * on the same handle: the policy model's filters, the shared partials' text and the checks of the
 * shared inputs are built once per handle, not once per router. Each text is exactly `render`'s.
 * A handle keeps what it built for as long as it lives, so it belongs to one plan that nobody changes
 * meanwhile (one `npm run plan`, one run of the Pulumi program).
 */
export interface RouterRenderer {
  render(router: RouterPlan, secrets: SecretResolver): RenderedConfig;
}

export interface Renderer extends RouterRenderer {
  /**
   * `render` with the router's policy model built beforehand (`policyModel(router,
   * VENDOR_PROFILES[router.vendor])`, which it must be): the template engine's part alone, as the
   * bench times it against Jinja2, which is handed the same model. The router's strings are
   * checked as by `render`.
   */
  renderWithPolicy(router: RouterPlan, policy: PolicyModel, secrets: SecretResolver): RenderedConfig;
  /**
   * Every router of one stack, in order, each as it is rendered: the same texts as `render` one by
   * one, but what the routers share (the policy model's filters, the partials of SHARED_PARTIALS,
   * the checks of the shared inputs) is built once (render/shared.ts), not once per router.
   */
  renderAll(routers: Iterable<RouterPlan>, secrets: SecretResolver): Generator<RenderedConfig>;
  /** A handle that renders router after router as `renderAll` does (see RouterRenderer). */
  batch(): RouterRenderer;
}

/** Helpers that read the render data (the resolved MD5 keys): a shared partial must not call them. */
const DATA_HELPERS: ReadonlySet<string> = new Set(["secret"]);

/** Where a router's config is written, under the output folder: `<metro>/<hostname>.<ext>`. */
export function configPath(router: Pick<RouterPlan, "hostname" | "vendor" | "metro">): string {
  return configPathOf({ metro: router.metro.id, fileName: configFileName(router.hostname, router.vendor) });
}

/** `configPath` of the router a config was rendered for. */
export function configPathOf(rendered: Pick<RenderedConfig, "metro" | "fileName">): string {
  return `${rendered.metro}/${rendered.fileName}`;
}

/** What every MD5 key is rendered as in configs written to disk or shown for review. */
export const REDACTED_SECRET = "REDACTED";
export const redactingResolver: SecretResolver = () => REDACTED_SECRET;

const COMPILE_OPTIONS: CompileOptions = { noEscape: true, strict: true };

/** C0, DEL, C1, LINE SEPARATOR and PARAGRAPH SEPARATOR: anything that could start a new config line. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The same, but a newline: what may not appear in a rendered config. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

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

/** The members of a one-class regular expression (`/[abc]/` → `abc`), to merge it with another. */
function classMembers(re: RegExp): string {
  const m = /^\[([^\]]*)\]$/.exec(re.source);
  if (m === null) throw new Error(`internal: ${String(re)} is not one character class`);
  return m[1];
}

/** Either a control character or a config delimiter: one scan per string on the common path. */
const UNSAFE = new RegExp(`[${classMembers(CONTROL_CHARACTER)}${classMembers(CONFIG_DELIMITER)}]`);

/** `legs[0].members[1].interface` from the path below `field`. */
function fieldName(field: string, path: ReadonlyArray<string | number>): string {
  let name = field;
  for (const step of path) name = typeof step === "number" ? `${name}[${step}]` : name ? `${name}.${step}` : step;
  return name;
}

/** The checks of one string of the model, with the name of its field. */
function assertSafeString(value: string, name: string): void {
  if (CONTROL_CHARACTER.test(value)) {
    throw new Error(`field ${name} contains control character ${describeChar(value)}; refusing to render`);
  }
  const delimiter = CONFIG_DELIMITER.exec(value);
  if (delimiter) {
    throw new Error(
      `field ${name} contains ${JSON.stringify(delimiter[0])}, which ends or comments a statement in a router config; refusing to render`,
    );
  }
  const max = maxLengthOf(name);
  if (value.length > max) {
    throw new Error(
      `field ${name} is ${value.length} characters long, more than the ${max} allowed; refusing to render`,
    );
  }
}

/**
 * The renderer's own guard, whatever the loader let through: throws naming the first field
 * (`legs[0].members[1].interface`) whose string value or object key contains a control character
 * or a config delimiter, or is longer than that field may be. It walks every string of the model
 * (thousands per router at thousands of prefixes), so a field is named only for a string that
 * needs its name: one that fails, or one longer than the shortest limit. Within a `batch`, a
 * top-level object already checked under the same field is not walked again.
 */
export function assertSafeForConfig(value: unknown, field = "", batch?: RenderBatch): void {
  const path: Array<string | number> = [];
  const safeKeys = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      if (UNSAFE.test(v) || v.length > MAX_FREE_TEXT_LENGTH) assertSafeString(v, fieldName(field, path) || "(root)");
      return;
    }
    // Below a batch's top level (whose shared objects are checked once per batch), a whole object
    // is first checked in one pass that names no field; only where that pass finds a string that
    // needs its name is it walked with names.
    if ((batch === undefined || path.length > 0) && plainlySafe(v, safeKeys)) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
      return;
    }
    if (typeof v === "object" && v !== null) {
      const record = v as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        path.push(key);
        if (UNSAFE.test(key)) {
          throw new Error(
            `field ${JSON.stringify(fieldName(field, path))} has a key with a control character or config delimiter; refusing to render`,
          );
        }
        const item = record[key];
        // A top-level object that other routers of the batch share (the stack's import and export
        // policy, its originated prefixes, a metro) is checked once per batch, under the same name.
        const shared = batch !== undefined && path.length === 1 && typeof item === "object" && item !== null;
        const name = shared ? fieldName(field, path) : "";
        if (!shared || !batch.wasChecked(name, item)) {
          walk(item);
          if (shared) batch.noteChecked(name, item);
        }
        path.pop();
      }
    }
  };
  walk(value);
}

/**
 * Whether every string and object key within `v` is free of control characters and config
 * delimiters, and every string no longer than the shortest limit (so that no field needs a name):
 * what `assertSafeForConfig` then passes without naming anything. `safeKeys`: keys found safe
 * already, for this one check (a model repeats the same few keys thousands of times).
 */
function plainlySafe(v: unknown, safeKeys: Set<string>): boolean {
  if (typeof v === "string") return v.length <= MAX_FREE_TEXT_LENGTH && !UNSAFE.test(v);
  if (typeof v !== "object" || v === null) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!plainlySafe(v[i], safeKeys)) return false;
    return true;
  }
  const record = v as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    if (!safeKeys.has(key)) {
      if (UNSAFE.test(key)) return false;
      safeKeys.add(key);
    }
    if (!plainlySafe(record[key], safeKeys)) return false;
  }
  return true;
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

/** Characters other than the newline at which a multi-line regular expression's `$` also matches. */
const OTHER_LINE_TERMINATOR = /[\r\u2028\u2029]/;

/**
 * Deterministic layout whatever the templates' whitespace: no trailing spaces, no leading blank
 * lines, no runs of blank lines, exactly one trailing newline. Line by line (a config of thousands
 * of prefixes is tens of thousands of lines, and an unanchored `\n+$` is tried at every newline);
 * a text with a carriage return or a Unicode line separator, which a rendered config may never
 * hold, takes the regular expressions that define the result.
 */
export function normaliseConfigText(text: string): string {
  if (OTHER_LINE_TERMINATOR.test(text)) {
    const body = text
      .replace(/[^\S\n]+$/gm, "")
      .replace(/\n{3,}/g, "\n\n")
      .replace(/^\n+/, "")
      .replace(/\n+$/, "");
    return `${body}\n`;
  }
  return normaliseLines(text);
}

/**
 * `normaliseConfigText` of a text that has no line terminator but the newline. It copies runs of
 * lines that need nothing as slices of the text (a rendered config is mostly such runs) instead of
 * splitting it into tens of thousands of lines and joining them again.
 */
function normaliseLines(text: string): string {
  const pieces: string[] = [];
  /** The run of kept lines being copied, `text.slice(runStart, runEnd)`; none while runStart < 0. */
  let runStart = -1;
  let runEnd = -1;
  /** Whether blank lines came since the run: the next kept line starts a new run after one blank line. */
  let blank = false;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let trimmed = end;
    while (trimmed > start && isTrimmedByTrimEnd(text.charCodeAt(trimmed - 1))) trimmed--;
    if (trimmed === start) {
      blank = runStart >= 0;
    } else if (runStart >= 0 && !blank && runEnd === start - 1) {
      runEnd = trimmed; // the line follows the run's last line, which kept its whole length
    } else {
      if (runStart >= 0) pieces.push(text.slice(runStart, runEnd));
      if (blank) pieces.push(""); // joined: one blank line
      runStart = start;
      runEnd = trimmed;
      blank = false;
    }
    start = end + 1;
  }
  if (runStart >= 0) pieces.push(text.slice(runStart, runEnd));
  return `${pieces.join("\n")}\n`;
}

/** Whether `String.prototype.trimEnd` removes the character (white space or a line terminator). */
function isTrimmedByTrimEnd(c: number): boolean {
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * `normaliseConfigText`, or undefined when the normalised text holds a control character other
 * than the newline. A normalised text holds no character its text lacks but newlines, so a text
 * without one (every rendered config) is checked in one scan before it is normalised, not after.
 */
export function normaliseIfSafe(text: string): string | undefined {
  if (!CONTROL_CHARACTER_BUT_NEWLINE.test(text)) return normaliseLines(text);
  const normalised = normaliseConfigText(text);
  return CONTROL_CHARACTER_BUT_NEWLINE.test(normalised) ? undefined : normalised;
}

/** What a template renders: the RouterPlan, and its policy model as `policy`. */
export type RenderContext = RouterPlan & { policy: PolicyModel };

/** The helpers of one platform's templates: the shared ones, its formatters and its own. */
export function platformHelpers(profile: VendorProfile): Record<string, HelperDelegate> {
  const own: Record<string, HelperDelegate> = {
    ...defineHelpers({
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
    const helpers = platformHelpers(VENDOR_PROFILES[vendor]);
    for (const [name, fn] of Object.entries(helpers)) env.registerHelper(name, fn);
    // Every helper known when compiling: a mustache is then a plain lookup or a direct helper call,
    // not a lookup in both (and a template naming a helper the platform lacks fails to compile).
    const options: CompileOptions = {
      ...COMPILE_OPTIONS,
      knownHelpers: Object.fromEntries(Object.keys(helpers).map((name) => [name, true])),
      knownHelpersOnly: true,
    };
    const compile = (name: string, source: string): HandlebarsTemplateDelegate => {
      try {
        env.parse(source); // surface syntax errors now, not at the first render
      } catch (e) {
        throw new Error(`template ${name}: ${(e as Error).message}`, { cause: e });
      }
      return env.compile(source, options);
    };
    const { entry, partials } = sources.vendors[vendor];
    for (const name of Object.keys(sources.shared).sort()) {
      env.registerPartial(`${SHARED_DIR}/${name}`, compile(`${SHARED_DIR}/${name}`, sources.shared[name]));
    }
    const helperNames = new Set(Object.keys(helpers));
    for (const name of Object.keys(partials).sort()) {
      const compiled = compile(`${vendor}/${name}`, partials[name]);
      if (!SHARED_PARTIALS.includes(name)) {
        env.registerPartial(name, compiled);
        continue;
      }
      // Proven at compile time to read nothing but these fields of its context (render/shared.ts):
      // within a batch, the same values give the same text, rendered once.
      const reads = contextReads(`${vendor}/${name}`, env.parse(partials[name]), helperNames, DATA_HELPERS);
      const kind = `${vendor}/${name}`;
      const shared = (context: Record<string, unknown>, options: HelperOptions): string => {
        const batch = batchOf(options);
        // An indented call (`  {{> name}}`): Handlebars indents every line of the text a partial
        // returns, so a placeholder would stand for one indented line only: render it in place.
        if (batch === undefined || (options as HelperOptions & { indent?: string }).indent)
          return compiled(context, options);
        return batch.shared(
          kind,
          reads.map((field) => context[field]),
          () => batch.segment(compiled(context, options)),
        );
      };
      env.registerPartial(name, shared as unknown as HandlebarsTemplateDelegate);
    }
    templates.set(vendor, compile(`${vendor}/router`, entry));
  }

  const renderOne = (
    router: RouterPlan,
    secrets: SecretResolver,
    batch?: RenderBatch,
    policy?: PolicyModel,
  ): RenderedConfig => {
    const hostname = JSON.stringify(router.hostname);
    try {
      assertSafeForConfig(router, "", batch);
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
      // The stack's shared part of the policy model, once per batch (its costly unspelled part)
      // and way of spelling its entries (FRR and EOS spell them alike): its filters are then the
      // same objects for every router of those platforms, which is what lets the shared partials
      // reuse their text.
      const dialect: PolicyDialect = VENDOR_PROFILES[router.vendor];
      let shared: SharedPolicy | undefined;
      if (batch !== undefined && policy === undefined) {
        const unspelled = batch.shared("policy", [router.imports, router.exports, router.asn, router.originated], () =>
          unspelledPolicy(router),
        );
        shared = batch.shared("spelled", [unspelled, dialect.prefixEntry, dialect.prefixListKeyword], () =>
          sharedPolicy(router, dialect, unspelled),
        );
      }
      const context: RenderContext = { ...router, policy: policy ?? policyModel(router, dialect, shared) };
      raw = template(context, {
        data: { secrets: resolved, commentChar: VENDOR_PROFILES[router.vendor].commentChar, batch },
      });
    } catch (e) {
      throw new Error(`render ${hostname} (${router.vendor} templates): ${(e as Error).message}`, { cause: e });
    }
    // Within a batch, the shared partials' text is normalised and checked once (render/shared.ts).
    let text = batch?.assemble(raw);
    if (text === undefined) {
      const whole = batch === undefined ? raw : batch.expand(raw);
      text = normaliseIfSafe(whole);
      if (text === undefined) {
        const normalised = normaliseConfigText(whole);
        const bad = CONTROL_CHARACTER_BUT_NEWLINE.exec(normalised);
        const line = normalised.slice(0, bad?.index).split("\n").length;
        throw new Error(`render ${hostname}: output line ${line} contains a control character`);
      }
    }
    return {
      hostname: router.hostname,
      metro: router.metro.id,
      vendor: router.vendor,
      fileName: configFileName(router.hostname, router.vendor),
      text,
    };
  };

  const batch = (): RouterRenderer => {
    const shared = new RenderBatch(normaliseConfigText, (text) => !CONTROL_CHARACTER_BUT_NEWLINE.test(text));
    return { render: (router, secrets) => renderOne(router, secrets, shared) };
  };
  return {
    render: (router, secrets) => renderOne(router, secrets),
    renderWithPolicy: (router, policy, secrets) => renderOne(router, secrets, undefined, policy),
    *renderAll(routers, secrets) {
      const handle = batch();
      for (const router of routers) yield handle.render(router, secrets);
    },
    batch,
  };
}
