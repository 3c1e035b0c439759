/**
 * YAML with source positions, checked against the JSON Schemas shipped in `schema/` (the same files
 * editors use through the `# yaml-language-server: $schema=` line), so every schema error becomes a
 * `file:line field: what is wrong. Fix: how` problem.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import {
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Pair,
  type Scalar,
  type YAMLMap,
} from "yaml";
import commonSchema from "../schema/common.schema.json";
import customerSchema from "../schema/customer.schema.json";
import lockSchema from "../schema/lock.schema.json";
import metroSchema from "../schema/metro.schema.json";
import spSchema from "../schema/sp.schema.json";
import type { Problem } from "./problem";

export interface SourceFile {
  /** Path as shown to the engineer (relative to the repository root). */
  file: string;
  text: string;
}

export type SchemaName = "sp" | "metro" | "lock" | "customer";

/** Alias resolutions a file may make (the yaml package's own default is 100). */
export const MAX_ALIAS_COUNT = 100;

type YamlKey = string | number;

/**
 * The child of a YAML node at one step of a path, as yaml's own `getIn` finds it (a mapping's key
 * by its scalar value, the first pair that has it; a sequence's item by an integer index, also one
 * written as a string), but by a key index built once per mapping: `getIn` scans a mapping's pairs
 * for every lookup, so asking for the line of every field of a 10,000-entry mapping was quadratic.
 */
class NodeIndex {
  private readonly keys = new WeakMap<YAMLMap, Map<unknown, Pair>>();

  pairOf(map: YAMLMap, key: YamlKey): Pair | undefined {
    let index = this.keys.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items)
        if (isScalar(pair.key) && !index.has(pair.key.value)) index.set(pair.key.value, pair);
      this.keys.set(map, index);
    }
    return index.get(key);
  }

  /** yaml's `asItemIndex`: an integer, or a string that is one. */
  static itemIndex(key: YamlKey): number | undefined {
    const i = typeof key === "string" && key !== "" ? Number(key) : key;
    return typeof i === "number" && Number.isInteger(i) && i >= 0 ? i : undefined;
  }

  child(node: unknown, key: YamlKey): unknown {
    if (isMap(node)) return this.pairOf(node, key)?.value ?? undefined;
    if (isSeq(node)) {
      const i = NodeIndex.itemIndex(key);
      return i === undefined ? undefined : node.items[i];
    }
    return undefined;
  }

  /** `doc.getIn(path, true)`. */
  nodeAt(root: unknown, path: ReadonlyArray<YamlKey>): unknown {
    let node = root;
    for (const key of path) {
      if (!isMap(node) && !isSeq(node)) return undefined;
      node = this.child(node, key);
    }
    return node;
  }

  /** `doc.hasIn(path)`: the last step's key exists (its value may be null). */
  has(root: unknown, path: ReadonlyArray<YamlKey>): boolean {
    if (path.length === 0) return root !== undefined;
    const parent = this.nodeAt(root, path.slice(0, -1));
    const key = path[path.length - 1];
    if (isMap(parent)) return this.pairOf(parent, key) !== undefined;
    if (isSeq(parent)) {
      const i = NodeIndex.itemIndex(key);
      return i !== undefined && i < parent.items.length;
    }
    return false;
  }
}

/** A parsed YAML document that can still say on which line each field was written. */
export class LocatedDocument {
  private readonly index = new NodeIndex();

  constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  toJS(): unknown {
    return this.doc.toJS();
  }

  /** Whether the file itself writes the value at `path` (a default filled in by the schema does not count). */
  has(path: ReadonlyArray<string | number>): boolean {
    return this.index.has(this.doc.contents, path);
  }

