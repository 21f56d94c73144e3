// Times and counts as a manager reads them: in the community's zone, minutes not milliseconds.

import { DateTime } from 'luxon';

export function formatTime(at: Date | number | null | undefined, zone: string): string {
  if (at === null || at === undefined) return '';
  const ms = typeof at === 'number' ? at : at.getTime();
  return DateTime.fromMillis(ms, { zone }).toFormat('dd LLL yyyy HH:mm');
}

/** `3 days ago`, `in 2 hours`: beside a time, so nobody has to work out what "now" was. */
export function relativeTime(at: Date | number | null | undefined, now = Date.now()): string {
  if (at === null || at === undefined) return '';
  const ms = typeof at === 'number' ? at : at.getTime();
  return DateTime.fromMillis(ms).toRelative({ base: DateTime.fromMillis(now) }) ?? '';
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `2d`, `3h 30m`, `45m`: a plan's durations as a playbook writes them. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.length === 0 ? '0s' : sign + parts.join(' ');
}

/** The colour class of an outcome or a delivery status: sent is good, held or waiting is a caution. */
export function outcomeTone(outcome: string): string {
  if (outcome === 'sent') return 'ok';
  if (outcome === 'held' || outcome === 'claimed') return 'warn';
  if (outcome === 'skipped' || outcome === 'failed') return 'bad';
  return '';
}
