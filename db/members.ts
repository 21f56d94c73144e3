// Members: the people a community's playbooks write to. Fields follow compiler/records.ts (a run sees the
// same fields, with dates as ISO strings). Email is stored lowercased so that one address is one member.

import { Schema } from 'mongoose';
import { MEMBER_STATUSES, type MemberStatus } from '../compiler/records.js';
import { storageOptions } from './schemaOptions.js';

export const EMAIL_STATUSES = ['ok', 'bounced', 'complained'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * Read-only facts about what the member has done, kept as events are applied and recomputed from the records
 * by the backfill (domain/memberActivity/). Names as the language page gives them (`member.activity.*`).
 */
export interface MemberActivityDoc {
  /** Events the member RSVP'd `going` to, ever (a later cancellation does not take it back). */
  rsvps: number;
  /** Events the member was marked as having attended. */
  attended: number;
  lastRsvpAt?: Date;
  lastAttendedAt?: Date;
  /** Survey responses (one per event). */
  surveys: number;
  /** Introductions made to this member, by any playbook, in either direction. */
  introductions: number;
}

export interface MemberDoc {
  _id: string;
  email: string;
  name?: string;
  firstName?: string;
  status: MemberStatus;
  /** IANA zone; the community's zone applies when absent. */
  timezone?: string;
  joinedAt?: Date;
  approvedAt?: Date;
  lastActiveAt?: Date;
  interests: string[];
  tags: string[];
  subgroup?: string;
  profile?: Record<string, unknown>;
  attributes?: Record<string, unknown>;
  /** Categories the member has unsubscribed from. */
  unsubscribed: string[];
  emailStatus?: EmailStatus;
  /** When `member.left` was applied: retention counts a member who left after day 30 as retained at 30. */
  leftAt?: Date;
  activity?: MemberActivityDoc;
}

const memberActivitySchema = new Schema<MemberActivityDoc>(
  {
    rsvps: { type: Number, required: true },
    attended: { type: Number, required: true },
    lastRsvpAt: Date,
    lastAttendedAt: Date,
    surveys: { type: Number, required: true },
    introductions: { type: Number, required: true },
  },
  { _id: false },
);

export const memberSchema = new Schema<MemberDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, lowercase: true, trim: true },
    name: String,
    firstName: String,
    status: { type: String, enum: MEMBER_STATUSES, required: true },
    timezone: String,
    joinedAt: Date,
    approvedAt: Date,
    lastActiveAt: Date,
    interests: { type: [String], default: undefined },
    tags: { type: [String], default: undefined },
    subgroup: String,
    profile: Schema.Types.Mixed,
    attributes: Schema.Types.Mixed,
    unsubscribed: { type: [String], default: undefined },
    emailStatus: { type: String, enum: EMAIL_STATUSES },
    leftAt: Date,
    activity: { type: memberActivitySchema, default: undefined },
  },
  storageOptions('members'),
);

memberSchema.index({ email: 1 }, { unique: true });
// Audiences and peer matching select by status and page by _id.
memberSchema.index({ status: 1, _id: 1 });
