// What a preview shows of `member.activity`: `emails7d` from the preview's own sends (the records do not keep
// them; real runs count the deliveries ledger, domain/memberActivity/emailsReceived.ts), and the facts an
// event moved, for the timeline. The facts themselves are kept by the shared event rule over the in-memory
// record store (domain/memberActivity/memoryFacts.ts).

import type { MemberActivityRecord } from '../compiler/records.js';
import { EMAILS_WINDOW_MS } from '../domain/memberActivity/emailsReceived.js';

/** How many of these send times fall in the 7 days up to `now`. */
export function emailsInLastWeek(sentAt: readonly number[], now: number): number {
  return sentAt.filter((at) => at > now - EMAILS_WINDOW_MS && at <= now).length;
}

/** `rsvps 0 -> 1, lastRsvpAt -> 2025-03-05T11:00:00.000Z`: the facts an event changed, or nothing. */
export function activityChanges(before: MemberActivityRecord, after: MemberActivityRecord): string {
  const fields = ['rsvps', 'attended', 'lastRsvpAt', 'lastAttendedAt', 'surveys'] as const;
  return fields
    .filter((field) => before[field] !== after[field])
    .map((field) => `${field} ${String(before[field] ?? '(none)')} -> ${String(after[field])}`)
    .join(', ');
}
