// A member's index: where their records in the other collections are, one document per member, kept by
// every writer of those records. MongoDB finds a member's runs, emails and RSVPs through its secondary
// indexes; FerretDB 1.24 on SQLite (the dev, CI and bench store) serves only a filter of exactly `{ _id }`
// from an index and decodes the whole collection for any other. A member's console page took 16 s at 20,000
// members and 200,000 emails; with this document it reads one document by `_id`, then each record it shows
// by `_id`. The facts on the member (`member.activity`) are recomputed from it too, without reading the whole
// activity history on every event.
//
// Entries are only ever added, with `$addToSet`, so a retried write adds nothing twice. Runs and emails are
// entered before their record is written, so the index never misses one that exists: an entry whose record
// was never written (a lost race, a released claim) is passed over when read. RSVPs and survey answers are
// entered after their write (their `_id` is known only then), by the same event application that Temporal
// retries until it is done. Records written before the index existed are entered by `tend backfill`.

import { Schema } from 'mongoose';
import type { ActivityKind } from './activities.js';
import { ACTIVITY_KINDS } from './activities.js';
import { storageOptions } from './schemaOptions.js';

/** A record of the member's, by its `_id` (a string, or an ObjectId for RSVPs and survey answers), and its time. */
export interface IndexedRecord {
  id: unknown;
  at: Date;
}

/** An activity, whole: the member page's history and the member's facts are read from these alone. */
export interface IndexedActivity {
  /** The activity's `_id`. */
  id: string;
  kind: ActivityKind;
  at: Date;
  eventId?: string;
  ref?: string;
}

export interface MemberIndexDoc {
  /** The member's `_id`. */
  _id: string;
  /** Run records: `_id` and `startedAt`. */
  runs: IndexedRecord[];
  /** Ledger rows the member's emails (sent to them, or about them): key and `claimedAt`. */
  deliveries: IndexedRecord[];
  /** RSVPs: `_id` and `createdAt`. */
  rsvps: IndexedRecord[];
  /** Survey answers: `_id` and the `respondedAt` of the answer that entered it. */
  surveys: IndexedRecord[];
  activities: IndexedActivity[];
}

export const MEMBER_INDEX_LISTS = ['runs', 'deliveries', 'rsvps', 'surveys', 'activities'] as const;
export type MemberIndexList = (typeof MEMBER_INDEX_LISTS)[number];

const indexedRecord = new Schema<IndexedRecord>(
  { id: { type: Schema.Types.Mixed, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

const indexedActivity = new Schema<IndexedActivity>(
  {
    id: { type: String, required: true },
    kind: { type: String, enum: ACTIVITY_KINDS, required: true },
    at: { type: Date, required: true },
    eventId: String,
    ref: String,
  },
  { _id: false },
);

export const memberIndexSchema = new Schema<MemberIndexDoc>(
  {
    _id: { type: String, required: true },
    runs: { type: [indexedRecord], default: undefined },
    deliveries: { type: [indexedRecord], default: undefined },
    rsvps: { type: [indexedRecord], default: undefined },
    surveys: { type: [indexedRecord], default: undefined },
    activities: { type: [indexedActivity], default: undefined },
  },
  storageOptions('memberIndex'),
);
