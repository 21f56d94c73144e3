// The arithmetic every figure shares, so that a percentage, a percentile and an NPS are rounded one way.

/** A whole percentage, half away from zero; null when there is nothing to divide by. */
export function percent(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return roundHalfAway((100 * numerator) / denominator);
}

export function roundHalfAway(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** One decimal, for emails per week. */
export function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Nearest-rank percentile (p in 0-100) of numbers sorted ascending; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? 0;
}

export const DAY_MS = 24 * 3600 * 1000;
