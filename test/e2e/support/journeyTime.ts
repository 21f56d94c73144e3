// Journey times for the end-to-end tests: when a scenario starts, in a member's local time, and what an
// expected email's time is. Expected times are computed from durations and wall-clock times, independently of
// the engine, so a test states what a manager reading the playbook expects.
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import type { ReceivedEmail } from './journeyWorld.js';

export const LONDON = 'Europe/London';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The first Monday at `hour`:00 in `zone` at least a day after `after`: a quiet, predictable start for a
 * scenario (no quiet hours, and a fresh week for the frequency cap).
 */
export function nextMondayAt(after: number, hour: number, zone = LONDON): number {
  let day = DateTime.fromMillis(after + DAY, { zone }).startOf('day');
  while (day.weekday !== 1) day = day.plus({ days: 1 });
  return day.set({ hour }).toMillis();
}

/** `at`, moved to `hh:mm` local time on the same local day in `zone`. */
export function atLocalTime(at: number, time: string, zone = LONDON): number {
  const [hour, minute] = time.split(':').map(Number);
  return DateTime.fromMillis(at, { zone }).set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
}

export function localText(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toFormat('ccc d LLL HH:mm');
}

export interface ExpectedEmail {
  to: string;
  subject: string;
  /** ms epoch: when the playbook says it goes out. */
  at: number;
}

/**
 * A send goes out when its timer fires, plus the real time its activities take; this much journey time is
 * allowed for that.
 */
export const SEND_LATENCY_MS = MINUTE;

/** The emails, in order, to exactly these recipients with these subjects, each at its time. */
export function expectEmails(received: ReceivedEmail[], expected: ExpectedEmail[], zone = LONDON): void {
  // Both sides show local times; an email on time shows the time it was due, so only a late one differs.
  const shown = (at: number, due: number | undefined) =>
    localText(due !== undefined && at >= due && at < due + SEND_LATENCY_MS ? due : at, zone);
  expect(
    received.map((email, index) => ({
      to: email.to.join(', '),
      subject: email.subject,
      at: shown(email.at, expected[index]?.at),
    })),
  ).toEqual(expected.map(({ to, subject, at }) => ({ to, subject, at: localText(at, zone) })));
}
