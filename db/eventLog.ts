// Accepted events by id, so that an event delivered twice (a webhook retried, a form resubmitted) is applied
// and routed once, and a different body under a reused id is refused.

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

/** `waiting`: held until the member it is about exists (activities/events/ingestEvents.ts). */
export const EVENT_LOG_STATUSES = ['waiting', 'received', 'applied', 'routed', 'failed'] as const;
export type EventLogStatus = (typeof EVENT_LOG_STATUSES)[number];

export interface EventLogDoc {
  /** The event's id. */
  _id: string;
  /** Hash of the accepted event, to tell a retry from a different event reusing the id. */
  requestHash: string;
  /** The event's type, so that a repeat can be answered without the original request. */
  type: string;
  /** The ingestion (workflow id) that claimed the event: only it applies and routes the event. */
  ingestId: string;
  status: EventLogStatus;
  /**
   * The event as applied and routed (member resolved, `data.changed` computed), as JSON, stored with the
   * claim before anything is written, so that a retried ingestion applies and routes exactly what the first
   * attempt worked out.
   */
  preparedJson?: string;
  /** What accepting the event did (runs started, runs signalled), as the API answered it. */
  outcome?: Record<string, unknown>;
  receivedAt: Date;
}

export const eventLogSchema = new Schema<EventLogDoc>(
  {
    _id: { type: String, required: true },
    requestHash: { type: String, required: true },
    type: { type: String, required: true },
    ingestId: { type: String, required: true },
    status: { type: String, enum: EVENT_LOG_STATUSES, required: true },
    preparedJson: String,
    outcome: Schema.Types.Mixed,
    receivedAt: { type: Date, required: true },
  },
  storageOptions('eventLog'),
);

eventLogSchema.index({ receivedAt: 1 });
