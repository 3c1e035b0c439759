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
import type { PushRendering } from "../../deploy/drain";
import {
  hhmmss,
  networkOsPushInput,
  REDACT_FUNCTION,
  networkOsSteps,
  routerCommands,
  sectionMarker,
} from "../../deploy/scripts";
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
const SETTINGS = { gate: DEFAULT_GATE, confirmSeconds: 600, drainSeconds: 60 };
/** A next rendering whose session facts are `sessions` (the drained variant: the text with a marker comment). */
const next = (text: string, comment: string, sessions = "s | a\n"): PushRendering => ({
  text,
  drained: `${text}${comment} drained\n`,
  sessions,
});
/** What the push sends after its stages: the previous rendering and what the router keeps. */
const tail = (os: "junos" | "eos" | "iosxr", previous: string, n: PushRendering) => [
  sectionMarker(os, "previous"),
  previous.trimEnd(),
  sectionMarker(os, "next"),
  n.text.trimEnd(),
  sectionMarker(os, "drained"),
  n.drained.trimEnd(),
  sectionMarker(os, "sessions"),
  n.sessions.trimEnd(),
  "",
];
const NOT_KEPT =
  "not drained: the router keeps no session facts from its last push (pushed by an older version); drain by hand if this change resets a session";
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
    const n = next(
      "policy-options {\n    replace:\n    policy-statement MAPS-OUT-V4 {\n        then accept;\n    }\n}\n",
      "#",
    );
    const m = (x: string) => sectionMarker("junos", x);
    expect(networkOsPushInput("junos", previous, n, 60)).toBe(
      [
        m("note"),
        NOT_KEPT,
        m("removals.1.change"),
        "delete policy-options policy-statement MAPS-OLD",
        m("stage.1.change"),
        n.text.trimEnd(),
        ...tail("junos", previous, n),
      ].join("\n"),
    );
  });

  it("EOS: a vanished route-map clause removed, then the rendering", () => {
    const previous = "route-map MAPS-OLD permit 10\n   set community 8075:8007\n!\n";
    const n = next("route-map MAPS-OUT-V4 permit 10\n   set community 8075:8007\n!\n", "!");
    const m = (x: string) => sectionMarker("eos", x);
    expect(networkOsPushInput("eos", previous, n, 60)).toBe(
      [
        m("note"),
        NOT_KEPT,
        m("removals.1.change"),
        "no route-map MAPS-OLD permit 10",
        m("stage.1.change"),
        n.text.trimEnd(),
        ...tail("eos", previous, n),
      ].join("\n"),
    );
  });

  it("IOS-XR: drained first when a session changes: each stage's removals, and the way back to the previous rendering", () => {
    const m = (x: string) => sectionMarker("iosxr", x);
    const old = "route-policy MAPS-OLD\n  drop\nend-policy\n!\n";
    const oldDrained = "route-policy MAPS-OLD-DRAIN\n  drop\nend-policy\n!\n";
    const previous = [old.trimEnd(), m("drained"), oldDrained.trimEnd(), m("sessions"), "s | peer 1", ""].join("\n");
    const n: PushRendering = {
      text: "route-policy MAPS-OUT-V4\n  pass\nend-policy\n!\n",
      drained: "route-policy MAPS-OUT-DRAIN-V4\n  pass\nend-policy\n!\n",
      sessions: "s | peer 2\n",
    };
    expect(networkOsPushInput("iosxr", previous, n, 60)).toBe(
      [
        m("note"),
        "the change affects 1 session(s): drained first (RFC 8326), drain, then change, then undrain",
        "  s: peer changed",
        m("removals.1.drain"),
        "no route-policy MAPS-OLD",
        m("stage.1.drain"),
        oldDrained.trimEnd(),
        m("removals.2.change"),
        "no route-policy MAPS-OLD-DRAIN",
        m("stage.2.change"),
        n.drained.trimEnd(),
        m("restore.2.change"),
        "no route-policy MAPS-OLD-DRAIN",
        m("removals.3.undrain"),
        "no route-policy MAPS-OUT-DRAIN-V4",
        m("stage.3.undrain"),
        n.text.trimEnd(),
        m("restore.3.undrain"),
        "no route-policy MAPS-OUT-DRAIN-V4",
        ...tail("iosxr", old, n),
      ].join("\n"),
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
      ["read-previous", cmds.readPrevious],
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
      for (const text of [cmds.push, cmds.check, cmds.readPrevious]) {
        expect(text).toContain(`printf '%s\\n' "$PAC_SSH_KEY" > "$w/key"`);
        // The redact filter names the words it looks for; nothing else may.
        expect(text.replace(REDACT_FUNCTION, "")).not.toMatch(
          /BEGIN OPENSSH|authentication-key|password|neighbor \S+ password/,
        );
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
 * The push script, run for real by sh with `ssh`, `scp` and `node` (the gate, `node scripts/run-ts.js cli/gate.ts`) replaced by stand-ins
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
    // FAIL_CONFIRM_AT=N: the Nth confirming commit fails (a confirm the router refuses).
    stub(
      "ssh",
      `printf '== ssh %s\\n' "$*" >> "$LOG"; input=$(cat); printf '%s\\n' "$input" >> "$LOG"
if printf '%s' "$input" | grep -q "confirmed after the health gate"; then
  c=$(( $(cat "$LOG.confirms" 2>/dev/null || echo 0) + 1 )); echo $c > "$LOG.confirms"
  if [ "$c" = "\${FAIL_CONFIRM_AT:-0}" ]; then echo "error: commit failed"; exit 0; fi
fi
printf '%s\\n' "$FAKE_CLI_OUT"`,
    );
    stub("scp", `printf '== scp %s\\n' "$*" >> "$LOG"`);
    stub(
      "node",
      `n=$(cat "$GATES_DONE" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$GATES_DONE"
printf '== gate %s\\n' "$*" >> "$LOG"
code=$(echo "$FAKE_GATES" | cut -d' ' -f$n); exit \${code:-1}`,
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (
    host: string,
    gates: string,
    cliOut: string,
    previous = "",
    rendering?: PushRendering,
    failConfirmAt = 0,
  ) => {
    const cmds = routerCommands(router(host), target(host), { ...SETTINGS, drainSeconds: 1 });
    const r = spawnSync("sh", ["-c", cmds.push], {
      encoding: "utf8",
      input: cmds.pushInput(
        previous,
        rendering ??
          next(
            cmds.platform === "junos" ? "routing-options {\n    router-id 10.0.0.1;\n}\n" : "router bgp 64500\n",
            cmds.platform === "junos" ? "#" : "!",
          ),
      ),
      env: {
        PATH: `${join(dir, "bin")}:${process.env.PATH}`,
        LOG: join(dir, "log"),
        GATES_DONE: join(dir, "gates"),
        FAKE_GATES: gates,
        FAKE_CLI_OUT: cliOut,
        FAIL_CONFIRM_AT: String(failConfirmAt),
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
    const sessions = [...r.log.matchAll(/^configure session (pac-lon-edge-2-\d+-\d+)( commit)?$/gm)].map((m) => m[0]);
    expect(sessions.at(-1)).toMatch(/^configure session pac-lon-edge-2-\d+-\d+ commit$/);
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

  describe("a change that affects a session: drained first", () => {
    const m = (x: string) => sectionMarker("junos", x);
    const policy = (name: string) =>
      `policy-options {\n    replace:\n    policy-statement ${name} {\n        then accept;\n    }\n}\n`;
    const previous = [
      policy("MAPS-OLD").trimEnd(),
      m("drained"),
      policy("MAPS-OLD-DRAIN").trimEnd(),
      m("sessions"),
      "s | peer 1",
      "",
    ].join("\n");
    const rendering: PushRendering = {
      text: policy("MAPS-OUT-V4"),
      drained: policy("MAPS-OUT-DRAIN-V4"),
      sessions: "s | peer 2\n",
    };
    const execs = (log: string) =>
      log
        .split("== ")
        .filter((e) => e.startsWith("ssh"))
        .map((e) =>
          e
            .split("\n")
            .slice(1)
            .filter((l) => l && !l.startsWith("policy-options") && !/^ |^}/.test(l))
            .join(" | "),
        );

    it("drains, changes, undrains: three transactions, each gated and confirmed, the three kept together", () => {
      const r = run("fra-edge-1", "0 0 0", "commit complete", previous, rendering);
      expect(r.stdout).toContain(
        "the change affects 1 session(s): drained first (RFC 8326), drain, then change, then undrain",
      );
      expect(r.stdout).toContain("fra-edge-1: drained (RFC 8326): 1 s for traffic to leave this leg before the change");
      expect(r.status).toBe(0);
      expect(r.log.match(/commit confirmed 10/g)).toHaveLength(3);
      expect(r.log.match(/peering-as-code: confirmed after the health gate/g)).toHaveLength(3);
      expect(r.log.match(/^== gate /gm)).toHaveLength(3);
      // The commits (not the check passes): each stage's deletes, then its rendering loaded.
      expect(execs(r.log).filter((e) => e.includes("commit confirmed"))).toEqual(
        ["MAPS-OLD", "MAPS-OLD-DRAIN", "MAPS-OUT-DRAIN-V4"].map(
          (p) =>
            `configure exclusive | delete policy-options policy-statement ${p} | load replace /var/tmp/fra-edge-1.pac.next | commit confirmed 10 comment "peering-as-code: unconfirmed" | exit configuration-mode`,
        ),
      );
      expect(r.stdout).toMatch(/fra-edge-1: confirmed\n$/);
    });

    it("a failed gate after the change rolls that commit back and restores the previous rendering", () => {
      const r = run("fra-edge-1", "0 1 0 0", "commit complete", previous, rendering);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("fra-edge-1: rolling back at once");
      expect(r.stdout).toContain(
        "fra-edge-1: restoring the previous rendering: the stages before this one were confirmed",
      );
      expect(r.stdout).toMatch(/fra-edge-1: restored\n/);
      expect(r.stdout).toMatch(/fra-edge-1: rolled back: healthy again\n$/);
      expect(r.log).toContain('rollback 1\ncommit comment "peering-as-code: rolled back, health gate failed"');
      expect(r.log).not.toContain("fra-edge-1.pac.conf");
    });

    it("a confirm the router refuses after the change is undone at once and the previous rendering restored", () => {
      const r = run("fra-edge-1", "0 0 0", "commit complete", previous, rendering, 2);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("fra-edge-1: the router did not confirm: rolling back at once");
      expect(r.stdout).toMatch(/fra-edge-1: restored\n$/);
      expect(r.log).toContain('rollback 1\ncommit comment "peering-as-code: rolled back, health gate failed"');
      expect(r.log).not.toContain("fra-edge-1.pac.conf");
    });
  });
});
