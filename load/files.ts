/**
 * The loader's only I/O: reads a stack's inventory folder. Paths in problems are relative to the
 * root (`stackPaths`) so that `file:line` can be clicked in an editor or a CI log.
 */
import * as fs from "fs";
import * as path from "path";
import { parseInventory, type StackFiles } from "./load";
import type { Inventory } from "./inventory";
import type { Result } from "./problem";
import { stackPaths } from "./stackPaths";

/** The repository root: the folder holding Pulumi.yaml. */
export const REPO_ROOT = path.resolve(__dirname, "..");

/** The stack's folder or its sp.yaml does not exist. */
export class StackNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackNotFoundError";
  }
}

export function readStackFiles(stack: string, root = REPO_ROOT): StackFiles {
  const paths = stackPaths(stack);
  const at = (file: string) => path.join(root, file);
  const read = (file: string) => ({ file, text: fs.readFileSync(at(file), "utf8") });
  if (!fs.existsSync(at(paths.sp))) {
    throw new StackNotFoundError(
      `${paths.sp}: the stack "${stack}" has no sp.yaml. Fix: create ${paths.sp} (see ${stackPaths("lab").sp}) or pick an existing stack`,
    );
  }
  const yamlFiles = (dir: string) =>
    fs.existsSync(at(dir))
      ? fs
          .readdirSync(at(dir))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => read(`${dir}/${f}`))
      : [];
  return {
    stack,
    sp: read(paths.sp),
    metros: yamlFiles(paths.metrosDir),
    customers: yamlFiles(paths.customersDir),
    lock: fs.existsSync(at(paths.lock)) ? read(paths.lock) : undefined,
    lockFile: paths.lock,
  };
}

export function loadStack(stack: string, root = REPO_ROOT): Result<Inventory> {
  return parseInventory(readStackFiles(stack, root));
}
