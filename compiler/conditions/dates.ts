// Dates as a run sees them: ISO 8601 strings in records read from MongoDB as JSON, Date objects where a
// caller builds a context by hand. Both mean the same instant.

/** The instant a value names (ms epoch), or null when it is not a date. */
export function toEpochMs(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value !== 'string' || value.trim() === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
