// The records a run reads and writes, behind one interface: MongoDB for real runs (mongoRecordStore.ts), memory
// for `tend preview` (memoryRecordStore.ts). The rules that decide what to read and write live in the domain
// modules and run unchanged over either store, so a preview reads and writes as a real run does.

import type { ContextNeeds } from '../../compiler/plan.js';
import type { MemberRecord } from '../../compiler/records.js';
import type { LoadRecordsInput } from '../../contract/activityPayloads.js';
import type { LoadedRecords } from '../../contract/runtime.js';
import type { MemberUpdate } from '../members/memberUpdate.js';

export interface RecordStore {
  /** The fresh records a condition or a send sees (only what `needs` asks for); `now` for upcoming events. */
  loadRecords(input: LoadRecordsInput, now: number): Promise<LoadedRecords>;
  /** The member as a run sees them at `now` (`member.activity.emails7d` counts back from it). */
  findMember(memberId: string, now: number): Promise<MemberRecord | null>;
  /** Writes a checked update; false when there is no such member. */
  updateMember(memberId: string, update: MemberUpdate): Promise<boolean>;
}

/** A template may name the event, the RSVP and the upcoming events: a send reads them all, fresh. */
export const EVERY_RECORD: ContextNeeds = { event: true, rsvp: true, upcomingEvents: true };
