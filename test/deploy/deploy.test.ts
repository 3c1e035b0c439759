/**
 * The deploy's pure core: what a push sends on stdin, the rollout order, what the gate expects,
 * and that every command string is valid POSIX shell (checked by `sh -n`, the shell's own parser).
 */
import { spawnSync } from "child_process";
import { healthExpectations } from "../../deploy/health";
import { rolloutWaves } from "../../deploy/rollout";
import type { PushRendering } from "../../deploy/drain";
import { configHash, frrPushInput, routerCommands, sectionMarker } from "../../deploy/scripts";
import { DEFAULT_GATE, parseDeploySettings, type DeployTarget } from "../../deploy/settings";
import type { Plan } from "../../plan/model";
import { edit, labFiles, planOf } from "../support/stack";

const plan: Plan = planOf(labFiles());
const router = (host: string) => {
  const r = plan.routers.find((x) => x.hostname === host);
  if (!r) throw new Error(host);
  return r;
};
const target = (hostname: string): DeployTarget => ({
  hostname,
  host: "192.168.100.1",
  port: 22,
  user: "maps-deploy",
  privateKeySecret: "deploySshPrivateKey",
  stateDir: "/var/lib/peering-as-code",
});
const SETTINGS = { gate: DEFAULT_GATE, confirmSeconds: 600, drainSeconds: 60 };

describe("frrPushInput", () => {
  const m = (section: string) => sectionMarker("frr", section);
  const previous =
    "route-map MAPS-OUT-V4 permit 10\n set community 8075:8007\nexit\nroute-map MAPS-OLD permit 10\nexit\n";
  const next = "route-map MAPS-OUT-V4 permit 10\n set community 8075:8007\nexit\n";
  const rendering = (text: string): PushRendering => ({ text, drained: `${text}! drained\n`, sessions: "s1 | a\n" });

  it("sends the removals then the rendering, the way back, and what the router keeps", () => {
    expect(frrPushInput(previous, rendering(next), 60)).toBe(
      [
        m("note"),
        "not drained: the router keeps no session facts from its last push (pushed by an older version); drain by hand if this change resets a session",
        m("stage.1.change"),
        "no route-map MAPS-OLD permit 10",
        next.trimEnd(),
        m("undo.1.change"),
        previous.trimEnd(),
        m("next"),
        next.trimEnd(),
        m("drained"),
        `${next}! drained`,
        m("sessions"),
        "s1 | a",
        "",
      ].join("\n"),
    );
  });

  it("on a first push (nothing confirmed yet) rolls back by removing everything it applied", () => {
    const input = frrPushInput("", rendering(next), 60);
    const undo = input.slice(input.indexOf(m("undo.1.change")), input.indexOf(m("next")));
    expect(undo).toBe(`${m("undo.1.change")}\nno route-map MAPS-OUT-V4 permit 10\n\n`);
  });
});

