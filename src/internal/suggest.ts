/** Edit distance (insertions, deletions, substitutions), stopping early past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      current.push(value);
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * Names longer than this get no suggestion: a typo of a real name is short, and the search costs
 * the name's length squared per candidate.
 */
export const MAX_SUGGESTED_NAME = 64;

/**
 * Searches one compilation may make. Diagnostics past the compile's cap are dropped anyway, so
 * a source naming thousands of unknown names pays for this many searches, not one per name.
 */
export const MAX_SEARCHES_PER_SESSION = 256;

interface Session {
  /** Name and in-range candidates -> the answer. */
  readonly memo: Map<string, string | undefined>;
  searches: number;
}

// Compilation is synchronous, so one slot (saved and restored around nested sessions) suffices.
let session: Session | undefined;

/**
 * Runs `body` with did-you-mean searches bounded: each distinct (name, candidates) question is
 * answered once, and after MAX_SEARCHES_PER_SESSION questions the rest get no suggestion.
 */
export function withSuggestionSession<T>(body: () => T): T {
  const outer = session;
  session = { memo: new Map(), searches: 0 };
  try {
    return body();
  } finally {
    session = outer;
  }
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > MAX_SUGGESTED_NAME) return undefined;
  const current = session;
  if (current !== undefined && current.searches >= MAX_SEARCHES_PER_SESSION) return undefined;
  const max = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  // Only candidates within `max` of the name's length can be the answer.
  const inRange: string[] = [];
  for (const candidate of candidates) {
    if (candidate !== name && Math.abs(candidate.length - name.length) <= max) inRange.push(candidate);
  }
  let key: string | undefined;
  if (current !== undefined) {
    current.searches++;
    key = `${name}\u0000${inRange.join("\u0000")}`;
    if (current.memo.has(key)) return current.memo.get(key);
  }
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const candidate of inRange) {
    const distance = editDistance(name, candidate, max);
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const answer = bestDistance <= max ? best : undefined;
  if (current !== undefined && key !== undefined) current.memo.set(key, answer);
  return answer;
}
