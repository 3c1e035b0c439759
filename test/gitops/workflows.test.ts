/**
 * The GitHub Actions workflows (.github/workflows/): valid YAML of the shape GitHub runs, every
 * `npm run X` and `npm X` they name an existing npm script (or one of npm's own commands), every
 * script they run with bash a file of the repository, maintained actions at a major version, Node.js
 * 20, and the policy pack passed wherever Pulumi previews or deploys.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { REPO_ROOT } from "../../load/files";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  "runs-on"?: string;
  steps?: Step[];
  environment?: string;
  needs?: string | string[];
  if?: string;
}
interface Workflow {
  name?: string;
  on?: unknown;
  jobs?: Record<string, Job>;
}

const DIR = path.join(REPO_ROOT, ".github", "workflows");
const FILES = fs
  .readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const scripts = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

function load(file: string): Workflow {
  const doc = parseDocument(fs.readFileSync(path.join(DIR, file), "utf8"), { prettyErrors: true });
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
  return doc.toJS() as Workflow;
}

const steps = (w: Workflow) => Object.values(w.jobs ?? {}).flatMap((j) => j.steps ?? []);

/** `npm run X`, `npm run-script X`, `npm X` in a shell script: what npm is asked to run. */
export function npmCommands(script: string): Array<{ kind: "run" | "command"; name: string }> {
  const found: Array<{ kind: "run" | "command"; name: string }> = [];
  // Each npm invocation up to the end of its command (a newline, ;, &&, ||, |).
  for (const m of script.matchAll(/\bnpm\s+([^;&|\n]*)/g)) {
    const words = m[1].split(/\s+/).filter((w) => w !== "" && !w.startsWith("-"));
    const [command = "", name = ""] = words;
    if (command === "run" || command === "run-script") found.push({ kind: "run", name });
    else found.push({ kind: "command", name: command });
  }
  return found;
}

/** npm's own commands a workflow may use; `npm test` and its kin run a script of that name. */
const NPM_BUILTINS = new Set(["ci", "install"]);
const NPM_SCRIPT_SHORTHANDS = new Set(["test", "start", "stop", "restart"]);

/** The commands that name no npm script of package.json (nor one of npm's own commands). */
function unknownScripts(commands: ReturnType<typeof npmCommands>) {
  return commands.filter((c) =>
    c.kind === "run"
      ? !Object.hasOwn(scripts, c.name)
      : !NPM_BUILTINS.has(c.name) && !(NPM_SCRIPT_SHORTHANDS.has(c.name) && Object.hasOwn(scripts, c.name)),
  );
}

it("reads npm commands out of shell scripts", () => {
  expect(
    npmCommands('npm ci --no-audit\nnpm run --silent diff -- --stack "$s"\nnpm test && npm run plan -- --stack lab'),
  ).toEqual([
    { kind: "command", name: "ci" },
    { kind: "run", name: "diff" },
    { kind: "command", name: "test" },
    { kind: "run", name: "plan" },
  ]);
  expect(unknownScripts(npmCommands("npm run deploy; npm publish; npm start; npm run lint"))).toEqual([
    { kind: "run", name: "deploy" },
    { kind: "command", name: "publish" },
    { kind: "command", name: "start" },
  ]);
});

it("finds the workflows", () => {
  expect(FILES).toEqual(["main.yml", "pull-request.yml"]);
});

