import { stringify } from "yaml";
import type { AllocationLock } from "./inventory";

/** The lock file's text: a header, then both families with sorted keys, so diffs stay reviewable. */
export function formatLock(lock: AllocationLock): string {
  const header = [
    "# yaml-language-server: $schema=../../schema/lock.schema.json",
    "# Session prefixes per leg (metro/leg), written by `npm run plan`. Commit this file.",
    "# An entry never changes once written: addresses do not move when metros are added or removed.",
    "# Entries of removed legs stay reserved; delete one by hand only once its peering is gone.",
  ].join("\n");
  const sorted = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
  return `${header}\n${stringify({ ipv4: sorted(lock.ipv4), ipv6: sorted(lock.ipv6) })}`;
}
