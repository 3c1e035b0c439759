/**
 * `npm run onboard`'s pure part (gitops/scaffold.ts): reading the arguments (every bad one with its
 * flag, why and fix), the metro file it writes (the platform's default names, the region's capacity),
 * that the loader and the plan take that file as they take one written by hand (addresses from the
 * project's allocator), and a problem they find in it said of the flag that put it there.
 */
import { parseInventory } from "../../load/load";
import { formatProblem } from "../../load/problem";
import { buildPlan } from "../../plan/plan";
import {
  flagOf,
  parseOnboardArgs,
  problemOfFlag,
  regionPorts,
  scaffoldMetro,
  type OnboardArgs,
} from "../../gitops/scaffold";
import { inventoryOf, labFiles, PARIS_ONBOARD_ARGS, withMetro } from "../support/stack";

const BASE = PARIS_ONBOARD_ARGS;

function args(...extra: string[]): OnboardArgs {
  const r = parseOnboardArgs([...BASE, ...extra]);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.flag}: ${p.message}`).join("\n"));
  return r.value;
}

function problems(argv: string[]): string[] {
  const r = parseOnboardArgs(argv);
  if (r.ok) throw new Error("expected problems");
  return r.problems.map((p) => `${p.flag}: ${p.message}. Fix: ${p.fix}`);
}

const FILE = "stacks/lab/metros/paris.yaml";

describe("reading the arguments", () => {
  it("reads the metro, its legs sorted by name, and --flag=value as --flag value", () => {
    expect(
      args(
        "--router-b=par-edge-2:iosxr",
        "--router-a",
        "par-edge-1",
        "--members-b",
        "HundredGigE0/0/0/4, HundredGigE0/0/0/5",
        "--speed",
        "10",
        "--platform-a",
        "Debian 12 / FRR 8.4",
        "--dry-run",
      ),
    ).toEqual({
      stack: "lab",
      metro: "paris",
      location: "Paris",
      facility: 75,
      region: "europe-west",
      latitude: 48.86,
      longitude: 2.35,
      legs: [
        { name: "a", hostname: "par-edge-1", platform: "Debian 12 / FRR 8.4", speedGbps: 10 },
        {
          name: "b",
          hostname: "par-edge-2",
          vendor: "iosxr",
          members: ["HundredGigE0/0/0/4", "HundredGigE0/0/0/5"],
          speedGbps: 10,
        },
      ],
      dryRun: true,
    });
  });

  it("takes a PeeringDB facility by its page's address", () => {
    const argv = BASE.map((a) => (a === "75" ? "https://www.peeringdb.com/fac/75" : a));
    const r = parseOnboardArgs([...argv, "--router-a", "x"]);
    expect(r.ok && r.value.facility).toBe(75);
  });

  it("says --help", () => {
    expect(parseOnboardArgs(["--help"])).toEqual({ ok: false, problems: [], help: true });
  });

  it.each<[string, string[], string[]]>([
    [
      "nothing given",
      [],
      [
        "--stack: is missing. Fix: name the stack, a folder under stacks/, e.g. --stack lab",
        "--metro: is missing. Fix: name the metro as its file will be named, e.g. --metro paris",
        "--location: is missing. Fix: give the Azure peering location as `az peering location list --kind Direct` spells it, e.g. --location Paris",
        "--facility: is missing. Fix: give the PeeringDB facility id (peeringdb.com/fac/<id>), e.g. --facility 75",
        "--region: is missing. Fix: give one of the regions the SP serves (regions in sp.yaml), e.g. --region europe-west",
        "--latitude: is missing. Fix: give the metro's latitude in decimal degrees, e.g. --latitude 48.86",
        "--longitude: is missing. Fix: give the metro's longitude in decimal degrees, e.g. --longitude 2.35",
        "--router-<leg>: no leg is given. Fix: give one flag per leg, each on its own router: --router-a <hostname>:<vendor> --router-b <hostname>:<vendor>",
      ],
    ],
    [
      "a metro id that would leave the stack's folder",
      [...BASE.map((a) => (a === "paris" ? "../../etc" : a)), "--router-a", "x"],
      [
        '--metro: "../../etc" is not a metro id (it names the file stacks/<stack>/metros/<metro>.yaml). Fix: use lower-case letters, digits and dashes, e.g. --metro paris or --metro sao-paulo',
      ],
    ],
    [
      "a facility that is not a number, coordinates that are not degrees",
      [
        ...BASE.map((a) => (a === "75" ? "fac-75" : a === "48.86" ? "48N" : a === "2.35" ? "2,35" : a)),
        "--router-a",
        "x",
      ],
      [
        "--facility: \"fac-75\" is not a PeeringDB facility id. Fix: give the number of the facility's PeeringDB page (peeringdb.com/fac/<id>), or that page's address, e.g. --facility 75",
        '--latitude: "48N" is not a number of degrees. Fix: write decimal degrees, e.g. --latitude 48.86 (south and west negative)',
        '--longitude: "2,35" is not a number of degrees. Fix: write decimal degrees, e.g. --longitude 2.35 (south and west negative)',
      ],
    ],
    [
      "a typo'd flag (its value is not taken for a flag), an unknown platform, a flag of a leg that has no router",
      [...BASE, "--router-a", "par-edge-1:cisco", "--bundel-a", "Bundle-Ether1", "--bundle-c", "ae0"],
      [
        "--bundel-a: is not an option of npm run onboard. Fix: did you mean --bundle-<leg>?",
        '--router-a: "cisco" is not a platform this project renders. Fix: use one of frr, bird, iosxr, junos, eos (vendors/), e.g. --router-a par-edge-1:frr',
        "--bundle-c: is given, but leg c has no --router-c. Fix: add --router-c <hostname>:<vendor>, or correct the leg name",
      ],
    ],
    [
      "a port count or speed out of range, ports and members together, a value missing, a flag twice",
      [
        ...BASE,
        "--router-a",
        "x:frr",
        "--speed-a",
        "40",
        "--router-b",
        "y:frr",
        "--ports-b",
        "17",
        "--members-b",
        "ens1f0,,ens1f1",
        "--region",
        "europe-west",
        "--description-a",
      ],
      [
        "--region: is given twice. Fix: give it once",
        '--description-a: needs a value. Fix: give it one, e.g. --description-a "MAPS Paris leg a"',
        '--speed-a: "40" is not a port speed this project takes (100, or 10 as an exception). Fix: use --speed 100 (Microsoft\'s peering policy), or 10 where Microsoft agreed to it',
        '--members-b: "ens1f0,,ens1f1" has an empty port name. Fix: list the ports separated by commas, e.g. --members-b HundredGigE0/0/0/0,HundredGigE0/0/0/1',
        '--ports-b: "17" is not a number of member ports from 1 to 16. Fix: e.g. --ports 2',
        "--ports-b: is given with --members-b. Fix: give one of them: --members-b names the ports, their count follows",
      ],
    ],
  ])("%s", (_what, argv, expected) => expect(problems(argv)).toEqual(expected));
});

describe("the metro file", () => {
  const inv = inventoryOf(labFiles());

  it("is the metro as requested, with the platforms' default names and the region's leg capacity", () => {
    const s = scaffoldMetro(args("--router-a", "par-edge-1:frr", "--router-b", "par-edge-2:iosxr"), inv, FILE);
    expect(s.text).toBe(`# yaml-language-server: $schema=../../../schema/metro.schema.json
