// `member.activity` in a preview's in-memory world, kept in step with the events the preview applies, as the
// engine keeps it on the member document: `rsvps` counts events the member said `going` to, `attended` events
// marked attended, `surveys` responses, `introductions` introductions made to the member, and `emails7d` the
// member's emails of the last 7 days that the frequency cap counts. The engine's keeping folds the stored
// activity history; a preview sees only one run's events, so this folds those as they come.

import type { RoutedEvent } from '../../compiler/events.js';
import type { MemberActivityRecord, MemberRecord, RsvpRecord } from '../../compiler/records.js';

const WEEK_MS = 7 * 24 * 3600_000;

/** A member who has done nothing Tend knows of: zeros, as the engine reads a member the backfill has not reached. */
export const NO_ACTIVITY: Readonly<MemberActivityRecord> = {
  rsvps: 0,
  attended: 0,
  surveys: 0,
  introductions: 0,
  emails7d: 0,
};

export function activityOf(member: MemberRecord): MemberActivityRecord {
  return { ...NO_ACTIVITY, ...member.activity };
}

/** The facts after an applied event; `before` is the member's RSVP to the event as it was before it. */
export function activityAfter(
  member: MemberRecord,
  event: RoutedEvent,
  before: RsvpRecord | null,
  after: RsvpRecord | null,
): MemberActivityRecord {
  const activity = activityOf(member);
  const at = event.occurredAt;
  if (after !== null && after.status === 'going' && before?.status !== 'going') {
    Object.assign(activity, { rsvps: activity.rsvps + 1, lastRsvpAt: at });
  }
  if (after?.attended === true && before?.attended !== true) {
    Object.assign(activity, { attended: activity.attended + 1, lastAttendedAt: at });
  }
  if (event.type === 'survey.responded') activity.surveys += 1;
  return activity;
}

/** How many of these send times fall in the 7 days up to `now`. */
export function emailsInLastWeek(sentAt: readonly number[], now: number): number {
  return sentAt.filter((at) => at > now - WEEK_MS && at <= now).length;
}

/** `rsvps 0 -> 1, lastRsvpAt -> 2025-03-05T11:00:00.000Z`: the facts an event changed, or nothing. */
export function activityChanges(before: MemberActivityRecord, after: MemberActivityRecord): string {
  const fields = ['rsvps', 'attended', 'lastRsvpAt', 'lastAttendedAt', 'surveys'] as const;
  return fields
    .filter((field) => before[field] !== after[field])
    .map((field) => `${field} ${String(before[field] ?? '(none)')} -> ${String(after[field])}`)
    .join(', ');
}
