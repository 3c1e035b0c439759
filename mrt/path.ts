/** AS paths as engineers read them, and the facts the public-view analysis asks of them. */
import type { AsPathSegment } from "./model";

/**
 * `64510 64500 {64501,64502}`: sequences space-separated, an AS_SET in braces, a confederation
 * sequence in parentheses and a confederation set in brackets (bgpdump's and the routers' notation).
 */
export function formatAsPath(segments: readonly AsPathSegment[]): string {
  return segments
    .map((s) => {
      switch (s.type) {
        case "sequence":
          return s.asns.join(" ");
        case "set":
          return `{${s.asns.join(",")}}`;
        case "confed-sequence":
          return `(${s.asns.join(" ")})`;
        case "confed-set":
          return `[${s.asns.join(",")}]`;
        default: {
          const never: never = s.type;
          return String(never);
        }
      }
    })
    .filter((s) => s !== "")
    .join(" ");
}

/**
 * The ASNs that may have originated the route: the last ASN of a final AS_SEQUENCE, or every member
 * of a final AS_SET (an aggregate: any of them). Empty for an empty path (a route of the collector
 * peer's own iBGP, which public collectors do not see).
 */
export function originsOf(segments: readonly AsPathSegment[]): number[] {
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (s.asns.length === 0 || s.type === "confed-sequence" || s.type === "confed-set") continue;
    return s.type === "sequence" ? [s.asns[s.asns.length - 1]] : [...new Set(s.asns)];
  }
  return [];
}

/**
 * The path's AS_SEQUENCE ASNs in order, prepends collapsed (`64510 64500 64500` is `64510 64500`),
 * cut at any AS_SET or confederation segment: who handed the route to whom, as far as it is known.
 * Adjacent entries are neighbours; a set breaks the chain, since its order means nothing.
 */
export function sequenceRuns(segments: readonly AsPathSegment[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  for (const s of segments) {
    if (s.type !== "sequence") {
      if (run.length > 0) runs.push(run);
      run = [];
      continue;
    }
    for (const a of s.asns) if (run[run.length - 1] !== a) run.push(a);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
