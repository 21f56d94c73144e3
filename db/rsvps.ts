// RSVPs: one per member and event, rewritten by rsvp.created/updated/cancelled.

import { Schema } from 'mongoose';
import type { RsvpRecord } from '../compiler/records.js';
import { storageOptions } from './schemaOptions.js';

export const RSVP_STATUSES = [
  'going',
  'maybe',
  'cancelled',
] as const satisfies readonly RsvpRecord['status'][];
export type RsvpStatus = (typeof RSVP_STATUSES)[number];

export interface RsvpDoc {
  eventId: string;
  memberId: string;
  status: RsvpStatus;
  attended?: boolean;
  createdAt?: Date;
}

export const rsvpSchema = new Schema<RsvpDoc>(
  {
    eventId: { type: String, required: true },
    memberId: { type: String, required: true },
    status: { type: String, enum: RSVP_STATUSES, required: true },
    attended: Boolean,
    createdAt: Date,
  },
  storageOptions('rsvps'),
);

// One RSVP per member and event; also the index an `rsvps` audience pages through (eventId, then memberId).
rsvpSchema.index({ eventId: 1, memberId: 1 }, { unique: true });
rsvpSchema.index({ memberId: 1 });
