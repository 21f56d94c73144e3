// `member.activity` in the in-memory record store (domain/records/memoryRecordStore.ts), which `tend preview`
// runs over. Real runs fold the member's whole stored history (record.ts); a preview holds only what it
// recorded itself, so it moves the facts the member had before it by what its own history adds, with the
// same fold (facts.ts): events counted once each, whoever reports them.

import type { MemberActivityRecord, RsvpRecord } from '../../compiler/records.js';
import type { ActivityDoc } from '../../db/index.js';
import { FactsFold } from './facts.js';

type FactSource = Pick<ActivityDoc, 'kind' | 'eventId' | 'at'>;

/** A member who has done nothing Tend knows of: zeros, as the engine reads a member the backfill has not reached. */
export const NO_ACTIVITY: Readonly<MemberActivityRecord> = {
  rsvps: 0,
  attended: 0,
  surveys: 0,
  introductions: 0,
  emails7d: 0,
};

export function activityOf(member: { activity?: MemberActivityRecord }): MemberActivityRecord {
  return { ...NO_ACTIVITY, ...member.activity };
}

/** The activity of the member a preview is about: the facts it started from and what it recorded since. */
export interface MemoryActivity {
  /** `member.activity` when the preview started: the history behind it is not in memory. */
  before: MemberActivityRecord;
  /** What the facts before already count of the records in memory (their RSVP, read as the backfill does). */
  counted: FactSource[];
  /** The activity history the preview recorded (domain/events/applyEvent.ts). */
  recorded: ActivityDoc[];
  /** Peers introduced to the member in the preview. */
  introduced: string[];
}

export function memoryActivity(
  member: { activity?: MemberActivityRecord },
  rsvp: RsvpRecord | null,
): MemoryActivity {
  const at = new Date(rsvp?.createdAt ?? 0);
  const counted: FactSource[] =
    rsvp === null
      ? []
      : [
          ...(rsvp.status === 'going' ? [{ kind: 'rsvp' as const, eventId: rsvp.eventId, at }] : []),
          ...(rsvp.attended === true ? [{ kind: 'attended' as const, eventId: rsvp.eventId, at }] : []),
        ];
  return { before: activityOf(member), counted, recorded: [], introduced: [] };
}

/** The facts after what the preview recorded: each event the history adds counts once, on top of `before`. */
export function memoryFacts(activity: MemoryActivity): MemberActivityRecord {
  const { before } = activity;
  const counted = fold(activity.counted);
  const both = fold([...activity.counted, ...activity.recorded]);
  const recorded = fold(activity.recorded);
  const lastRsvpAt = later(before.lastRsvpAt, recorded.lastRsvpAt);
  const lastAttendedAt = later(before.lastAttendedAt, recorded.lastAttendedAt);
  return {
    ...before,
    rsvps: before.rsvps + both.rsvps - counted.rsvps,
    attended: before.attended + both.attended - counted.attended,
    surveys: before.surveys + both.surveys - counted.surveys,
    introductions: before.introductions + activity.introduced.length,
    ...(lastRsvpAt === undefined ? {} : { lastRsvpAt }),
    ...(lastAttendedAt === undefined ? {} : { lastAttendedAt }),
  };
}

function fold(items: readonly FactSource[]) {
  const facts = new FactsFold();
  for (const item of items) facts.add(item);
  return facts.facts();
}

/** The later of a time the facts had (ISO text) and one the preview recorded. */
function later(before: string | undefined, recorded: Date | undefined): string | undefined {
  if (recorded === undefined) return before;
  return before !== undefined && Date.parse(before) >= recorded.getTime() ? before : recorded.toISOString();
}
