/**
 * The `p`-th percentile (0..1) of `values` by linear interpolation between closest ranks (the
 * method spreadsheets and NumPy use by default), or `null` for no values. With few incidents a
 * p90 lands between the two slowest, which says more than picking either one.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(1, Math.max(0, p)) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? 0;
  const highValue = sorted[high] ?? lowValue;
  return lowValue + (highValue - lowValue) * (rank - low);
}
