import { stringify } from "yaml";
import type { AllocationLock } from "./inventory";

/** The lock file's text: a header, then every section with sorted keys, so diffs stay reviewable. */
export function formatLock(lock: AllocationLock): string {
  const header = [
    "# yaml-language-server: $schema=../../schema/lock.schema.json",
    "# Written by `npm run plan`. Commit this file.",
    "# ipv4, ipv6: the session prefixes of each leg (metro/leg). An entry never changes once written:",
    "# addresses do not move when metros are added or removed. Entries of removed legs stay reserved;",
    "# delete one by hand only once its peering is gone.",
    "# registeredPrefixes, registeredAsns: the home metro of each registration, chosen once. It moves",
    "# only when registerAt (sp.yaml) says so: after that `pulumi up`, write the new home here by hand.",
  ].join("\n");
  const sorted = (r: Record<string, string>) =>
    Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
  const registrations = {
    ...(Object.keys(lock.registeredPrefixes).length > 0 ? { registeredPrefixes: sorted(lock.registeredPrefixes) } : {}),
    ...(Object.keys(lock.registeredAsns).length > 0 ? { registeredAsns: sorted(lock.registeredAsns) } : {}),
  };
  return `${header}\n${stringify({ ipv4: sorted(lock.ipv4), ipv6: sorted(lock.ipv6), ...registrations })}`;
}
