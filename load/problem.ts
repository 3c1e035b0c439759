/**
 * Errors are values: every stage collects its problems and reports them together, each naming the
 * file, the line, the field, what is wrong and how to fix it. Nothing is thrown one by one.
 */
import type { SourceRef } from "./inventory";

export interface Problem {
  file: string;
  line: number;
  field: string;
  message: string;
  fix: string;
}

/** A problem at `at`, or at one of its sub-fields (`legs[0].interface`) where that line is known. */
export function problemAt(at: SourceRef, message: string, fix: string, field = at.field): Problem {
  const sub = field.startsWith(`${at.field}.`) ? field.slice(at.field.length + 1) : at.field === "" ? field : undefined;
  const line = (sub !== undefined && at.lines?.[sub]) || at.line;
  return { file: at.file, line, field, message, fix };
}

/** `stacks/lab/metros/amsterdam.yaml:14 legs[0].interface: must not contain a newline. Fix: …` */
export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
  const field = p.field ? ` ${p.field}` : "";
  return `${where}${field}: ${p.message}. Fix: ${p.fix}`;
}

export function formatProblems(problems: readonly Problem[]): string {
  const sorted = [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.field.localeCompare(b.field),
  );
  const n = sorted.length;
  return [
    `${n} problem${n === 1 ? "" : "s"} in the inventory; nothing was planned or written:`,
    ...sorted.map((p) => `  ${formatProblem(p)}`),
  ].join("\n");
}

/** A result that is either a value or the problems that kept it from being made. */
export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const failed = <T>(problems: Problem[]): Result<T> => ({ ok: false, problems });

/** Thrown only at the program's edge (Pulumi program, CLI), carrying the collected problems. */
export class InventoryError extends Error {
  constructor(readonly problems: Problem[]) {
    super(formatProblems(problems));
    this.name = "InventoryError";
  }
}
