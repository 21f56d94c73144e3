// "did you mean ...?": the closest known name to what a manager wrote, when it is close enough to be a typo.

import { closest, distance } from 'fastest-levenshtein';

/** The known name `written` is most likely a typo of, or null when none is near. */
export function closestName(written: string, known: readonly string[]): string | null {
  if (known.length === 0) return null;
  const sameLetters = known.find((name) => name.toLowerCase() === written.toLowerCase());
  if (sameLetters !== undefined) return sameLetters;
  const best = closest(written, [...known]);
  // About one edit in three characters, and two for a swapped pair ("nmae" finds "name"); short words get
  // one, so that "at" does not find "if".
  const allowed = written.length <= 3 ? 1 : Math.max(2, Math.floor(written.length * 0.4));
  return distance(written, best) <= allowed ? best : null;
}

/** ` (did you mean "welcome"?)`, or nothing. */
export function didYouMean(written: string, known: readonly string[]): string {
  const name = closestName(written, known);
  return name === null || name === written ? '' : ` (did you mean "${name}"?)`;
}
