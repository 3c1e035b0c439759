/**
 * The lab on the lab stack: real zebra/bgpd/bfdd/staticd/isisd in network namespaces, the
 * product's configs unchanged on the SP edges (real BIRD 2 with its own rendering on lon-edge-1). Where traffic must go after each failure is
 * stated in test/lab/expectedPaths.ts. Needs root, FRR and BIRD (`bash .ci/install-daemons`); without
 * them this suite fails and says why (CI installs both).
 */
import * as path from "path";
import { runAnalyze } from "../../cli/analyze";
import { briefEvents, rogueAnnouncements, type Rogue } from "./routeAnalytics";
import { bringUpCounters, productSessions, routesFrom, unsignedTcpConnects, waitConverged } from "./checks";
import { LAB_STACK_PATHS } from "./expectedPaths";
import { cleanupLeftovers, Lab, LabStartError } from "./lab";
import { formatPath } from "./paths";
import {
  customerPrepend,
  microsoftRejectsPrepend,
  maxPrefixFlood,
  nearestEdge,
  oneLegLinkDown,
  oneLegSilentFailure,
  oneMetroDown,
  PROBE_INTERVAL_MS,
  type FailoverResult,
} from "./scenarios";
import { listNamespaces, missingPrerequisites } from "./system";
import { LAB_PREFIX } from "./topology";
import { MAX_AS_PATH_LENGTH } from "./configs";
import { deployMetros, deployProblems, deployScenario, LabSsh } from "./deploy";

const missing = missingPrerequisites();

