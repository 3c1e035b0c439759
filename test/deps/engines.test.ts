/**
 * Every package the lock installs runs on the Node.js these machines have (20, not 22). Recent
 * `@azure/identity` (4.13.2+) and `@azure/core-*` releases declare `node >=22`; package.json pins
 * the last releases that declare `>=20` (its `overrides` hold the transitive ones), and this test
 * fails the day an upgrade brings one back. It reads each package's `engines` from the lock, which
 * npm copies from the package's own package.json.
 */
import * as semver from "semver";
import lock from "../../package-lock.json";
import pkg from "../../package.json";

type LockEntry = { version?: string; engines?: { node?: string } | string[] };

const entries = Object.entries((lock as { packages: Record<string, LockEntry> }).packages).filter(([p]) => p !== "");
const nodeRange = (e: LockEntry) => (Array.isArray(e.engines) ? undefined : e.engines?.node);

describe("package engines", () => {
  it("runs on Node.js 20, the project's engine", () => {
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
  });

  it("every installed package admits the running Node.js", () => {
    const refused = entries
      .filter(([, e]) => nodeRange(e) !== undefined && !semver.satisfies(process.version, nodeRange(e) ?? ""))
      .map(([p, e]) => `${p}@${e.version} needs node ${nodeRange(e)}`);
    expect(refused).toEqual([]);
  });

  it("the Azure SDK is pinned exactly, with the transitive @azure and @typespec packages held by overrides", () => {
    const installed = entries
      .filter(([p]) => /node_modules\/(@azure|@typespec)\//.test(p))
      .map(([p, e]) => [p.replace(/^.*node_modules\//, ""), e.version ?? ""]);
    expect(installed.length).toBeGreaterThan(10);
    const pinned: Record<string, string> = { ...pkg.dependencies, ...pkg.overrides };
    // msal-common is pinned exactly by msal-node and msal-browser themselves (two versions).
    for (const [name, version] of installed.filter(([n]) => n !== "@azure/msal-common"))
      expect([name, pinned[name]]).toEqual([name, version]);
    expect(Object.values(pinned).every((v) => /^\d+\.\d+\.\d+$/.test(v))).toBe(true);
  });
});
