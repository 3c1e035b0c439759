/** Figures of repeated lab runs (pure). A figure is reported as a spread, never as one lucky run. */

/** min / median / max of each figure over the runs, in the order figures first appeared. */
export function spreads(
  runs: ReadonlyArray<ReadonlyArray<[string, number]>>,
): Array<{ figure: string; n: number; min: number; median: number; max: number }> {
  const byName = new Map<string, number[]>();
  for (const run of runs) for (const [name, v] of run) byName.set(name, [...(byName.get(name) ?? []), v]);
  return [...byName].map(([figure, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return { figure, n: sorted.length, min: sorted[0], median, max: sorted[sorted.length - 1] };
  });
}