  /** 1-based line of the value at `path` (or of the closest existing parent). */
  lineOf(path: ReadonlyArray<string | number>): number {
    const nodes: unknown[] = [this.doc.contents];
    for (const key of path) {
      const parent = nodes[nodes.length - 1];
      if (!isMap(parent) && !isSeq(parent)) break;
      nodes.push(this.index.child(parent, key));
    }
    for (let depth = nodes.length - 1; depth >= 0; depth--) {
      const node = nodes[depth];
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }

  /**
   * Lines of every scalar below `path`, keyed by their field name relative to it
   * (`router.hostname`, `members[0].interface`), so later stages can point at the exact line.
   */
  linesBelow(path: ReadonlyArray<string | number>): Record<string, number> {
    const lines: Record<string, number> = {};
    const walk = (node: unknown, p: Array<string | number>) => {
      if (isNode(node) && node.range && p.length > 0) lines[fieldName(p)] = this.lines.linePos(node.range[0]).line;
      // As getIn finds them: the first pair of a repeated key (the loader refuses repeated keys anyway).
      if (isMap(node))
        for (const pair of node.items)
          if (isScalar(pair.key)) {
            const key = String(pair.key.value);
            walk(this.index.child(node, key), [...p, key]);
          }
      if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...p, i]));
    };
    walk(this.index.nodeAt(this.doc.contents, path), []);
    return lines;
  }

  /** 1-based line of the key `key` in the mapping at `path` (used for unknown fields). */
  lineOfKey(path: ReadonlyArray<string | number>, key: string): number {
    const parent = this.index.nodeAt(this.doc.contents, path);
    if (isMap(parent)) {
      const pair = this.index.pairOf(parent, key);
      if (pair && isScalar(pair.key) && pair.key.range) return this.lines.linePos(pair.key.range[0]).line;
    }
    return this.lineOf(path);
  }
}

/**
 * The first key that repeats a key before it in the same mapping (yaml's `uniqueKeys`: scalar keys
 * with equal values), in one pass over the document. yaml's own check compares each key with every
 * key before it: quadratic in a mapping's size.
 */
function firstDuplicateKey(root: unknown): Scalar | undefined {
  let first: Scalar | undefined;
  const at = (key: Scalar) => key.range?.[0] ?? Infinity;
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          if (seen.has(pair.key.value) && (first === undefined || at(pair.key) < at(first))) first = pair.key;
          seen.add(pair.key.value);
        }
        visit(pair.key);
        visit(pair.value);
      }
    } else if (isSeq(node)) for (const item of node.items) visit(item);
    else if (isPair(node)) {
      visit(node.key);
      visit(node.value);
    }
  };
  visit(root);
  return first;
}

let validators: Record<SchemaName, ValidateFunction> | undefined;

function compiledValidators(): Record<SchemaName, ValidateFunction> {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, strict: true });
    // Our own annotations: the fix hint shown with a failing field, and with a missing required one.
    ajv.addVocabulary(["x-hint", "x-missing-hint"]);
    ajv.addSchema(commonSchema);
    validators = {
      sp: ajv.compile(spSchema),
      metro: ajv.compile(metroSchema),
      lock: ajv.compile(lockSchema),
      customer: ajv.compile(customerSchema),
    };
  }
  return validators;
}

/** Parses and schema-checks one file. On success returns the document (defaults filled in). */
export function parseAndValidate(
  source: SourceFile,
  schema: SchemaName,
): { doc: LocatedDocument; value: unknown; problems: Problem[] } {
  const parse = (uniqueKeys: boolean) => {
    const lineCounter = new LineCounter();
    return { lines: lineCounter, doc: parseDocument(source.text, { lineCounter, uniqueKeys }) };
  };
  // Repeated keys are found in one pass below (yaml's `uniqueKeys` is quadratic in a mapping's size).
  let { doc, lines } = parse(false);
  const duplicate = doc.errors.length === 0 ? firstDuplicateKey(doc.contents) : undefined;
  // A file that fails anyway, or repeats an empty key (yaml places that error after the key's own
  // position): parsed again with yaml's own check, so the first error is the one yaml reports first.
  if (doc.errors.length > 0 || (duplicate?.range && duplicate.range[0] === duplicate.range[1]))
    ({ doc, lines } = parse(true));
  const located = new LocatedDocument(source.file, doc, lines);
  const problem = (line: number, message: string): Problem => ({
    file: source.file,
    line,
    field: "",
    message: `is not valid YAML: ${message}`,
    fix: "correct the YAML syntax at that line (indentation, a missing colon, or a duplicated key)",
  });
  // The first YAML error is the real one; the parser's follow-on errors only repeat it.
  const problems: Problem[] = doc.errors
    .slice(0, 1)
    .map((e) =>
      problem(e.linePos?.[0]?.line ?? 1, e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")),
    );
  // yaml's own wording, at the line of the repeated key (where yaml reports it).
  if (problems.length === 0 && duplicate?.range)
    problems.push(problem(lines.linePos(duplicate.range[0]).line, "Map keys must be unique"));
  if (problems.length > 0) return { doc: located, value: undefined, problems };

  let parsed: unknown;
  try {
    // An alias bomb (aliases of aliases, "billion laughs") expands exponentially: the yaml package
    // refuses more than MAX_ALIAS_COUNT alias resolutions and throws, which is the file's fault.
    parsed = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError || /alias/i.test((e as Error).message)) {
      return {
        doc: located,
        value: undefined,
        problems: [
          {
            file: source.file,
            line: 1,
            field: "",
            message: `expands YAML aliases (*name) more than ${MAX_ALIAS_COUNT} times, which a hand-written inventory never does (an alias bomb)`,
            fix: "write the values out instead of nesting anchors (&name) and aliases (*name)",
          },
        ],
      };
    }
    throw e;
  }
  const value: unknown = parsed ?? {};
  const validate = compiledValidators()[schema];
  if (!validate(value)) {
    problems.push(...schemaProblems(located, validate.errors ?? []));
  }
  return { doc: located, value, problems };
}

