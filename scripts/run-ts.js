// Runs a TypeScript entry point with Node.js: `node scripts/run-ts.js cli/plan.ts --stack lab`.
//
// What ts-node --transpile-only does, for the commands whose speed matters (`npm run plan`, `npm run
// bench`), minus its two costs: every file is transpiled by the project's own TypeScript
// (`transpileModule`, the compiler options of tsconfig.json: what ts-node and ts-jest emit), but the
// JavaScript is cached in node_modules/.cache/peering-as-code/ under a hash of the source, the
// TypeScript version and the compiler options, so TypeScript is not even loaded once the cache is
// warm (it costs seconds for the plan's 60 files); and no source-map support is installed, which
// would rewrite every stack trace (an error of the CLI is a message naming the file and the fix,
// never a trace). A changed file has a new hash: the cache can be stale only in being larger.
//
// `node scripts/run-ts.js --warm <dir>...` transpiles every .ts file under the folders into the
// cache (`npm ci` does, through the `prepare` script), so the first plan after a fresh clone is warm.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "peering-as-code", "ts");
const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8"));
const tsVersion = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")).version;
const salt = `${tsVersion}\0${JSON.stringify(tsconfig.compilerOptions)}\0`;

let typescript;
let compilerOptions;

/** The JavaScript of one TypeScript file: from the cache, else transpiled now and cached. */
function javascriptOf(file, source) {
  const key = crypto.createHash("sha256").update(salt).update(file).update("\0").update(source).digest("hex");
  const cached = path.join(CACHE, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not cached yet
  }
  typescript ??= require("typescript");
  compilerOptions ??= typescript.convertCompilerOptionsFromJson(tsconfig.compilerOptions, ROOT).options;
  const { outputText, diagnostics } = typescript.transpileModule(source, {
    fileName: file,
    compilerOptions: { ...compilerOptions, sourceMap: false, inlineSourceMap: false, declaration: false },
    reportDiagnostics: true,
  });
  if (diagnostics && diagnostics.length > 0) {
    const text = typescript.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => "\n",
    });
    throw new Error(`run-ts: cannot transpile ${path.relative(ROOT, file)}:\n${text}`);
  }
  fs.mkdirSync(CACHE, { recursive: true });
  // Written aside and renamed: a concurrent run reads a whole file or none.
  const aside = `${cached}.${process.pid}.tmp`;
  fs.writeFileSync(aside, outputText);
  fs.renameSync(aside, cached);
  return outputText;
}

function register() {
  require.extensions[".ts"] = (module, file) => {
    module._compile(javascriptOf(file, fs.readFileSync(file, "utf8")), file);
  };
}

function warm(dirs) {
  const walk = (dir) =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() && e.name !== "node_modules"
          ? walk(path.join(dir, e.name))
          : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")
            ? [path.join(dir, e.name)]
            : [],
      );
  const files = dirs.flatMap((d) => walk(path.resolve(ROOT, d)));
  for (const file of files) javascriptOf(file, fs.readFileSync(file, "utf8"));
  return files.length;
}

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  console.error("usage: node scripts/run-ts.js <file.ts> [args...] | --warm <dir>...");
  process.exit(2);
} else if (entry === "--warm") {
  const started = Date.now();
  const count = warm(args);
  console.log(`run-ts: ${count} TypeScript files transpiled into the cache in ${Date.now() - started} ms`);
} else {
  register();
  const main = path.resolve(entry);
  process.argv = [process.argv[0], main, ...args];
  // The entry runs as the main module, so its `require.main === module` holds.
  require("module").runMain();
}
