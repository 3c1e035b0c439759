/**
 * The pushes of IOS-XR, Junos and EOS (deploy/scripts.ts), run from the runner: every CLI line of
 * every step for the lab stack's IOS-XR ams-edge-2, Junos fra-edge-1 and EOS lon-edge-2, the whole
 * scripts against reviewed golden files, that no secret is on a command line, and the scripts run
 * for real in POSIX sh against stand-ins for `ssh`, `scp` and the gate (no router here) to show the
 * confirm path and the rollback path.
 */
import { spawnSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { hhmmss, networkOsPushInput, networkOsSteps, NOS_SECTION, routerCommands } from "../../deploy/scripts";
import { DEFAULT_GATE, defaultStateDir, parseDeploySettings, type DeployTarget } from "../../deploy/settings";
import type { Plan } from "../../plan/model";
import { labFiles, planOf } from "../support/stack";

const plan: Plan = planOf(labFiles());
const router = (host: string) => {
  const r = plan.routers.find((x) => x.hostname === host);
  if (!r) throw new Error(host);
  return r;
};
const target = (hostname: string, extra: Partial<DeployTarget> = {}): DeployTarget => ({
  hostname,
  host: "192.168.100.2",
  port: 22,
  user: "maps-deploy",
  privateKeySecret: "deploySshPrivateKey",
  stateDir: defaultStateDir(router(hostname).vendor),
  ...extra,
});
const SETTINGS = { gate: DEFAULT_GATE, confirmSeconds: 600 };
const LAB = { iosxr: "ams-edge-2", junos: "fra-edge-1", eos: "lon-edge-2" } as const;

describe("each platform's transaction, line by line", () => {
  it("Junos fra-edge-1: configure exclusive, the deletes, load replace, commit confirmed in minutes, then commit", () => {
    expect(networkOsSteps("junos", "fra-edge-1", "/var/tmp", 600)).toEqual({
      check: [
        "configure exclusive",
        "@removals",
        "load replace /var/tmp/fra-edge-1.pac.next",
        "commit check",
        "rollback 0",
        "exit configuration-mode",
      ],
      apply: [
        "configure exclusive",
        "@removals",
        "load replace /var/tmp/fra-edge-1.pac.next",
        'commit confirmed 10 comment "peering-as-code: unconfirmed"',
        "exit configuration-mode",
      ],
      confirm: [
        "configure exclusive",
        'commit comment "peering-as-code: confirmed after the health gate"',
        "exit configuration-mode",
      ],
      rollback: [
        "configure exclusive",
        "rollback 1",
        'commit comment "peering-as-code: rolled back, health gate failed"',
        "exit configuration-mode",
      ],
    });
    // Junos confirms in whole minutes: never shorter than asked.
    expect(networkOsSteps("junos", "fra-edge-1", "/var/tmp", 150).apply[3]).toBe(
      'commit confirmed 3 comment "peering-as-code: unconfirmed"',
    );
  });

  it("IOS-XR ams-edge-2: configure exclusive, load from harddisk:, commit confirmed in seconds, then commit", () => {
    expect(networkOsSteps("iosxr", "ams-edge-2", "/harddisk:", 600)).toEqual({
      check: ["configure exclusive", "load harddisk:/ams-edge-2.pac.next", "show configuration failed load", "abort"],
      apply: ["configure exclusive", "load harddisk:/ams-edge-2.pac.next", "commit confirmed 600", "end"],
      confirm: ["configure exclusive", "commit", "end"],
      rollback: ["rollback configuration last 1"],
    });
  });

  it("EOS lon-edge-2: a configure session with the removals and the rendering, commit timer, then the session's commit", () => {
    expect(networkOsSteps("eos", "lon-edge-2", "/mnt/flash", 600)).toEqual({
      check: ["configure session $s-check", "@removals", "@rendering", "configure session $s-check", "abort"],
      apply: ["configure session $s", "@removals", "@rendering", "configure session $s", "commit timer 00:10:00"],
      confirm: ["configure session $s commit"],
      rollback: ["configure session $s abort"],
    });
    expect([hhmmss(61), hhmmss(3600), hhmmss(3599)]).toEqual(["00:01:01", "01:00:00", "00:59:59"]);
  });
});

describe("the push's stdin", () => {
  it("Junos: the ownership spec's deletes, then the rendering", () => {
    const previous =
      "policy-options {\n    replace:\n    policy-statement MAPS-OLD {\n        then reject;\n    }\n}\n";
    const next = "policy-options {\n    replace:\n    policy-statement MAPS-OUT-V4 {\n        then accept;\n    }\n}\n";
    expect(networkOsPushInput("junos", previous, next)).toBe(
      [
        NOS_SECTION.junos.removals,
        "delete policy-options policy-statement MAPS-OLD",
        NOS_SECTION.junos.rendering,
        next.trimEnd(),
        "",
      ].join("\n"),
    );
  });

  it("EOS: a vanished route-map clause removed, then the rendering", () => {
    const previous = "route-map MAPS-OLD permit 10\n   set community 8075:8007\n!\n";
    const next = "route-map MAPS-OUT-V4 permit 10\n   set community 8075:8007\n!\n";
    expect(networkOsPushInput("eos", previous, next)).toBe(
      [NOS_SECTION.eos.removals, "no route-map MAPS-OLD permit 10", NOS_SECTION.eos.rendering, next.trimEnd(), ""].join(
        "\n",
      ),
    );
  });

  it("IOS-XR: a vanished route-policy removed, then the rendering", () => {
    const previous = "route-policy MAPS-OLD\n  drop\nend-policy\n!\n";
    const next = "route-policy MAPS-OUT-V4\n  pass\nend-policy\n!\n";
    expect(networkOsPushInput("iosxr", previous, next)).toBe(
      [NOS_SECTION.iosxr.removals, "no route-policy MAPS-OLD", NOS_SECTION.iosxr.rendering, next.trimEnd(), ""].join(
        "\n",
      ),
    );
  });
});

describe("the runner's scripts", () => {
  const GOLDEN = join(__dirname, "golden");
  it.each(Object.entries(LAB))("%s %s: POSIX sh parses them and they match the reviewed golden files", (os, host) => {
    const cmds = routerCommands(
      router(host),
      target(host, { hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIlab" }),
      SETTINGS,
    );
    expect(cmds.platform).toBe(os);
    expect(cmds.runsOn).toBe("runner");
    for (const [kind, text] of [
      ["push", cmds.push],
      ["check", cmds.check],
      ["read-previous", cmds.readPrevious ?? ""],
    ] as const) {
      const r = spawnSync("sh", ["-n", "-c", text], { encoding: "utf8" });
      expect({ kind, status: r.status, stderr: r.stderr }).toEqual({ kind, status: 0, stderr: "" });
      const file = join(GOLDEN, `${host}.${kind}.sh`);
      if (process.env.UPDATE_GOLDEN) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, `${text}\n`);
      }
      expect(`${text}\n`).toBe(readFileSync(file, "utf8"));
    }
  });

  it("pins the host key where the stack gives it, and checks none only where it does not", () => {
    const pinned = routerCommands(
      router("fra-edge-1"),
      target("fra-edge-1", { hostKey: "ssh-ed25519 AAAAkey", port: 830 }),
      SETTINGS,
    );
    expect(pinned.push).toContain(`printf '%s\\n' '[192.168.100.2]:830 ssh-ed25519 AAAAkey' > "$w/known_hosts"`);
    expect(pinned.push).toContain("StrictHostKeyChecking=yes");
    expect(routerCommands(router("fra-edge-1"), target("fra-edge-1"), SETTINGS).push).toContain(
      "StrictHostKeyChecking=no",
    );
  });

  it("never carries a secret: the key comes from PAC_SSH_KEY, the config (MD5 keys) from stdin", () => {
    for (const host of Object.values(LAB)) {
      const cmds = routerCommands(router(host), target(host), SETTINGS);
      for (const text of [cmds.push, cmds.check, cmds.readPrevious ?? ""]) {
        expect(text).toContain(`printf '%s\\n' "$PAC_SSH_KEY" > "$w/key"`);
        expect(text).not.toMatch(/BEGIN OPENSSH|authentication-key|password|neighbor \S+ password/);
        expect(text).not.toContain("8075:8007");
      }
    }
  });

  it("stops refusing IOS-XR, Junos and EOS in deploy.routers, with each platform's state directory", () => {
    const r = parseDeploySettings(
      {
        routers: {
          "ams-edge-2": { host: "10.0.0.2", user: "maps" },
          "fra-edge-1": { host: "10.0.0.3", user: "maps" },
          "lon-edge-2": { host: "10.0.0.6", user: "maps" },
        },
      },
      plan,
      "stacks/Pulumi.lab.yaml",
    );
    expect(r.problems).toEqual([]);
    expect(Object.values(r.settings?.targets ?? {}).map((t) => [t.hostname, t.stateDir])).toEqual([
      ["ams-edge-2", "/harddisk:"],
      ["fra-edge-1", "/var/tmp"],
      ["lon-edge-2", "/mnt/flash"],
    ]);
  });
});

/**
 * The push script, run for real by sh with `ssh`, `scp` and `npx` (the gate) replaced by stand-ins
 * on PATH that log what they were given: the CLI lines each SSH exec sent, the files copied, and
 * the gate's verdicts from FAKE_GATES (one exit code per call).
 */
describe("running a push against stand-ins for the router", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pac-nos-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub("ssh", `printf '== ssh %s\\n' "$*" >> "$LOG"; cat >> "$LOG"; printf '%s\\n' "$FAKE_CLI_OUT"`);
    stub("scp", `printf '== scp %s\\n' "$*" >> "$LOG"`);
    stub(
      "npx",
      `n=$(cat "$GATES_DONE" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$GATES_DONE"
printf '== gate %s\\n' "$*" >> "$LOG"
code=$(echo "$FAKE_GATES" | cut -d' ' -f$n); exit \${code:-1}`,
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (host: string, gates: string, cliOut: string) => {
    const cmds = routerCommands(router(host), target(host), SETTINGS);
    const r = spawnSync("sh", ["-c", cmds.push], {
      encoding: "utf8",
      input: cmds.pushInput(
        "",
        cmds.platform === "junos" ? "routing-options {\n    router-id 10.0.0.1;\n}\n" : "router bgp 64500\n",
      ),
      env: {
        PATH: `${join(dir, "bin")}:${process.env.PATH}`,
        LOG: join(dir, "log"),
        GATES_DONE: join(dir, "gates"),
        FAKE_GATES: gates,
        FAKE_CLI_OUT: cliOut,
        PAC_SSH_KEY: "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-real\n-----END OPENSSH PRIVATE KEY-----",
      },
    });
    const log = existsSync(join(dir, "log")) ? readFileSync(join(dir, "log"), "utf8") : "";
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, log };
  };

  it("EOS: check pass, commit timer, healthy gate, the session committed, the rendering kept", () => {
    const r = run("lon-edge-2", "0", "");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /lon-edge-2: applied 0 removals and the rendering; EOS rolls it back in 00:10:00 unless confirmed/,
    );
    expect(r.stdout).toMatch(/lon-edge-2: confirmed\n$/);
    const sessions = [...r.log.matchAll(/^configure session (pac-lon-edge-2-\d+)( commit)?$/gm)].map((m) => m[0]);
    expect(sessions.at(-1)).toMatch(/^configure session pac-lon-edge-2-\d+ commit$/);
    expect(r.log).toContain("commit timer 00:10:00");
    expect(r.log).toMatch(/== scp .* maps-deploy@192\.168\.100\.2:\/mnt\/flash\/lon-edge-2\.pac\.conf/);
    expect(r.log).not.toContain("not-real");
  });

  it("Junos: an unhealthy gate rolls back at once (rollback 1, commit) and fails the push", () => {
    const r = run("fra-edge-1", "1 0", "commit complete");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/fra-edge-1: rolling back at once\n/);
    expect(r.stdout).toMatch(/fra-edge-1: rolled back: healthy again\n$/);
    const execs = r.log.split("== ").filter((e) => e.startsWith("ssh"));
    expect(execs.map((e) => e.split("\n").slice(1).filter(Boolean).join(" | "))).toEqual([
      "configure exclusive | load replace /var/tmp/fra-edge-1.pac.next | commit check | rollback 0 | exit configuration-mode",
      'configure exclusive | load replace /var/tmp/fra-edge-1.pac.next | commit confirmed 10 comment "peering-as-code: unconfirmed" | exit configuration-mode',
      'configure exclusive | rollback 1 | commit comment "peering-as-code: rolled back, health gate failed" | exit configuration-mode',
    ]);
    // The confirmed rendering is not replaced: the next push removes from the last confirmed one.
    expect(r.log).not.toContain("fra-edge-1.pac.conf");
  });

  it("IOS-XR: an error in the check pass refuses the push before anything is committed", () => {
    const r = run("ams-edge-2", "0", "% Invalid input detected at '^' marker.");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("ams-edge-2: the router refused the change (check pass); nothing committed");
    expect(r.stderr).toContain("% Invalid input detected");
    expect(r.log).not.toContain("commit confirmed");
    expect(r.log).not.toContain("== gate");
  });
});