function pathOf(instancePath: string): Array<string | number> {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `legs[1].router.hostname` */
export function fieldName(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function schemaProblems(doc: LocatedDocument, errors: ErrorObject[]): Problem[] {
  const problems: Problem[] = [];
  // `anyOf`/`oneOf` wrappers repeat what their branches said; the branch errors are the useful ones.
  for (const e of errors.filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf" && e.keyword !== "if")) {
    const path = pathOf(e.instancePath);
    const hint = (e.parentSchema as { "x-hint"?: string } | undefined)?.["x-hint"];
    const at = (field: string, line: number, message: string, fix: string): Problem => ({
      file: doc.file,
      line,
      field,
      message,
      fix,
    });
    switch (e.keyword) {
      case "additionalProperties": {
        const extra = String((e.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
        const guess = closest(extra, allowed);
        problems.push(
          at(
            fieldName([...path, extra]),
            doc.lineOfKey(path, extra),
            "is not a known field",
            guess
              ? `did you mean \`${guess}\`? (allowed here: ${allowed.join(", ")})`
              : `remove it (allowed here: ${allowed.join(", ")})`,
          ),
        );
        break;
      }
      case "required": {
        const missing = String((e.params as { missingProperty: string }).missingProperty);
        const properties = (
          e.parentSchema as { properties?: Record<string, { "x-missing-hint"?: string }> } | undefined
        )?.properties;
        const why = properties?.[missing]?.["x-missing-hint"];
        problems.push(
          at(
            fieldName([...path, missing]),
            doc.lineOf(path),
            "is required but missing",
            `add \`${missing}:\` here${why ? `: ${why}` : ""}`,
          ),
        );
        break;
      }
      case "enum": {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v));
        problems.push(
          at(
            fieldName(path),
            doc.lineOf(path),
            `is ${JSON.stringify(e.data)}, not one of ${allowed.join(", ")}`,
            hint ?? `use one of ${allowed.join(", ")}`,
          ),
        );
        break;
      }
      case "maxLength":
        problems.push(
          at(
            fieldName(path),
            doc.lineOf(path),
            `${describeBadText(e.data)} is longer than the ${(e.params as { limit: number }).limit} characters allowed`,
            hint ?? "shorten it",
          ),
        );
        break;
      case "pattern":
        problems.push(
          at(
            fieldName(path),
            doc.lineOf(path),
            `${describeBadText(e.data)} is not allowed here`,
            hint ?? "correct the value",
          ),
        );
        break;
      default:
        problems.push(at(fieldName(path), doc.lineOf(path), e.message ?? "is not valid", hint ?? "correct the value"));
    }
  }
  return problems;
}

/** Shows a rejected value safely: control characters are named, never echoed raw. */
export function describeBadText(data: unknown): string {
  if (typeof data !== "string") return `value ${JSON.stringify(data)}`;
  const shown = quoteSafely(data.length > 40 ? `${data.slice(0, 40)}…` : data);
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.exec(data);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    const name = control[0] === "\n" ? "a newline" : `control character U+${code}`;
    return `value ${shown} contains ${name}, which`;
  }
  return `value ${shown}`;
}

/** JSON-style quoting that escapes every control character, U+2028 and U+2029 included. */
export function quoteSafely(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The allowed name nearest to a misspelt one, if it is near enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
