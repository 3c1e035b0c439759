/**
 * Ownership and merge: what the product owns on a router that has its own BGP, IGP and policies,
 * and how a push replaces exactly that. Each platform's profile carries an `Ownership`
 * (`vendors/<vendor>.ts`); this module holds the parts the line-based dialects share.
 *
 * A push is: the removals `removalsFor(previous, next)` computes from the previous rendering (what
 * was pushed last) and the next one, then the next rendering itself, applied with the platform's
 * own mechanism (README, "Ownership and merge"). Removals only ever name objects the previous
 * rendering held; router-wide settings and the router-id are never removed (once the inventory
 * stops handing them over, they are the router's again, and stay as they are).
 *
 * Pure: no I/O.
 */

export interface Ownership {
  /** What the product owns on such a router, one entry per kind of object. */
  owns: readonly string[];
  /** How a push applies a rendering, in the platform's own terms. */
  push: string;
  /**
   * The statements that remove what `previous` rendered and `next` no longer does (or renders
   * differently where re-entering does not replace it), in the platform's syntax, to run before
   * `next`. Empty when nothing is to remove. Both are renderings of this product for one router.
   */
  removalsFor(previous: string, next: string): string[];
}

/** One statement of an indented config and the statements under it. */
export interface ConfigNode {
  line: string;
  children: ConfigNode[];
}

export interface IndentTreeOptions {
  /** Lines that are not statements: comments, `exit`, `end`. */
  ignore: RegExp;
  /** Headers whose body is one opaque object, up to the line matching `end` (IOS-XR sets and policies). */
  opaque?: { start: RegExp; end: RegExp };
}

/** The statements of a config by indentation: a line's children are the more indented lines below it. */
export function indentTree(text: string, opts: IndentTreeOptions): ConfigNode[] {
  const root: ConfigNode = { line: "", children: [] };
  const stack: Array<{ node: ConfigNode; indent: number }> = [{ node: root, indent: -1 }];
  let opaque: ConfigNode | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (opaque) {
      if (opts.opaque?.end.test(line)) opaque = undefined;
      else opaque.children.push({ line: line.trim(), children: [] });
      continue;
    }
    if (line.trim() === "" || opts.ignore.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    while (stack[stack.length - 1].indent >= indent) stack.pop();
    const node: ConfigNode = { line: line.trim(), children: [] };
    stack[stack.length - 1].node.children.push(node);
    stack.push({ node, indent });
    if (opts.opaque?.start.test(line)) {
      opaque = node;
      stack.pop();
    }
  }
  return root.children;
}

/** Whether two nodes say the same, children included. */
export function sameNode(a: ConfigNode, b: ConfigNode): boolean {
  return (
    a.line === b.line &&
    a.children.length === b.children.length &&
    a.children.every((c, i) => sameNode(c, b.children[i]))
  );
}

/** `no X` for a statement, and `X` for a negated one (`no neighbor … activate` removed restores the default). */
export function negate(line: string): string {
  return line.startsWith("no ") ? line.slice(3) : `no ${line}`;
}

/** The node of `nodes` whose line is `line`. */
export function child(nodes: readonly ConfigNode[], line: string): ConfigNode | undefined {
  return nodes.find((n) => n.line === line);
}

/** How a dialect removes statements, for `treeRemovals`. */
export interface RemovalRules {
  /** Indentation of one level in removal output. */
  indent: string;
  /** Statements never removed (the router-id, router-wide settings), by line and the headers above it. */
  keep(line: string, path: readonly string[]): boolean;
  /**
   * A statement (with everything under it) that is removed whole when it vanishes, and how:
   * `no route-map X permit 10`, `no neighbor P`. Undefined: a context the product only has
   * statements in (`router bgp`, `interface`), whose vanished statements are removed one by one.
   */
  removeWhole(line: string, path: readonly string[]): string | undefined;
  /** Statements made redundant by an earlier whole removal (every `neighbor P …` after `no neighbor P`). */
  covered?(line: string, removed: readonly string[]): boolean;
  /** How a context is left after its removals: `exit`, `exit-address-family`. */
  close(line: string): string;
  /** Objects that entering them again replaces whole (IOS-XR sets and policies): never diffed inside. */
  reenterReplaces?(line: string, path: readonly string[]): boolean;
}

/**
 * Every statement of `previous` that `next` lacks, as removals: a vanished leaf negated, a vanished
 * object removed whole where `removeWhole` says how, and within a context present in both (or
 * only the product's statements of it), the vanished statements inside it, under its header.
 */
export function treeRemovals(
  previous: readonly ConfigNode[],
  next: readonly ConfigNode[] | undefined,
  rules: RemovalRules,
  path: readonly string[] = [],
  removed: string[] = [],
): string[] {
  const pad = rules.indent.repeat(path.length);
  const out: string[] = [];
  for (const p of previous) {
    if (rules.keep(p.line, path) || rules.covered?.(p.line, removed)) continue;
    const counterpart = next === undefined ? undefined : child(next, p.line);
    if (counterpart === undefined) {
      const whole = rules.removeWhole(p.line, path);
      if (whole !== undefined) {
        out.push(`${pad}${whole}`);
        removed.push(whole);
        continue;
      }
      if (p.children.length === 0) {
        out.push(`${pad}${negate(p.line)}`);
        continue;
      }
    }
    if (p.children.length === 0 || rules.reenterReplaces?.(p.line, path)) continue;
    const inner = treeRemovals(p.children, counterpart?.children ?? [], rules, [...path, p.line], removed);
    if (inner.length > 0) out.push(`${pad}${p.line}`, ...inner, `${pad}${rules.close(p.line)}`);
  }
  return out;
}

/** `neighbor 192.0.2.0 remote-as 8075` → `192.0.2.0`: the neighbors a rendering has. */
export function neighborOf(line: string): string | undefined {
  return /^(?:no )?neighbor (\S+) /.exec(line)?.[1];
}

/**
 * Removals of the Cisco-style line dialects (FRR, EOS, IOS-XR): the previous and next rendering as
 * indentation trees, then `treeRemovals` under the platform's rules.
 */
export function lineRemovals(previous: string, next: string, tree: IndentTreeOptions, rules: RemovalRules): string[] {
  return treeRemovals(indentTree(previous, tree), indentTree(next, tree), rules);
}

/** Every `no neighbor P` already emitted covers the other statements of P. */
export function coveredByRemovedNeighbor(line: string, removed: readonly string[]): boolean {
  const peer = neighborOf(line);
  return peer !== undefined && removed.includes(`no neighbor ${peer}`);
}

/** The neighbor whose `remote-as` statement this is (a neighbor is removed with it). */
export function remoteAsOf(line: string): string | undefined {
  return /^neighbor (\S+) remote-as \d+$/.exec(line)?.[1];
}
