/**
 * Where each registered prefix and origin ASN is registered (plan/registrations.ts): once, on a
 * home chosen once and pinned in the lock, never moved by another metro becoming active, moved only
 * by registerAt, and never on a metro whose connections are not Active.
 */
import { formatLock } from "../../load/lock";
import type { Plan } from "../../plan/model";
import type { StackFiles } from "../../load/load";
import {
  edit,
  inventoryOf,
  labFiles,
  lineOf,
  PARIS,
  planOf,
  problemsOf,
  registerAt,
  withLock,
  withMetro,
  withoutMetro,
} from "../support/stack";

const homes = (p: Plan) =>
  p.registrations.map((r) => `${r.key} ${r.state} ${r.home ?? "-"}${r.protect ? " protected" : ""}`);
/** The lab's session prefixes locked, its registration homes not yet chosen. */
const unpinned = () =>
  withLock(labFiles(), formatLock({ ...planOf(labFiles()).lock, registeredPrefixes: {}, registeredAsns: {} }));
const status = (files: StackFiles, metro: string, to: string) =>
  edit(files, `metros/${metro}.yaml`, "status: active", `status: ${to}`);
/** A metro before Amsterdam in id order: the first active metro of the region once it is active. */
const AACHEN = PARIS.replace("peeringLocation: Paris", "peeringLocation: Aachen").replace(/par-edge/g, "aac-edge");

describe("the lab stack", () => {
  it("registers each prefix and origin ASN once, on the home the lock pins", () => {
    expect(homes(planOf(labFiles()))).toEqual([
      "198.51.100.0/24 registered amsterdam protected",
      "203.0.113.0/24 registered frankfurt protected",
      "2001:db8:1000::/48 registered amsterdam protected",
      "AS64501 registered frankfurt protected",
    ]);
    expect(planOf(labFiles()).newAllocations).toEqual([]);
  });

  it("chooses the homes once: the first active metro of the region (by id), registerAt, an ASN with its first prefix; the lock records them", () => {
    const p = planOf(unpinned());
    expect(homes(p)).toEqual([
      "198.51.100.0/24 new amsterdam protected",
      "203.0.113.0/24 new frankfurt protected",
      "2001:db8:1000::/48 new amsterdam protected",
      "AS64501 new frankfurt protected",
    ]);
    expect(p.registrations.map((r) => r.reason)).toEqual([
      "first active metro of its region",
      "registerAt frankfurt",
      "first active metro of its region",
      "home of its first prefix",
    ]);
    expect(p.newAllocations).toEqual([
      "home 198.51.100.0/24 amsterdam",
      "home 203.0.113.0/24 frankfurt",
      "home 2001:db8:1000::/48 amsterdam",
      "home AS64501 frankfurt",
    ]);
    expect(p.lock).toMatchObject({
      registeredPrefixes: {
        "198.51.100.0/24": "amsterdam",
        "2001:db8:1000::/48": "amsterdam",
        "203.0.113.0/24": "frankfurt",
      },
      registeredAsns: { AS64501: "frankfurt" },
    });
  });

  it("writes the homes into the lock as YAML the loader reads back", () => {
    const lock = formatLock(planOf(unpinned()).lock);
    expect(lock).toContain(
      "registeredPrefixes:\n  198.51.100.0/24: amsterdam\n  2001:db8:1000::/48: amsterdam\n  203.0.113.0/24: frankfurt\nregisteredAsns:\n  AS64501: frankfurt\n",
    );
    expect(inventoryOf(withLock(labFiles(), lock)).lock.registeredPrefixes).toEqual({
      "198.51.100.0/24": "amsterdam",
      "2001:db8:1000::/48": "amsterdam",
      "203.0.113.0/24": "frankfurt",
    });
  });
});

describe("a pinned home never moves by itself", () => {
  it("stays when a metro earlier in id order becomes active, which a new registration would choose", () => {
    expect(homes(planOf(withMetro(labFiles(), "aachen", AACHEN))).slice(0, 1)).toEqual([
      "198.51.100.0/24 registered amsterdam protected",
    ]);
    expect(homes(planOf(withMetro(unpinned(), "aachen", AACHEN))).slice(0, 1)).toEqual([
      "198.51.100.0/24 new aachen protected",
    ]);
  });

  it("stays on a metro in maintenance", () => {
    expect(homes(planOf(status(labFiles(), "amsterdam", "maintenance"))).slice(0, 1)).toEqual([
      "198.51.100.0/24 registered amsterdam protected",
    ]);
  });

  it("stays on a metro being decommissioned, unprotected, until registerAt moves it (the registrations policy insists)", () => {
    const p = planOf(status(labFiles(), "amsterdam", "decommissioned"));
    expect(homes(p).slice(0, 1)).toEqual(["198.51.100.0/24 registered amsterdam"]);
    expect(p.registrations[0].reason).toBe("pinned home amsterdam is being decommissioned: move it (registerAt)");
  });
});

