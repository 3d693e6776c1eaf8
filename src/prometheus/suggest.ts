/** Edit distance, for "did you mean" hints on misspelt function names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidate closest to `name`, if any is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(name, candidate);
    // On a tie, a completion of what was typed ("rat" -> "rate") beats a substitution ("rad").
    const better = d < bestDistance || (d === bestDistance && candidate.startsWith(name) && !best?.startsWith(name));
    if (better) [best, bestDistance] = [candidate, d];
  }
  return best;
}
