/** Levenshtein distance, bounded: returns `max + 1` as soon as the distance exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate closest to `name` within `maxDistance` edits, if any: a likely
 * typo. On a tie, a completion of what was typed ("rat" -> "rate") beats a
 * substitution ("rad").
 * @param maxDistance default: a quarter of the name's length, at least 1 and at most 3 edits
 */
export function closest(
  name: string,
  candidates: Iterable<string>,
  maxDistance = Math.min(3, Math.max(1, Math.floor(name.length / 4))),
): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const d = distance(name, candidate, maxDistance);
    if (d < bestDistance || (d === bestDistance && d <= maxDistance && candidate.startsWith(name) && !best?.startsWith(name))) {
      [best, bestDistance] = [candidate, d];
    }
  }
  return best;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closest(name, candidates);
  return suggestion ? ` (did you mean "${suggestion}"?)` : '';
}
