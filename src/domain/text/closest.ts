/**
 * Edit distance where swapping two neighbouring characters counts as one edit (optimal string
 * alignment), so `/hepl` is one typo away from `/help`, as a person would count it.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const cols = b.length + 1;
  // Three rows are enough (the swap looks two back); with a `limit`, a row that is all above it ends the work.
  let before = new Int32Array(cols);
  let previous = new Int32Array(cols);
  let current = new Int32Array(cols);
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > limit) return limit + 1;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `word`, if it is close enough to be a plausible typo: at most two
 * edits, and fewer edits than the word has characters (so `/x` does not suggest `/help`).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const needle = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // More than two edits apart by length alone: never a suggestion, so not worth measuring.
    if (Math.abs(candidate.length - needle.length) > 2) continue;
    // Only two edits or fewer can be suggested: past that, the exact distance does not matter.
    const distance = editDistance(needle, candidate.toLowerCase(), 2);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  const allowed = Math.min(2, Math.max(1, Math.floor(Math.max(needle.length, best.candidate.length) / 3)));
  return best.distance <= allowed && best.distance < needle.length ? best.candidate : undefined;
}
