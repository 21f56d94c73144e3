// A report's period from what a manager types: `YYYY-MM-DD` (a whole day in the community's zone: `from` at
// its start, `to` through its end) or an ISO 8601 date-time. By default the last 90 days up to now.

import { DateTime } from 'luxon';
import { DAY_MS } from './figures.js';
import { DEFAULT_PERIOD_DAYS } from './scope.js';

export class PeriodError extends Error {
  override name = 'PeriodError';
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A period longer than this is almost surely a typo in a year. */
const MAX_PERIOD_DAYS = 3 * 366;

export function resolvePeriod(
  input: { from?: string | undefined; to?: string | undefined },
  zone: string,
  now: Date,
): { from: Date; to: Date } {
  const to = input.to === undefined ? now : parseBound(input.to, zone, 'to');
  const from =
    input.from === undefined
      ? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS)
      : parseBound(input.from, zone, 'from');
  if (from >= to)
    throw new PeriodError(
      `from (${input.from ?? from.toISOString()}) must be before to (${input.to ?? to.toISOString()})`,
    );
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw new PeriodError(`a report covers at most ${MAX_PERIOD_DAYS} days`);
  }
  return { from, to };
}

function parseBound(text: string, zone: string, which: 'from' | 'to'): Date {
  if (DATE_ONLY.test(text)) {
    const day = DateTime.fromISO(text, { zone });
    if (!day.isValid) throw new PeriodError(`${which}: "${text}" is not a date (write YYYY-MM-DD)`);
    return (which === 'from' ? day.startOf('day') : day.plus({ days: 1 }).startOf('day')).toJSDate();
  }
  const instant = DateTime.fromISO(text, { zone });
  if (!instant.isValid || !/T/.test(text)) {
    throw new PeriodError(`${which}: "${text}" is not a date: write YYYY-MM-DD or an ISO 8601 date and time`);
  }
  return instant.toJSDate();
}
