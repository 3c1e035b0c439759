/** Words for the reports and messages every command prints. Pure, no imports. */

/** `1 file`, `2 files`; `plural(n, "entry", "entries")` where the plural is not one + s. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
