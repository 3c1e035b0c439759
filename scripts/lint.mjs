// `npm run lint`: ESLint (type-checked, eslint.config.mjs) and Prettier's check (.prettierrc.json),
// side by side. Exits non-zero if either finds anything.
//
// ESLint's cache is keyed by a hash of every file it reads (all sources, configs and the lock), so a
// run with nothing changed takes seconds and any change anywhere starts from an empty cache. A
// per-file cache alone would be wrong here: with type-aware rules a change in one file can make
// another, unchanged, file fail. CI starts from a clean clone, without any cache.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const SKIP = new Set(["node_modules", ".git", "build", "out", "coverage"]);
const READ_BY_ESLINT = /\.(ts|js|mjs|json)$/;

function sources(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !SKIP.has(e.name))
    .flatMap((e) =>
      e.isDirectory() ? sources(path.join(dir, e.name)) : READ_BY_ESLINT.test(e.name) ? [path.join(dir, e.name)] : [],
    );
}

function treeHash() {
  const hash = createHash("sha256");
  for (const file of sources(ROOT).sort())
    hash
      .update(`${path.relative(ROOT, file)}\0`)
      .update(fs.readFileSync(file))
      .update("\0");
  return hash.digest("hex").slice(0, 16);
}

function run(name, args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", name), args, { cwd: ROOT, stdio: "inherit" });
    child.on("error", (e) => resolve({ name, code: 1, seconds: 0, error: e.message }));
    child.on("exit", (code) => resolve({ name, code: code ?? 1, seconds: (Date.now() - started) / 1000 }));
  });
}

const cacheDir = path.join(ROOT, "node_modules", ".cache", "eslint-tree");
const key = treeHash();
if (fs.existsSync(cacheDir))
  for (const old of fs.readdirSync(cacheDir))
    if (old !== key) fs.rmSync(path.join(cacheDir, old), { recursive: true, force: true });

const results = await Promise.all([
  run("eslint", ["--cache", "--cache-strategy", "content", "--cache-location", path.join(cacheDir, key, "/"), "."]),
  run("prettier", ["--check", "--log-level", "warn", "--cache", "--cache-strategy", "content", "."]),
]);
for (const r of results) if (r.error) console.error(`lint: ${r.name} did not start: ${r.error}`);
const failed = results.filter((r) => r.code !== 0).map((r) => r.name);
console.error(
  `lint: ${results.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(", ")}: ${failed.length === 0 ? "clean" : `${failed.join(" and ")} found problems`}`,
);
process.exit(failed.length === 0 ? 0 : 1);