describe("moving a registration", () => {
  it("to an active metro: declared there, unprotected while it moves; the lock keeps the old home until the engineer pins the new one", () => {
    const p = planOf(registerAt(labFiles(), "198.51.100.0/24", "london"));
    expect(homes(p)[0]).toBe("198.51.100.0/24 moving london");
    expect(p.registrations[0]).toMatchObject({
      pinned: "amsterdam",
      reason: "moves from amsterdam to london (registerAt): the old registration is deleted first",
    });
    expect(p.lock.registeredPrefixes["198.51.100.0/24"]).toBe("amsterdam");
    expect(p.newAllocations).toEqual([]);
    // The engineer pins the new home after pulumi up: protected again.
    const pinned = edit(
      registerAt(labFiles(), "198.51.100.0/24", "london"),
      "allocations.lock.yaml",
      "198.51.100.0/24: amsterdam",
      "198.51.100.0/24: london",
    );
    expect(homes(planOf(pinned))[0]).toBe("198.51.100.0/24 registered london protected");
  });

  it("to a metro not active yet: stays where it is until then", () => {
    const p = planOf(status(registerAt(labFiles(), "198.51.100.0/24", "london"), "london", "provisioning"));
    expect(homes(p)[0]).toBe("198.51.100.0/24 registered amsterdam protected");
    expect(p.registrations[0].reason).toBe("stays at amsterdam until london (registerAt) is active");
  });

  it("an origin ASN, by originAsns", () => {
    const p = planOf(
      edit(
        labFiles(),
        "sp.yaml",
        "\ndefaultVendor: frr",
        "\noriginAsns:\n  - { asn: 64501, registerAt: london }\ndefaultVendor: frr",
      ),
    );
    expect(homes(p)[3]).toBe("AS64501 moving london");
  });

  it("away from a metro whose file is gone", () => {
    const p = planOf(
      registerAt(
        registerAt(withoutMetro(labFiles(), "amsterdam"), "198.51.100.0/24", "london"),
        "2001:db8:1000::/48",
        "london",
      ),
    );
    expect(homes(p).slice(0, 1)).toEqual(["198.51.100.0/24 moving london"]);
    expect(p.registrations[0].reason).toBe("registerAt london; its pinned home amsterdam has no metro file");
  });
});

describe("waiting for a home", () => {
  it("a metro in provisioning declares no registration: the region's first active metro does", () => {
    expect(homes(planOf(status(unpinned(), "amsterdam", "provisioning"))).slice(0, 1)).toEqual([
      "198.51.100.0/24 new frankfurt protected",
    ]);
  });

  it("with no active metro in the region, every registration waits, and the plan says for what", () => {
    const files = ["amsterdam", "frankfurt", "london"].reduce((f, m) => status(f, m, "provisioning"), unpinned());
    const p = planOf(files);
    expect(p.registrations.map((r) => `${r.key}: ${r.reason}`)).toEqual([
      "198.51.100.0/24: waits for an active metro in region europe-west",
      "203.0.113.0/24: waits for frankfurt (registerAt) to be active",
      "2001:db8:1000::/48: waits for an active metro in region europe-west",
      "AS64501: waits for the registration of its prefix 203.0.113.0/24",
    ]);
    expect(p.waiting.filter((w) => !w.subject.startsWith("metro"))).toEqual([
      {
        subject: "198.51.100.0/24",
        waitsFor: "an active metro in region europe-west",
        next: "nothing to do: it is registered as soon as that holds",
      },
      {
        subject: "203.0.113.0/24",
        waitsFor: "frankfurt (registerAt) to be active",
        next: "nothing to do: it is registered as soon as that holds",
      },
      {
        subject: "2001:db8:1000::/48",
        waitsFor: "an active metro in region europe-west",
        next: "nothing to do: it is registered as soon as that holds",
      },
      {
        subject: "AS64501",
        waitsFor: "the registration of its prefix 203.0.113.0/24",
        next: "nothing to do: it is registered as soon as that holds",
      },
    ]);
    expect(p.newAllocations).toEqual([]);
  });

  it("keeps the homes of prefixes the inventory no longer lists, and says so", () => {
    const p = planOf(edit(labFiles(), "sp.yaml", /  - prefix: 2001:db8:1000::\/48\n(    .*\n)+/, ""));
    expect(p.retiredRegistrations).toEqual(["2001:db8:1000::/48"]);
    expect(p.lock.registeredPrefixes["2001:db8:1000::/48"]).toBe("amsterdam");
  });
});