# Scaffolded by \`npm run onboard\`. Azure peering location and PeeringDB facility as given: check them
# against \`az peering location list --kind Direct\` (Microsoft's list) and peeringdb.com/fac/<id>.

peeringLocation: Paris
peeringDbFacilityId: 75
region: europe-west
latitude: 48.86
longitude: 2.35
# requested: \`pulumi up\` declares the Peering, which is the request to Microsoft. Once Microsoft
# approves it and sends the LOA, set status: provisioning (README, Metro lifecycle).
status: requested
legs:
  - name: a
    router:
      hostname: par-edge-1
      vendor: frr
    # FRRouting's default names: use the ports the LOA's cross-connects land on.
    interface: bond-msft
    members:
      - { interface: ens1f0, speedGbps: 100 }
      - { interface: ens1f1, speedGbps: 100 }
  - name: b
    router:
      hostname: par-edge-2
      vendor: iosxr
    # Cisco IOS-XR's default names: use the ports the LOA's cross-connects land on.
    interface: Bundle-Ether100
    members:
      - { interface: HundredGigE0/0/0/0, speedGbps: 100 }
      - { interface: HundredGigE0/0/0/1, speedGbps: 100 }
`);
    expect(s.legs.map((l) => l.defaults)).toEqual([
      [
        "bundle bond-msft",
        "member ports ens1f0, ens1f1 (2x100G: the 200G of every leg in service in europe-west (equal capacity))",
      ],
      [
        "bundle Bundle-Ether100",
        "member ports HundredGigE0/0/0/0, HundredGigE0/0/0/1 (2x100G: the 200G of every leg in service in europe-west (equal capacity))",
      ],
    ]);
  });

  it("loads and plans like a hand-written file: the allocator gives its legs the lowest free /31 and /127", () => {
    const s = scaffoldMetro(args("--router-a", "par-edge-1:frr", "--router-b", "par-edge-2:iosxr"), inv, FILE);
    const loaded = parseInventory(withMetro(labFiles(), "paris", s.text));
    expect(loaded.ok ? [] : loaded.problems.map(formatProblem)).toEqual([]);
    const plan = buildPlan(inventoryOf(withMetro(labFiles(), "paris", s.text)));
    expect(plan.ok && plan.value.newAllocations).toEqual([
      "ipv4 paris/a 192.0.2.10/31",
      "ipv4 paris/b 192.0.2.12/31",
      "ipv6 paris/a 2001:db8:ffff::a/127",
      "ipv6 paris/b 2001:db8:ffff::c/127",
    ]);
    const paris = plan.ok ? plan.value.metros.find((m) => m.id === "paris") : undefined;
    expect(paris?.status).toBe("requested");
    expect(paris?.declared).toBe(true);
  });

  it("writes the names given, and the SP's default platform for a router given without one", () => {
    const s = scaffoldMetro(
      args(
        "--router-a",
        "par-edge-1",
        "--bundle-a",
        "bond0",
        "--members-a",
        "enp65s0f0,enp65s0f1",
        "--router-b",
        "par-edge-2:eos",
        "--ports-b",
        "3",
        "--description-b",
        "MAPS Paris leg b via XC-1",
      ),
      inv,
      FILE,
    );
    expect(s.text).toContain(`  - name: a
    router:
      hostname: par-edge-1
      vendor: frr
    interface: bond0
    members:
      - { interface: enp65s0f0, speedGbps: 100 }
      - { interface: enp65s0f1, speedGbps: 100 }
  - name: b
    router:
      hostname: par-edge-2
      vendor: eos
    # Arista EOS's default names: use the ports the LOA's cross-connects land on.
    interface: Port-Channel1
    members:
      - { interface: Ethernet1/1, speedGbps: 100 }
      - { interface: Ethernet2/1, speedGbps: 100 }
      - { interface: Ethernet3/1, speedGbps: 100 }
    description: MAPS Paris leg b via XC-1
