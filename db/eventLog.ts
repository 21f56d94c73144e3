// Accepted events by id, so that an event delivered twice (a webhook retried, a form resubmitted) is applied
// and routed once, and a different body under a reused id is refused.

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

export const EVENT_LOG_STATUSES = ['received', 'applied', 'routed', 'failed'] as const;
export type EventLogStatus = (typeof EVENT_LOG_STATUSES)[number];

export interface EventLogDoc {
  /** The event's id. */
  _id: string;
  /** Hash of the accepted event, to tell a retry from a different event reusing the id. */
  requestHash: string;
  status: EventLogStatus;
  /** What accepting the event did (runs started, runs signalled), as the API answered it. */
  outcome?: Record<string, unknown>;
  receivedAt: Date;
}

export const eventLogSchema = new Schema<EventLogDoc>(
  {
    _id: { type: String, required: true },
    requestHash: { type: String, required: true },
    status: { type: String, enum: EVENT_LOG_STATUSES, required: true },
    outcome: Schema.Types.Mixed,
    receivedAt: { type: Date, required: true },
  },
  storageOptions('eventLog'),
);

eventLogSchema.index({ receivedAt: 1 });