describe.each(FILES)("%s", (file) => {
  const workflow = load(file);

  it("is a workflow: a name, triggers, jobs that run on a runner with steps that use an action or run a script", () => {
    expect(typeof workflow.name).toBe("string");
    expect(workflow.on).toBeDefined();
    const jobs = Object.entries(workflow.jobs ?? {});
    expect(jobs.length).toBeGreaterThan(0);
    for (const [id, job] of jobs) {
      expect([id, typeof job["runs-on"]]).toEqual([id, "string"]);
      expect([id, (job.steps ?? []).length > 0]).toEqual([id, true]);
      for (const step of job.steps ?? [])
        expect([id, step.uses !== undefined || step.run !== undefined]).toEqual([id, true]);
      for (const need of [job.needs ?? []].flat()) expect(Object.keys(workflow.jobs ?? {})).toContain(need);
    }
  });

  it("names only npm scripts that package.json has", () => {
    const commands = steps(workflow).flatMap((s) => (s.run ? npmCommands(s.run) : []));
    expect(commands.length).toBeGreaterThan(0);
    const unknown = unknownScripts(commands);
    expect(unknown).toEqual([]);
  });

  it("runs with bash only scripts of the repository", () => {
    const paths = steps(workflow).flatMap((s) => [...(s.run ?? "").matchAll(/\bbash\s+([\w./-]+)/g)].map((m) => m[1]));
    expect(paths.filter((p) => !fs.existsSync(path.join(REPO_ROOT, p)))).toEqual([]);
  });

  it("uses maintained actions at a major version, Node.js 20", () => {
    const uses = steps(workflow).flatMap((s) => (s.uses ? [s.uses] : []));
    expect(
      uses.filter(
        (u) => !/^(actions\/(checkout|setup-node|github-script|upload-artifact)|pulumi\/actions)@v\d+$/.test(u),
      ),
    ).toEqual([]);
    for (const s of steps(workflow).filter((x) => x.uses?.startsWith("actions/setup-node@")))
      expect(s.with?.["node-version"]).toBe(20);
  });

  it("gives Pulumi the policy pack, and its config, wherever it previews or deploys", () => {
    for (const s of steps(workflow).filter((x) => x.uses?.startsWith("pulumi/actions@"))) {
      expect(["preview", "up"]).toContain(s.with?.command);
      expect(s.with?.policyPacks).toBe("policies");
      expect(s.with?.policyPackConfigs).toBe("${{ steps.policy.outputs.config }}");
    }
  });
});

it("posts the change report on pull requests and keeps it in the job summary, and deploys from main behind an approval", () => {
  const pr = load("pull-request.yml");
  const report = pr.jobs?.["change-report"];
  const scriptsRun = (report?.steps ?? []).map((s) => s.run ?? "").join("\n");
  expect(scriptsRun).toContain('npm run --silent diff -- --stack "$stack" --base "$BASE"');
  expect(scriptsRun).toContain('cat change-report.md >> "$GITHUB_STEP_SUMMARY"');
  expect(report?.steps?.some((s) => s.uses?.startsWith("actions/github-script@"))).toBe(true);
  expect(
    (pr.jobs?.preview?.steps ?? []).some((s) => s.uses === "pulumi/actions@v7" && s.with?.command === "preview"),
  ).toBe(true);
  const main = load("main.yml");
  expect(main.jobs?.up?.environment).toBe("production");
  expect(main.jobs?.up?.needs).toBe("test");
  expect((main.jobs?.up?.steps ?? []).some((s) => s.with?.command === "up")).toBe(true);
});

describe("main.yml's up job and router pushes", () => {
  const up = load("main.yml").jobs?.up;
  const guard = (up?.steps ?? []).find((s) => s.name === "router pushes need a runner in the management network");
  /** The guard's script run by bash as the runner would: the stack config given, on a hosted or self-hosted runner. */
  const runGuard = (stackConfig: string, runner: "github-hosted" | "self-hosted") => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pac-wf-"));
    try {
      fs.mkdirSync(path.join(dir, "stacks"));
      fs.writeFileSync(path.join(dir, "stacks", "Pulumi.prod.yaml"), stackConfig);
      return spawnSync("bash", ["-e", "-c", guard?.run ?? "exit 99"], {
        cwd: dir,
        encoding: "utf8",
        env: { PATH: process.env.PATH, PULUMI_STACK: "example-org/prod", RUNNER_ENVIRONMENT: runner },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const withDeploy = "config:\n  peering-as-code:deploy:\n    routers: {}\n";

  it("runs on the runner vars.PULUMI_UP_RUNNER names, a hosted one by default", () => {
    expect(up?.["runs-on"]).toBe(
      "${{ vars.PULUMI_UP_RUNNER != '' && fromJSON(vars.PULUMI_UP_RUNNER) || 'ubuntu-24.04' }}",
    );
  });

  it("refuses a stack with deploy on a GitHub-hosted runner, naming the file and the fix", () => {
    const r = runGuard(withDeploy, "github-hosted");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("::error file=stacks/Pulumi.prod.yaml,title=pulumi up::");
    expect(r.stdout).toContain(
      'Set vars.PULUMI_UP_RUNNER to the labels of a self-hosted runner in the management network, e.g. ["self-hosted","mgmt"]',
    );
  });

  it("lets a stack with deploy run on a self-hosted runner, and a stack without deploy anywhere", () => {
    expect(runGuard(withDeploy, "self-hosted").status).toBe(0);
    expect(runGuard("config:\n  peering-as-code:md5-x: y\n", "github-hosted").status).toBe(0);
  });
});
