// Community events (meetups, runs, talks): what RSVPs, reminders and feedback surveys are about.

import { Schema } from 'mongoose';
import type { EventRecord } from '../compiler/records.js';
import { storageOptions } from './schemaOptions.js';

export const EVENT_STATUSES = [
  'draft',
  'published',
  'cancelled',
  'ended',
] as const satisfies readonly EventRecord['status'][];
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface EventDoc {
  _id: string;
  title?: string;
  description?: string;
  startsAt?: Date;
  endsAt?: Date;
  timezone?: string;
  location?: string;
  url?: string;
  status: EventStatus;
}

export const eventSchema = new Schema<EventDoc>(
  {
    _id: { type: String, required: true },
    title: String,
    description: String,
    startsAt: Date,
    endsAt: Date,
    timezone: String,
    location: String,
    url: String,
    status: { type: String, enum: EVENT_STATUSES, required: true },
  },
  storageOptions('events'),
);

// Upcoming events: the next published events after now, by start time.
eventSchema.index({ status: 1, startsAt: 1 });