`);
  });

  it("gives a second leg on the same router the platform's next bundle and ports", () => {
    const s = scaffoldMetro(args("--router-a", "par-edge-1:junos", "--router-b", "par-edge-1:junos"), inv, FILE);
    expect(s.legs.map((l) => [l.bundle, ...l.members])).toEqual([
      ["ae0", "et-0/0/0", "et-0/0/1"],
      ["ae1", "et-0/0/2", "et-0/0/3"],
    ]);
  });

  it("sizes a LAG by the region's metros in service, else one port", () => {
    expect(regionPorts(inv, "europe-west", 100)).toEqual({
      ports: 2,
      why: "the 200G of every leg in service in europe-west (equal capacity)",
    });
    expect(regionPorts(inv, "europe-west", 10)).toEqual({
      ports: 1,
      why: "the 200G of europe-west's legs is no LAG of up to 16 10G ports",
    });
    expect(regionPorts(inv, "us-east", 100)).toEqual({ ports: 1, why: "no leg in service in us-east yet" });
  });

  it("writes a hostile value as a quoted string, never as a field of its own; the loader refuses it at its flag", () => {
    const hostile = args("--router-a", "par-edge-1:frr", "--router-b", "par-edge-2:frr");
    hostile.location = "Paris\nstatus: active";
    const s = scaffoldMetro(hostile, inv, FILE);
    expect(s.text).toContain('peeringLocation: "Paris\\nstatus: active"\n');
    expect(s.text.match(/^status: /gm)).toEqual(["status: "]);
    const loaded = parseInventory(withMetro(labFiles(), "paris", s.text));
    expect(loaded.ok ? [] : loaded.problems.map((p) => problemOfFlag(p, FILE, hostile.legs))).toEqual([
      '--location (peeringLocation): value "Paris\\nstatus: active" contains a newline, which is not allowed here. Fix: write the Azure peering location as `az peering location list --kind Direct` spells it, e.g. Amsterdam',
    ]);
  });
});

describe("a problem in the scaffold, said of its flag", () => {
  const legs = [{ name: "a" }, { name: "b" }];
  it.each([
    ["", "--metro"],
    ["peeringLocation", "--location"],
    ["peeringDbFacilityId", "--facility"],
    ["region", "--region"],
    ["latitude", "--latitude"],
    ["longitude", "--longitude"],
    ["legs", "--router-<leg>"],
    ["legs[0]", "--router-a"],
    ["legs[1].name", "--router-b"],
    ["legs[1].router.hostname", "--router-b"],
    ["legs[0].router.vendor", "--router-a"],
    ["legs[0].router.platform", "--platform-a"],
    ["legs[1].interface", "--bundle-b"],
    ["legs[1].members", "--members-b"],
    ["legs[1].members[3].interface", "--members-b"],
    ["legs[0].members[1].speedGbps", "--speed-a"],
    ["legs[0].description", "--description-a"],
    ["legs[0].drain", undefined],
    ["legs[5].interface", undefined],
    ["status", undefined],
  ])("%s → %s", (field, flag) => expect(flagOf(field, legs)).toBe(flag));

  it("leaves a problem of another file as it is", () => {
    const p = { file: "stacks/lab/sp.yaml", line: 3, field: "region", message: "m", fix: "f" };
    expect(problemOfFlag(p, FILE, legs)).toBeUndefined();
  });
});
