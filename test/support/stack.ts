/** In-memory copies of a stack's files, to feed the pure loader variants of the lab stack. */
import { readStackFiles } from "../../load/files";
import type { StackFiles } from "../../load/load";
import { parseInventory } from "../../load/load";
import type { Inventory } from "../../load/inventory";
import { formatProblem, formatProblems } from "../../load/problem";
import { stackPaths } from "../../load/stackPaths";
import type { Plan } from "../../plan/model";
import { buildPlan } from "../../plan/plan";

export function labFiles(): StackFiles {
  return readStackFiles("lab");
}

/** Replaces text in one file (by path suffix); fails if the text is not there, so edits never silently miss. */
export function edit(files: StackFiles, fileSuffix: string, from: string | RegExp, to: string): StackFiles {
  const change = (f: { file: string; text: string }) => {
    if (!f.file.endsWith(fileSuffix)) return f;
    const text = f.text.replace(from, to);
    if (text === f.text) throw new Error(`test edit did not match ${String(from)} in ${f.file}`);
    return { ...f, text };
  };
  return {
    ...files,
    sp: change(files.sp),
    metros: files.metros.map(change),
    lock: files.lock && change(files.lock),
  };
}

/** Sets (or replaces) `registerAt` of one prefix in sp.yaml. */
export function registerAt(files: StackFiles, prefix: string, metro: string): StackFiles {
  const entry = new RegExp(
    `(  - prefix: ${prefix.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\n(?:    (?!registerAt).*\n)*)(    registerAt: .*\n)?`,
  );
  return edit(files, "sp.yaml", entry, `$1    registerAt: ${metro}\n`);
}

export function withoutMetro(files: StackFiles, id: string): StackFiles {
  return { ...files, metros: files.metros.filter((m) => !m.file.endsWith(`/${id}.yaml`)) };
}

export function withMetro(files: StackFiles, id: string, text: string): StackFiles {
  return { ...files, metros: [...files.metros, { file: stackPaths(files.stack).metro(id), text }] };
}

export function withLock(files: StackFiles, text: string | undefined): StackFiles {
  return { ...files, lock: text === undefined ? undefined : { file: files.lockFile, text } };
}

export function inventoryOf(files: StackFiles): Inventory {
  const r = parseInventory(files);
  if (!r.ok) throw new Error(formatProblems(r.problems));
  return r.value;
}

/** The plan of a stack's files; throws with the problems when it is rejected. */
export function planOf(files: StackFiles): Plan {
  const r = buildPlan(inventoryOf(files));
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
  return r.value;
}

/** The problems that keep a stack's files from being planned, as the engineer reads them. */
export function problemsOf(files: StackFiles): string[] {
  const r = buildPlan(inventoryOf(files));
  if (r.ok) throw new Error("expected the plan to be rejected");
  return r.problems.map(formatProblem);
}

/**
 * The lab with Microsoft assigning the session addresses: Amsterdam's and Frankfurt's legs pin what
 * Microsoft assigned (the lab's own addresses), London's pin nothing; no lock yet.
 */
export function microsoftAssigned(files: StackFiles): StackFiles {
  const pins: Array<[metro: string, leg: string, v4: string, v6: string]> = [
    ["amsterdam", "a", "192.0.2.0/31", "2001:db8:ffff::/127"],
    ["amsterdam", "b", "192.0.2.2/31", "2001:db8:ffff::2/127"],
    ["frankfurt", "a", "192.0.2.4/31", "2001:db8:ffff::4/127"],
    ["frankfurt", "b", "192.0.2.6/31", "2001:db8:ffff::6/127"],
  ];
  const microsoft = edit(
    edit(files, "sp.yaml", "sessionAddressProvider: Peer", "sessionAddressProvider: Microsoft"),
    "metros/london.yaml",
    "    sessionPrefixes:\n      ipv4: 192.0.2.62/31\n      ipv6: 2001:db8:ffff::fe/127\n",
    "",
  );
  const pinned = pins.reduce(
    (f, [m, leg, v4, v6]) =>
      edit(
        f,
        `metros/${m}.yaml`,
        `  - name: ${leg}\n`,
        `  - name: ${leg}\n    sessionPrefixes: { ipv4: ${v4}, ipv6: "${v6}" }\n`,
      ),
    microsoft,
  );
  return withLock(pinned, undefined);
}

/** A fourth metro for the lab stack, in the same region. */
export const PARIS = `peeringLocation: Paris
peeringDbFacilityId: 75
region: europe-west
latitude: 48.86
longitude: 2.35
status: active
legs:
  - name: a
    router: { hostname: par-edge-1, vendor: frr }
    interface: bond-msft
    members: [{ interface: ens1f0, speedGbps: 100 }]
  - name: b
    router: { hostname: par-edge-2, vendor: frr }
    interface: bond-msft
    members: [{ interface: ens1f0, speedGbps: 100 }]
`;

/** 1-based line of the first line containing `text` in a lab file, so expectations follow the file. */
export function lineOf(fileSuffix: string, text: string, files: StackFiles = labFiles()): number {
  const f = [files.sp, ...files.metros, ...(files.lock ? [files.lock] : [])].find((x) => x.file.endsWith(fileSuffix));
  const i = f?.text.split("\n").findIndex((l) => l.includes(text)) ?? -1;
  if (i < 0) throw new Error(`test: "${text}" not found in ${fileSuffix}`);
  return i + 1;
}

/** The lab stack's router configs, as the offline plan names them (`metro/router.ext`). */
export const LAB_CONFIG_FILES = [
  "amsterdam/ams-edge-1.conf",
  "amsterdam/ams-edge-2.cfg",
  "frankfurt/fra-edge-1.junos.conf",
  "frankfurt/fra-edge-2.conf",
  "london/lon-edge-1.bird.conf",
  "london/lon-edge-2.eos.cfg",
];

/** `npm run onboard` arguments for Paris, the lab's fourth metro, without its legs. */
export const PARIS_ONBOARD_ARGS = [
  "--stack",
  "lab",
  "--metro",
  "paris",
  "--location",
  "Paris",
  "--facility",
  "75",
  "--region",
  "europe-west",
  "--latitude",
  "48.86",
  "--longitude",
  "2.35",
];
