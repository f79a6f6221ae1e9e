/**
 * Edit distance where swapping two neighbouring characters counts as one edit (optimal string
 * alignment), so `/hepl` is one typo away from `/help`, as a person would count it.
 */
export function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  // Three rows are enough (the swap looks two back); typed arrays keep a flood of unknown commands cheap.
  let before = new Int32Array(cols);
  let previous = Int32Array.from({ length: cols }, (_, j) => j);
  let current = new Int32Array(cols);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
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
    const distance = editDistance(needle, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  const allowed = Math.min(2, Math.max(1, Math.floor(Math.max(needle.length, best.candidate.length) / 3)));
  return best.distance <= allowed && best.distance < needle.length ? best.candidate : undefined;
}
