// The records a run reads and writes, behind one interface: MongoDB for real runs (mongoRecordStore.ts), memory
// for `tend preview` (memoryRecordStore.ts). The rules that decide what to read and write live in the domain
// modules and run unchanged over either store, so a preview reads and writes as a real run does.

import type { ContextNeeds } from '../../compiler/plan.js';
import type { EventRecord, MemberRecord, RsvpRecord, SurveyResponseRecord } from '../../compiler/records.js';
import type { LoadRecordsInput } from '../../contract/activityPayloads.js';
import type { ActivityDoc } from '../../db/index.js';
import type { LoadedRecords } from '../../contract/runtime.js';
import type { MemberUpdate } from '../members/memberUpdate.js';

export interface RecordStore {
  /** The fresh records a condition or a send sees (only what `needs` asks for); `now` for upcoming events. */
  loadRecords(input: LoadRecordsInput, now: number): Promise<LoadedRecords>;
  /**
   * The member as a run sees them at `now` (`member.activity.emails7d` counts back from it, when `needs` say
   * the plan reads it; without `needs`, it is counted).
   */
  findMember(memberId: string, now: number, needs?: EmailsNeed): Promise<MemberRecord | null>;
  /** Writes a checked update; false when there is no such member. */
  updateMember(memberId: string, update: MemberUpdate): Promise<boolean>;

  // What applying an event (domain/events/applyEvent.ts) reads and writes. Every write sets values or keeps
  // the earliest or latest, never increments, so writing the same thing twice leaves what writing it once does.

  /** The member's status, or null when there is no such member. */
  memberStatus(memberId: string): Promise<MemberRecord['status'] | null>;
  findEvent(eventId: string): Promise<EventRecord | null>;
  /** The id of the member with this (normalized) email, or null. */
  findMemberIdByEmail(email: string): Promise<string | null>;
  /** The id of the member with this email, created as an applicant with `newId` if there is none yet. */
  createMemberByEmail(email: string, newId: string): Promise<string | null>;
  writeMember(memberId: string, write: MemberEventWrite): Promise<void>;
  /** Sets the RSVP of a member to an event, creating it with `createdAt`. */
  writeRsvp(rsvp: RsvpRecord & { createdAt: string }): Promise<void>;
  /** Sets fields of a community event (times as ISO text); a new one has `newStatus` unless `fields` set it. */
  writeEvent(eventId: string, fields: Partial<EventRecord>, newStatus: EventRecord['status']): Promise<void>;
  writeSurveyResponse(response: SurveyResponseRecord): Promise<void>;
  /** Adds to the activity history what is not in it yet (an activity's `_id` says what it is). */
  recordActivities(activities: ActivityDoc[]): Promise<void>;
  /** Sets the member's `activity` facts again from their history and introductions. */
  refreshFacts(memberId: string): Promise<void>;
}

/** What an event writes to a member: values by path (times as ISO text), and more it must not overwrite. */
export interface MemberEventWrite {
  set: Record<string, unknown>;
  /** Kept at the earliest of the stored and the given time (the first approval is when a member joined). */
  earliest?: { joinedAt: string };
  /** Kept at the latest (events arrive out of order: the latest activity wins, not the latest delivery). */
  latest?: { lastActiveAt: string };
  /** Categories added to the member's unsubscriptions. */
  unsubscribe?: string[];
}

/** A template may name the event, the RSVP, the upcoming events and the count: a send reads them all, fresh. */
export const EVERY_RECORD: ContextNeeds = { event: true, rsvp: true, upcomingEvents: true, emails7d: true };

/** What decides whether a member is read with `member.activity.emails7d`. */
export type EmailsNeed = Pick<ContextNeeds, 'emails7d'>;

/**
 * Whether the member's emails of the last 7 days are counted: unless the compiler found that nothing in the
 * plan can read them. A plan compiled before the compiler said so has no `emails7d` need: counted, as before.
 */
export function countsEmails(needs: EmailsNeed): boolean {
  return needs.emails7d !== false;
}
