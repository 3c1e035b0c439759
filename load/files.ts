/**
 * The loader's only I/O: reads a stack's inventory folder. Paths in problems are relative to the
 * repository root so that `file:line` can be clicked in an editor or a CI log.
 */
import * as fs from "fs";
import * as path from "path";
import { parseInventory, type StackFiles } from "./load";
import type { Inventory } from "./inventory";
import type { Result } from "./problem";

/** The repository root: the folder holding Pulumi.yaml. */
export const REPO_ROOT = path.resolve(__dirname, "..");

export function stackDir(stack: string, root = REPO_ROOT): string {
  return path.join(root, "stacks", stack);
}

/** The stack's folder or its sp.yaml does not exist. */
export class StackNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackNotFoundError";
  }
}

export function readStackFiles(stack: string, root = REPO_ROOT): StackFiles {
  const dir = stackDir(stack, root);
  const rel = (p: string) => path.relative(root, p).split(path.sep).join("/");
  const read = (p: string) => ({ file: rel(p), text: fs.readFileSync(p, "utf8") });
  const spPath = path.join(dir, "sp.yaml");
  if (!fs.existsSync(spPath)) {
    throw new StackNotFoundError(`${rel(spPath)}: the stack "${stack}" has no sp.yaml. Fix: create ${rel(spPath)} (see stacks/lab/sp.yaml) or pick an existing stack`);
  }
  const metroDir = path.join(dir, "metros");
  const metroFiles = fs.existsSync(metroDir)
    ? fs.readdirSync(metroDir).filter((f) => /\.ya?ml$/.test(f)).sort()
    : [];
  const lockPath = path.join(dir, "allocations.lock.yaml");
  return {
    stack,
    sp: read(spPath),
    metros: metroFiles.map((f) => read(path.join(metroDir, f))),
    lock: fs.existsSync(lockPath) ? read(lockPath) : undefined,
    lockFile: rel(lockPath),
  };
}

export function loadStack(stack: string, root = REPO_ROOT): Result<Inventory> {
  return parseInventory(readStackFiles(stack, root));
}
