// min / median / max of repeated measurements, and the ratio of two medians.

/** Summary of repeated samples (ms, MB or probes/s: the caller knows the unit). */
export interface Summary {
  n: number;
  min: number;
  median: number;
  max: number;
}

/** Summarises samples; the median of an even count is the mean of the middle two. */
export function summarise(samples: readonly number[]): Summary {
  if (samples.length === 0) return { n: 0, min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { n: sorted.length, min: sorted[0]!, median, max: sorted.at(-1)! };
}

/** `a / b` of the medians: comparisons use ratios because absolute times drift on a shared machine. */
export function ratio(a: Summary, b: Summary): number {
  return a.median / b.median;
}