describe("configHash", () => {
  it("is the sha256 of the rendering, byte for byte", () => {
    expect(configHash("a\n")).toBe(configHash("a\n"));
    expect(configHash("a\n")).not.toBe(configHash("a \n"));
    expect(configHash("")).toBe("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});

describe("rolloutWaves", () => {
  const targets = Object.fromEntries(plan.routers.map((r) => [r.hostname, target(r.hostname)]));

  it("puts every metro in one wave by default, each metro's routers in leg order", () => {
    expect(
      rolloutWaves(plan, { targets, waves: [] }).map((w) =>
        w.map((m) => `${m.metro}: ${m.routers.map((r) => r.hostname).join(" → ")}`),
      ),
    ).toEqual([
      ["amsterdam: ams-edge-1 → ams-edge-2", "frankfurt: fra-edge-1 → fra-edge-2", "london: lon-edge-1 → lon-edge-2"],
    ]);
  });

  it("follows the configured waves and puts the metros no wave names last", () => {
    expect(
      rolloutWaves(plan, { targets, waves: [["london"], ["amsterdam"]] }).map((w) => w.map((m) => m.metro)),
    ).toEqual([["london"], ["amsterdam"], ["frankfurt"]]);
  });

  it("pushes only to routers with a deploy target", () => {
    const some = { "ams-edge-2": targets["ams-edge-2"], "lon-edge-1": targets["lon-edge-1"] };
    expect(
      rolloutWaves(plan, { targets: some, waves: [] })
        .flat()
        .map((m) => m.routers.map((r) => r.hostname)),
    ).toEqual([["ams-edge-2"], ["lon-edge-1"]]);
  });

  it("starts pushing a metro in provisioning, not one still requested", () => {
    const provisioning = planOf(edit(labFiles(), "london.yaml", "status: active", "status: provisioning"));
    expect(
      rolloutWaves(provisioning, { targets, waves: [] })
        .flat()
        .map((m) => m.metro),
    ).toContain("london");
    const requested = planOf(edit(labFiles(), "london.yaml", "status: active", "status: requested"));
    expect(
      rolloutWaves(requested, { targets, waves: [] })
        .flat()
        .map((m) => m.metro),
    ).not.toContain("london");
  });
});

describe("healthExpectations", () => {
  it("expects every registered prefix of the family sent, and at least the configured number received", () => {
    expect(healthExpectations(router("lon-edge-1"), { ...DEFAULT_GATE, minReceived: { ipv4: 1, ipv6: 2 } })).toEqual([
      {
        id: "london/a/ipv4",
        afi: "ipv4",
        peer: "192.0.2.8",
        sent: 2,
        minReceived: 1,
        birdProtocol: "maps_london_a_ipv4",
      },
      {
        id: "london/a/ipv6",
        afi: "ipv6",
        peer: "2001:db8:ffff::8",
        sent: 1,
        minReceived: 2,
        birdProtocol: "maps_london_a_ipv6",
      },
    ]);
  });

  it("does not gate on sessions Microsoft is still validating (provisioning)", () => {
    const provisioning = planOf(edit(labFiles(), "london.yaml", "status: active", "status: provisioning"));
    const r = provisioning.routers.find((x) => x.hostname === "lon-edge-2");
    expect(r && healthExpectations(r, DEFAULT_GATE)).toEqual([]);
  });
});

describe("routerCommands", () => {
  const shellCheck = (script: string) => spawnSync("sh", ["-n", "-c", script], { encoding: "utf8" });

  it.each(["ams-edge-1", "lon-edge-1"])("gives %s commands that POSIX sh parses", (host) => {
    const cmds = routerCommands(router(host), { ...target(host), birdFile: `/etc/bird/${host}.bird.conf` }, SETTINGS);
    for (const script of [cmds.push, cmds.check, cmds.readPrevious]) {
      const r = shellCheck(script);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    }
  });

  it("reads the previous rendering with its drained variant and session facts; BIRD's is the file it runs", () => {
    expect(routerCommands(router("ams-edge-1"), target("ams-edge-1"), SETTINGS).readPrevious).toBe(
      [
        "cat /var/lib/peering-as-code/ams-edge-1.conf 2>/dev/null",
        "if [ -f /var/lib/peering-as-code/ams-edge-1.drained.conf ] && [ -f /var/lib/peering-as-code/ams-edge-1.sessions.conf ]; then",
        "  printf '%s\\n' '! peering-as-code: drained'; cat /var/lib/peering-as-code/ams-edge-1.drained.conf",
        "  printf '%s\\n' '! peering-as-code: sessions'; cat /var/lib/peering-as-code/ams-edge-1.sessions.conf",
        "fi",
        "true",
      ].join("\n"),
    );
    const bird = routerCommands(router("lon-edge-1"), target("lon-edge-1"), SETTINGS);
    expect(bird.readPrevious.split("\n")[0]).toBe("cat /etc/bird/lon-edge-1.bird.conf 2>/dev/null");
    expect(bird.readPrevious).toContain("'# peering-as-code: drained'");
    const input = bird.pushInput("old\n", { text: "new\n", drained: "new drained\n", sessions: "x | y\n" });
    expect(input.split("\n").slice(2)).toEqual([
      "# peering-as-code: stage.1.change",
      "new",
      "# peering-as-code: next",
      "new",
      "# peering-as-code: drained",
      "new drained",
      "# peering-as-code: sessions",
      "x | y",
      "",
    ]);
  });

  it("arms the rollback for confirmSeconds and gates for the configured wait and hold", () => {
    const frr = routerCommands(router("ams-edge-1"), target("ams-edge-1"), {
      gate: { ...DEFAULT_GATE, timeoutSeconds: 45, holdSeconds: 7 },
      confirmSeconds: 300,
      drainSeconds: 30,
    });
    expect(frr.push).toContain('setsid sh -c "sleep 300; vtysh -f $t.rollback');
    expect(frr.push).toContain('say "NOT HEALTHY after 45 s:$missing"');
    expect(frr.push).toContain("-ge 7 ]");
  });
});

describe("parseDeploySettings", () => {
  it("fills the defaults: port 22, the default key name and state directory, BIRD's file", () => {
    const r = parseDeploySettings(
      { routers: { "lon-edge-1": { host: "lon-edge-1.mgmt.example.net", user: "maps-deploy" } } },
      plan,
      "stacks/Pulumi.lab.yaml",
    );
    expect(r.problems).toEqual([]);
    expect(r.settings?.targets["lon-edge-1"]).toEqual({
      hostname: "lon-edge-1",
      host: "lon-edge-1.mgmt.example.net",
      port: 22,
      user: "maps-deploy",
      privateKeySecret: "deploySshPrivateKey",
      stateDir: "/var/lib/peering-as-code",
      birdFile: "/etc/bird/lon-edge-1.bird.conf",
    });
    expect(r.settings?.gate).toEqual(DEFAULT_GATE);
    expect(r.settings?.drainSeconds).toBe(60);
  });

  it("refuses a drain the router would roll back before traffic has left the leg", () => {
    const r = parseDeploySettings(
      { routers: { "ams-edge-1": { host: "x", user: "maps-deploy" } }, confirmSeconds: 200, drainSeconds: 200 },
      plan,
      "stacks/Pulumi.lab.yaml",
    );
    expect(r.problems).toEqual([
      {
        file: "stacks/Pulumi.lab.yaml",
        line: 0,
        field: "peering-as-code:deploy.drainSeconds",
        message:
          "200 s is not shorter than confirmSeconds (200): the router would roll the drain back while traffic is still leaving the leg",
        fix: "set drainSeconds below 200, or raise confirmSeconds",
      },
    ]);
    const off = parseDeploySettings({ routers: {}, drainSeconds: 0 }, plan, "stacks/Pulumi.lab.yaml");
    expect(off.settings?.drainSeconds).toBe(0);
  });

  it("collects every problem at once, each with its field and fix", () => {
    const r = parseDeploySettings(
      { routers: { "ams-edge-1": { host: "x", user: "Root!", stateDir: "relative", port: 0 } }, speed: 1 },
      plan,
      "stacks/Pulumi.lab.yaml",
    );
    expect(r.problems.map((p) => p.field).sort()).toEqual([
      "peering-as-code:deploy.routers.ams-edge-1.port",
      "peering-as-code:deploy.routers.ams-edge-1.stateDir",
      "peering-as-code:deploy.routers.ams-edge-1.user",
      "peering-as-code:deploy.speed",
    ]);
  });
});