describe("registration problems", () => {
  it("a metro that holds registrations going back to provisioning", () => {
    const files = status(labFiles(), "amsterdam", "provisioning");
    expect(problemsOf(files)).toEqual(
      [
        ["198.51.100.0/24", "198.51.100.0/24:"],
        ["2001:db8:1000::/48", "2001:db8:1000::/48:"],
      ].map(
        ([p, line]) =>
          `stacks/lab/allocations.lock.yaml:${lineOf("allocations.lock.yaml", line)} registeredPrefixes.${p}: ${p} is registered at amsterdam (its pinned home), but amsterdam is now provisioning: a metro that holds registrations has been active. ` +
          `Fix: set amsterdam's status back to active (stacks/lab/metros/amsterdam.yaml), or move the registration with registerAt in stacks/lab/sp.yaml`,
      ),
    );
  });

  it("a pinned home whose metro file is gone, with no registerAt", () => {
    expect(problemsOf(withoutMetro(labFiles(), "amsterdam"))).toEqual(
      [
        ["198.51.100.0/24", "198.51.100.0/24:"],
        ["2001:db8:1000::/48", "2001:db8:1000::/48:"],
      ].map(
        ([p, line]) =>
          `stacks/lab/allocations.lock.yaml:${lineOf("allocations.lock.yaml", line)} registeredPrefixes.${p}: ${p} is registered at amsterdam (its pinned home), which has no metro file any more. ` +
          `Fix: restore the metro file, or set registerAt for ${p} to an active metro in stacks/lab/sp.yaml (the registration moves there)`,
      ),
    );
  });

  it.each([
    [
      "registerAt a metro that does not exist",
      (f: StackFiles) => registerAt(f, "198.51.100.0/24", "lisbon"),
      "registerAt: lisbon",
      'prefixes[0].registerAt: names metro "lisbon", which has no metro file. Fix: use one of amsterdam, frankfurt, london (the file name without .yaml)',
    ],
    [
      "registerAt a metro being decommissioned",
      (f: StackFiles) => status(registerAt(f, "198.51.100.0/24", "london"), "london", "decommissioned"),
      "registerAt: london",
      "prefixes[0].registerAt: registerAt names london, which is being decommissioned. Fix: name an active metro",
    ],
    [
      "a region the SP does not serve",
      (f: StackFiles) =>
        edit(f, "sp.yaml", "  - prefix: 198.51.100.0/24\n", "  - prefix: 198.51.100.0/24\n    region: asia-east\n"),
      "region: asia-east",
      'prefixes[0].region: region "asia-east" is not a region the SP serves. Fix: use one of europe-west, or add it to `regions`',
    ],
    [
      "an origin ASN entry for the SP's own ASN",
      (f: StackFiles) =>
        edit(
          f,
          "sp.yaml",
          "\ndefaultVendor: frr",
          "\noriginAsns:\n  - { asn: 64500, registerAt: london }\ndefaultVendor: frr",
        ),
      "asn: 64500, registerAt",
      "originAsns[0].asn: AS64500 is the SP's own ASN (the PeerAsn), not a registered origin ASN. Fix: remove the entry from originAsns",
    ],
    [
      "an origin ASN no prefix has",
      (f: StackFiles) =>
        edit(
          f,
          "sp.yaml",
          "\ndefaultVendor: frr",
          "\noriginAsns:\n  - { asn: 64502, registerAt: london }\ndefaultVendor: frr",
        ),
      "asn: 64502",
      "originAsns[0].asn: AS64502 originates none of the registered prefixes. Fix: remove the entry, or correct originAsn of its prefixes",
    ],
  ])("%s", (_name, change, at, expected) => {
    const files = change(labFiles());
    expect(problemsOf(files)).toEqual([`stacks/lab/sp.yaml:${lineOf("sp.yaml", at, files)} ${expected}`]);
  });
});
