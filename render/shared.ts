/**
 * What the routers of one stack render alike. Every router announces the same registered prefixes
 * and filters the same bogons and the same own prefixes (Microsoft wants the prefixes announced
 * identically at every metro), so a platform's import filters and export policies come out the same
 * for every router: thousands of lines each at thousands of prefixes. `Renderer.renderAll` renders
 * such a partial once per platform and distinct input, and reuses the text for the next router.
 *
 * That is sound only for a partial whose text depends on nothing but its own context, and on that
 * context only through fields it names. `contextReads` proves it from the partial's syntax tree when
 * the templates are compiled: no `@root` or other render data, no `../` leaving the partial, no
 * partial inside it, no helper that reads the render data (the MD5 `secret`); and it returns the
 * fields the partial reads, which make the key its text is reused under.
 */
import type { HelperOptions } from "handlebars";

/** The partials rendered once per platform and input within a stack (each platform has them). */
export const SHARED_PARTIALS: readonly string[] = ["import-filters", "export-policy", "static"];

/** Data variables of the partial's own `each` iterations: the only render data it may read. */
const ITERATION_DATA = new Set(["index", "first", "last", "key"]);
/** Built-in blocks that render their body in a new context (`../` climbs out of it). */
const NEW_CONTEXT_BLOCKS = new Set(["each", "with"]);
/** Built-in blocks that render their body in the same context. */
const SAME_CONTEXT_BLOCKS = new Set(["if", "unless"]);

/** A shared partial that could depend on more than its context. */
export class SharedPartialError extends Error {}

/**
 * The top-level fields of its context that the partial `name` reads, sorted. Throws
 * SharedPartialError naming the expression when its text could depend on anything else.
 * `helpers` are the helpers its platform knows; `dataHelpers` those among them that read the
 * render data.
 */
export function contextReads(
  name: string,
  ast: hbs.AST.Program,
  helpers: ReadonlySet<string>,
  dataHelpers: ReadonlySet<string>,
): string[] {
  const reads = new Set<string>();
  const refuse = (node: hbs.AST.Node, why: string): never => {
    throw new SharedPartialError(
      `partial ${name} (line ${node.loc.start.line}) is rendered once for every router of a stack (render/shared.ts), so it may depend on its own context only: ${why}`,
    );
  };
  /** `level`: how many contexts the partial's own blocks have entered; `locals`: block params in scope. */
  const value = (node: hbs.AST.Node, level: number, locals: ReadonlySet<string>): void => {
    switch (node.type) {
      case "PathExpression": {
        const p = node as hbs.AST.PathExpression;
        if (p.data) {
          if (!ITERATION_DATA.has(p.parts[0]) || level === 0) refuse(p, `it reads @${p.original.replace(/^@/, "")}`);
          return;
        }
        if (p.depth === 0 && locals.has(p.parts[0])) return;
        if (p.depth > level) refuse(p, `${p.original} reaches outside the partial`);
        if (p.depth < level) return; // a field of one of its own blocks' contexts
        if (p.parts.length === 0) refuse(p, `${p.original} reads its whole context, not named fields`);
        reads.add(p.parts[0]);
        return;
      }
      case "SubExpression":
        call(node as hbs.AST.SubExpression, level, locals);
        return;
      case "StringLiteral":
      case "NumberLiteral":
      case "BooleanLiteral":
      case "UndefinedLiteral":
      case "NullLiteral":
        return;
      default:
        refuse(node, `a ${node.type} is not understood here`);
    }
  };
  const args = (
    n: { params: hbs.AST.Expression[]; hash?: hbs.AST.Hash },
    level: number,
    locals: ReadonlySet<string>,
  ) => {
    for (const p of n.params) value(p, level, locals);
    for (const pair of n.hash?.pairs ?? []) value(pair.value, level, locals);
  };
  const call = (
    n: hbs.AST.MustacheStatement | hbs.AST.SubExpression,
    level: number,
    locals: ReadonlySet<string>,
  ): void => {
    const path = n.path as hbs.AST.PathExpression;
    const helper = path.type === "PathExpression" && !path.data && path.depth === 0 ? path.original : undefined;
    if (helper !== undefined && helpers.has(helper)) {
      if (dataHelpers.has(helper)) refuse(n, `helper ${helper} reads the render data`);
      args(n, level, locals);
      return;
    }
    if (n.params.length > 0 || (n.hash?.pairs.length ?? 0) > 0)
      refuse(n, `${path.original} is no helper of the platform`);
    value(path, level, locals);
  };
  const program = (p: hbs.AST.Program | undefined, level: number, locals: ReadonlySet<string>): void => {
    for (const statement of p?.body ?? []) {
      switch (statement.type) {
        case "ContentStatement":
        case "CommentStatement":
          break;
        case "MustacheStatement":
          call(statement as hbs.AST.MustacheStatement, level, locals);
          break;
        case "BlockStatement": {
          const b = statement as hbs.AST.BlockStatement;
          const block = b.path.original;
          args(b, level, locals);
          const inner = b.program?.blockParams?.length ? new Set([...locals, ...b.program.blockParams]) : locals;
          if (NEW_CONTEXT_BLOCKS.has(block)) program(b.program, level + 1, inner);
          else if (SAME_CONTEXT_BLOCKS.has(block)) program(b.program, level, inner);
          else refuse(b, `block ${block} is not a built-in block`);
          program(b.inverse, level, locals);
          break;
        }
        default:
          refuse(statement, `a ${statement.type} (a partial or decorator inside it) is not allowed`);
      }
    }
  };
  program(ast, 0, new Set());
  return [...reads].sort();
}

