/**
 * The curly-brace form of a Junos configuration as a tree, with the `replace:` tags `load replace`
 * reads: what the Junos ownership spec walks to find the objects the product owns. Pure.
 */

export interface JunosStatement {
  words: string[];
  children: JunosStatement[];
  /** Tagged `replace:`: an object the product owns whole. */
  replace: boolean;
}

/** Parses a rendering of ours (comments `#` at line start, quoted strings, `[ … ]` lists as words). */
export function parseJunosConfig(text: string): JunosStatement[] {
  const tokens = [...text.replace(/^\s*#.*$/gm, "").matchAll(/"([^"]*)"|([{};])|([^\s{};"]+)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
  const root: JunosStatement = { words: [], children: [], replace: false };
  const stack: JunosStatement[] = [root];
  let words: string[] = [];
  let replace = false;
  for (const t of tokens) {
    const top = stack[stack.length - 1];
    if (t === "replace:" && words.length === 0) {
      replace = true;
    } else if (t === "{" || t === ";") {
      const node: JunosStatement = { words, children: [], replace };
      top.children.push(node);
      if (t === "{") stack.push(node);
      words = [];
      replace = false;
    } else if (t === "}") {
      if (words.length > 0 || stack.length === 1) throw new Error("Junos config: unbalanced } or missing ;");
      stack.pop();
    } else {
      words.push(t);
    }
  }
  if (stack.length !== 1 || words.length > 0) throw new Error("Junos config: ends inside a block");
  return root.children;
}

/** Statements named by a keyword and a name (`route-filter-list X`, `route 192.0.2.0/24`); others by their first word. */
const NAMED = new Set([
  "route-filter-list",
  "policy-statement",
  "as-path-group",
  "as-path",
  "community",
  "group",
  "neighbor",
  "route",
  "rib",
  "filter",
  "term",
]);

/** The words that identify a statement among its siblings: `route-filter-list MAPS-X`, `ae0`. */
export function identity(s: JunosStatement): string[] {
  return s.words.slice(0, NAMED.has(s.words[0]) ? 2 : 1);
}

/** Every object tagged `replace:`, by its full identity path (`policy-options route-filter-list X`). */
export function ownedObjects(statements: readonly JunosStatement[], path: readonly string[] = []): string[] {
  return statements.flatMap((s) => {
    const here = [...path, ...identity(s)];
    return s.replace ? [here.join(" ")] : ownedObjects(s.children, here);
  });
}
