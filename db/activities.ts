// Member activity history: one document per thing a member did, with its time, so that "active between t1
// and t2" can be answered for any past cohort (one `lastActiveAt` cannot). Written as events are applied and
// by the backfill; the `_id` is derived from what the activity is, so applying or backfilling twice inserts
// once.

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

export const ACTIVITY_KINDS = ['active', 'rsvp', 'attended', 'survey', 'click'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface ActivityDoc {
  /** `<kind>:<memberId>:<eventId or ->:<at, ISO 8601>` (see domain/memberActivity/activityId.ts). */
  _id: string;
  memberId: string;
  kind: ActivityKind;
  at: Date;
  /** The community event the activity was about (an RSVP, an attended mark, a survey response). */
  eventId?: string;
  /** Where it came from: the Tend event's id, or `backfill:<collection>` for what the backfill found. */
  ref?: string;
}

export const activitySchema = new Schema<ActivityDoc>(
  {
    _id: { type: String, required: true },
    memberId: { type: String, required: true },
    kind: { type: String, enum: ACTIVITY_KINDS, required: true },
    at: { type: Date, required: true },
    eventId: String,
    ref: String,
  },
  storageOptions('activities'),
);

// One member's history (the facts on the member record); MongoDB serves it from this index, FerretDB scans.
activitySchema.index({ memberId: 1, at: 1 });
// A period's activity, for reports.
activitySchema.index({ at: 1 });