if (missing.length > 0) {
  describe("lab", () => {
    it("can run here (root, FRR, BIRD, iproute2, fping)", () => {
      throw new Error(`THE LAB DID NOT RUN: ${missing.join("; ")}`);
    });
  });
} else {
  describe("lab of the lab stack", () => {
    let lab: Lab;
    const results: FailoverResult[] = [];

    beforeAll(async () => {
      await cleanupLeftovers();
      lab = await Lab.start({ stack: "lab" });
      await waitConverged(lab, 60_000);
    }, 120_000);

    afterAll(async () => {
      // Safety net: the last test tears down and checks; this runs even when a check failed.
      await lab?.teardown();
      for (const r of results) {
        process.stdout.write(
          `lab: ${r.scenario}, ${r.metro}: outage ${r.outage.outageMs} ms (${r.outage.lost}/${r.outage.sent} probes at ${PROBE_INTERVAL_MS} ms), restored ${r.restoredAfterMs} ms after the repair\n`,
        );
      }
    }, 30_000);

    it("brings every product session to AS8075 to Established, with BFD up and MD5 on the keyed leg", async () => {
      const sessions = await productSessions(lab);
      const expected = lab.topology.plan.sessions.map((s) => s.id).sort();
      expect(sessions.map((s) => s.id).sort()).toEqual(expected);
      for (const s of sessions)
        expect({ id: s.id, state: s.state, bfd: s.bfd }).toEqual({ id: s.id, state: "Established", bfd: "up" });
      // The lab stack keys frankfurt/b; both of its sessions are up with the key on both ends.
      expect(
        sessions
          .filter((s) => s.md5)
          .map((s) => s.id)
          .sort(),
      ).toEqual(["frankfurt/b/ipv4", "frankfurt/b/ipv6"]);
      expect(lab.sessionCount).toBeGreaterThanOrEqual(sessions.length);
    });

    it("brings every session to AS8075 up once: no BGP reset and no BFD down at either end", async () => {
      const counters = await bringUpCounters(lab);
      expect(counters).toHaveLength(lab.topology.plan.sessions.length * 2);
      const unclean = counters.filter(
        (c) => c.established !== 1 || c.dropped !== 0 || c.bfdUp !== 1 || c.bfdDown !== 0,
      );
      expect(unclean).toEqual([]);
    });

    it("enforces MD5 on the keyed leg: an unsigned TCP connection to the SP's BGP port is dropped there, accepted elsewhere", async () => {
      const byLeg: Record<string, boolean> = {};
      for (const m of lab.topology.msft) byLeg[m.leg.id] = await unsignedTcpConnects(lab, m);
      const expected = Object.fromEntries(lab.topology.msft.map((m) => [m.leg.id, m.leg.md5KeySecret === undefined]));
      expect(byLeg).toEqual(expected);
      expect(Object.values(byLeg)).toContain(false);
      await waitConverged(lab, 30_000); // the probes must not have disturbed any session
    }, 60_000);

    it.each([["ipv4"], ["ipv6"]] as const)(
      "Microsoft learns exactly the registered %s prefixes on every leg: with 8075:8007, no prepends, at most 3 ASNs",
      async (afi) => {
        const registered = [...lab.topology.registered[afi]].sort();
        for (const m of lab.topology.msft) {
          const r = await routesFrom(lab, m.ns, afi, m.leg[afi].sp);
          // What the SP sent, before Microsoft's filter: nothing more (no leak), nothing less.
          expect({ leg: m.leg.id, received: r.received }).toEqual({ leg: m.leg.id, received: registered });
          expect({ leg: m.leg.id, accepted: r.accepted.map((x) => x.prefix) }).toEqual({
            leg: m.leg.id,
            accepted: registered,
          });
          for (const route of r.accepted) {
            const asns = route.asPath.split(" ");
            const origin = lab.topology.plan.sp.prefixes.find((p) => p.prefix === route.prefix)?.originAsn;
            const expectedPath =
              origin === lab.topology.plan.sp.asn ? `${origin}` : `${lab.topology.plan.sp.asn} ${String(origin)}`;
            expect({ leg: m.leg.id, prefix: route.prefix, path: route.asPath }).toEqual({
              leg: m.leg.id,
              prefix: route.prefix,
              path: expectedPath,
            });
            expect(asns.length).toBeLessThanOrEqual(MAX_AS_PATH_LENGTH);
            expect(route.communities).toContain("8075:8007");
          }
        }
      },
    );

    it.each([["ipv4"], ["ipv6"]] as const)(
      "every SP edge learns the Microsoft %s service prefixes from its leg",
      async (afi) => {
        for (const e of lab.topology.sp) {
          const r = await routesFrom(lab, e.ns, afi, e.leg[afi].microsoft);
          expect({ router: e.hostname, accepted: r.accepted.map((x) => x.prefix) }).toEqual({
            router: e.hostname,
            accepted: [...lab.topology.serviceBgpPrefixes[afi]].sort(),
          });
        }
      },
    );

    it("withholds a prepended customer path: every SP edge holds it, no Microsoft edge even receives it, and it is back once the prepend stops", async () => {
      const r = await customerPrepend(lab);
      expect(r.prependedPath).toBe("64501 64501");
      expect(r.heldAt).toEqual(lab.topology.sp.map((e) => e.hostname));
      expect(r.receivedAt).toEqual([]);
      expect(r.restoredAt).toEqual(lab.topology.msft.map((m) => m.name));
    }, 120_000);

    it("makes Microsoft's simulated filter reject a prepended path injected at its edge (tested on its own)", async () => {
      const r = await microsoftRejectsPrepend(lab);
      expect(r.receivedPath).toBe(r.injectedPath);
      expect(r.accepted).toBe(false);
    }, 90_000);

    it("reports exactly the hijacks of two third networks peering with Microsoft edges, from the edges' FRR JSON, and nothing on the clean lab", async () => {
      const dir = path.join(lab.runDir, "analytics");
      const expected = (rogues: Rogue[]) => [
        `critical sub-prefix-hijack ${rogues[0].prefix} at ${rogues[0].at.leg.id} on ${rogues[0].at.name} from ${rogues[0].address} path ${rogues[0].asn}`,
        `critical origin-hijack ${rogues[1].prefix} at ${rogues[1].at.leg.id} on ${rogues[1].at.name} from ${rogues[1].address} path ${rogues[1].asn}`,
      ];
      const r = await rogueAnnouncements(lab, dir, expected);
      expect(briefEvents(r.clean.analysis)).toEqual([]);
      expect(r.clean.analysis.metros.flatMap((m) => m.legs.map((l) => l.seen))).toEqual(
        lab.topology.msft.map(() => lab.topology.plan.sp.prefixes.length),
      );
      expect(briefEvents(r.hijacked.analysis)).toEqual(expected(r.rogues));
      expect(briefEvents(r.after.analysis)).toEqual([]);
      // The command reads the same files: its table is the closing note's.
      const out: string[] = [];
      const code = await runAnalyze(
        ["--stack", "lab", ...r.hijacked.files.flatMap((f) => ["--frr", `${f.router}=${f.file}`])],
        {},
        { out: (s) => out.push(s), err: () => undefined },
      );
      expect(code).toBe(2);
      process.stdout.write(
        `lab: route analytics of the Microsoft edges while the rogues announce:\n${out.join("\n")}\n`,
      );
      await waitConverged(lab, 30_000);
    }, 150_000);

    it("runs the BIRD router on real BIRD 2 with its own rendering", async () => {
      const bird = lab.topology.sp.filter((e) => e.daemon === "bird");
      expect(bird.map((e) => e.hostname)).toEqual(["lon-edge-1"]);
      const status = await lab.birdc(bird[0].ns, "show", "status");
      expect(status).toMatch(/BIRD 2\.\d+\.\d+/);
      expect(status).toMatch(/Router ID is 10\.64\.0\.5/);
    });

    const metros = Object.keys(LAB_STACK_PATHS);
    const paths = (r: { forward: readonly string[]; back: readonly string[] }) => ({
      forward: formatPath(r.forward),
      back: formatPath(r.back),
    });

    it("covers every metro of the lab stack in its table of expected paths", () => {
      expect(lab.topology.customers.map((c) => c.metro).sort()).toEqual([...metros].sort());
    });

    it.each(metros)(
      "takes the nearest edge: the customer in %s reaches the service through its own metro's leg, both ways",
      async (metro) => {
        const r = await nearestEdge(lab, metro);
        const { forward, back } = LAB_STACK_PATHS[metro].nominal;
        expect(paths(r.paths)).toEqual({ forward, back });
        expect(r.received).toBe(r.sent);
      },
      90_000,
    );

    it.each(metros)(
      "keeps failover local when one leg's link goes down in %s: the metro's other leg, both ways",
      async (metro) => {
        const r = await oneLegLinkDown(lab, metro);
        results.push(r);
        const { failed, forward, back } = LAB_STACK_PATHS[metro].legDown;
        expect(r.failed).toEqual(failed);
        expect(paths(r.after)).toEqual({ forward, back });
        expect(r.outage.recovered).toBe(true);
        expect(r.outage.outageMs).toBeLessThan(1000);
      },
      90_000,
    );

    it("detects a silent failure (packets dropped, no link-down) with BFD as rendered: outage under a second, the metro's other leg", async () => {
      const metro = metros[0];
      const r = await oneLegSilentFailure(lab, metro);
      results.push(r);
      const { failed, forward, back } = LAB_STACK_PATHS[metro].legDown;
      expect(r.failed).toEqual(failed);
      expect(paths(r.after)).toEqual({ forward, back });
      expect(r.outage.recovered).toBe(true);
      // Without BFD this would be the 180 s hold time; BFD as rendered (the lab stack's 200 ms × 3) must end it within a second.
      expect(r.outage.outageMs).toBeGreaterThan(0);
      expect(r.outage.outageMs).toBeLessThan(1000);
    }, 90_000);

    it.each(metros)(
      "fails over to the nearest metro when both legs of %s go down, both ways",
      async (metro) => {
        const r = await oneMetroDown(lab, metro);
        results.push(r);
        const { failed, forward, back } = LAB_STACK_PATHS[metro].metroDown;
        expect(r.failed).toEqual(failed);
        expect(paths(r.after)).toEqual({ forward, back });
        expect(r.outage.recovered).toBe(true);
        expect(r.outage.outageMs).toBeLessThan(2000);
      },
      90_000,
    );

    it("deploys over SSH leg by leg: a good change confirmed on leg a, checked, then leg b with no probe lost; a bad change rolled back on leg a, leg b untouched", async () => {
      const ssh = await LabSsh.start(lab);
      const metros = deployMetros(lab);
      expect(metros).toEqual(["amsterdam", "london"]);
      for (const metro of metros) {
        const r = await deployScenario(lab, ssh, metro);
        process.stdout.write(
          `lab: deploy ${metro}: good change ${r.good.probes.lost}/${r.good.probes.sent} probes lost; bad change rolled back in ${String(r.bad.rollbackMs)} ms (${r.bad.probes.lost}/${r.bad.probes.sent} lost): ${r.gateFinding}\n`,
        );
        expect(deployProblems(r)).toEqual([]);
        expect(r.gateFinding).toMatch(/BGP \w+, not Established/);
      }
    }, 900_000);

    it("takes the IPv6 session down when Microsoft floods more prefixes than maximum-prefix, as rendered", async () => {
      const r = await maxPrefixFlood(lab);
      expect(r.configured).toBe(`maximum-prefix ${r.limit} 90 restart 30`);
      expect(r.flooded).toBeGreaterThan(r.limit);
      expect(r.stateAfter).toBe("Idle (PfxCt)");
      expect(r.notification).toBe("Cease/Maximum Number of Prefixes Reached");
      expect(r.restartInMinutes).toBe(30);
      expect(r.otherFamilyState).toBe("Established");
    }, 60_000);

    it("tears down without leaving a namespace, link, process or file", async () => {
      await lab.teardown();
      expect(await lab.leftovers()).toEqual([]);
    }, 30_000);
  });

  describe("lab failing half way", () => {
    it("tears down everything it built when a config is rejected", async () => {
      let runId = "";
      const err = await Lab.start({
        stack: "lab",
        extraLabLayer: "this-is-not-a-command\n",
        log: (line) => {
          runId = /^lab (\S+):/.exec(line)?.[1] ?? runId;
        },
      }).then(
        () => undefined,
        (e: unknown) => e as LabStartError,
      );
      expect(err).toBeInstanceOf(LabStartError);
      expect(err?.message).toMatch(/lab-layer\.conf was not accepted/);
      expect(err?.leftovers).toEqual([]);
      expect(runId).not.toBe("");
      const left = (await listNamespaces()).filter((n) => n.startsWith(`${LAB_PREFIX}${runId}-`));
      expect(left).toEqual([]);
    }, 120_000);
  });
}