/**
 * Segments: the text of a shared partial, thousands of lines at thousands of prefixes, is normalised
 * and checked once per batch instead of once in every router's config. It stands in the router's raw
 * text as a one-line placeholder; the router's text is normalised with it, and the placeholder then
 * replaced by the segment's normalised text. That equals normalising the whole text when the
 * segment is whole lines whose first and last are not blank (no line and no blank run crosses its
 * edges, so the placeholder line stands for it exactly) and its placeholder starts a line:
 * `segment` and `assemble` check both, and the whole text is normalised as before otherwise.
 */
// eslint-disable-next-line no-control-regex -- NUL marks a placeholder: no checked text contains one
const PLACEHOLDER = /\u0000(\d+)\u0000\n/g;
const FIRST_LINE_BLANK = /^[^\S\n]*\n/;
const LAST_LINE_BLANK = /(^|\n)[^\S\n]*\n$/;

/**
 * What one stack's render shares: kept only while its routers render (`Renderer.renderAll`, or one
 * `Renderer.batch()` handle), so that nothing outlives a plan the caller might change afterwards.
 */
export class RenderBatch {
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private readonly memo = new Map<string, unknown>();
  private readonly checked = new Map<string, WeakSet<object>>();
  /** The segments, raw and normalised, by the number in their placeholder. */
  private readonly segments: Array<{ raw: string; normalised: string }> = [];

  /**
   * `normalise`: the renderer's normalisation of a whole config; `isSafe`: whether a normalised
   * text may appear in a config as it is (no control character).
   */
  constructor(
    private readonly normalise: (text: string) => string,
    private readonly isSafe: (text: string) => boolean,
  ) {}

  /** A key part: objects and functions by identity, everything else by value. */
  private part(v: unknown): string {
    if ((typeof v === "object" && v !== null) || typeof v === "function") {
      let id = this.ids.get(v);
      if (id === undefined) {
        id = this.nextId++;
        this.ids.set(v, id);
      }
      return `#${id}`;
    }
    return v === undefined ? "u" : JSON.stringify(v);
  }

  /** What `build` makes of `parts`: built the first time, reused for the same parts after. */
  shared<T>(kind: string, parts: readonly unknown[], build: () => T): T {
    const key = `${kind}\0${parts.map((p) => this.part(p)).join("\0")}`;
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const built = build();
    this.memo.set(key, built);
    return built;
  }

  /** What a shared partial returns for its text: a placeholder, or the text itself if it cannot stand alone. */
  segment(text: string): string {
    if (!text.endsWith("\n") || FIRST_LINE_BLANK.test(text) || LAST_LINE_BLANK.test(text)) return text;
    if (text.includes("\u0000")) return text;
    const normalised = this.normalise(text);
    if (!this.isSafe(normalised)) return text; // the whole text's check reports it, with its line
    this.segments.push({ raw: text, normalised });
    return `\u0000${this.segments.length - 1}\u0000\n`;
  }

  /**
   * A router's normalised config from its raw text (placeholders in it), or undefined when the
   * placeholders do not all start a line or the rest of the text is not safe: then `expand` it and
   * normalise the whole.
   */
  assemble(raw: string): string | undefined {
    const text = this.normalise(raw);
    const pieces: string[] = [];
    let last = 0;
    for (const m of text.matchAll(PLACEHOLDER)) {
      if (m.index > 0 && text[m.index - 1] !== "\n") return undefined;
      pieces.push(text.slice(last, m.index), this.segments[Number(m[1])].normalised);
      last = m.index + m[0].length;
    }
    pieces.push(text.slice(last));
    for (let i = 0; i < pieces.length; i += 2) if (!this.isSafe(pieces[i])) return undefined;
    return pieces.join("");
  }

  /** The raw text with every placeholder replaced by its segment's raw text: what it stands for. */
  expand(raw: string): string {
    return raw.replace(PLACEHOLDER, (_, n: string) => this.segments[Number(n)].raw);
  }

  /** Whether `value` has been checked as the field `field` in this batch already. */
  wasChecked(field: string, value: object): boolean {
    return this.checked.get(field)?.has(value) ?? false;
  }

  noteChecked(field: string, value: object): void {
    let seen = this.checked.get(field);
    if (seen === undefined) {
      seen = new WeakSet();
      this.checked.set(field, seen);
    }
    seen.add(value);
  }
}

/** The batch a render runs in, as the renderer hands it to partials through the render data. */
export function batchOf(options: HelperOptions | { data?: unknown }): RenderBatch | undefined {
  const data = options.data as { batch?: unknown } | undefined;
  return data?.batch instanceof RenderBatch ? data.batch : undefined;
}
