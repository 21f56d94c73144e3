// Members: the people a community's playbooks write to. Fields follow compiler/records.ts (a run sees the
// same fields, with dates as ISO strings). Email is stored lowercased so that one address is one member.

import { Schema } from 'mongoose';
import { MEMBER_STATUSES, type MemberStatus } from '../compiler/records.js';
import { storageOptions } from './schemaOptions.js';

export const EMAIL_STATUSES = ['ok', 'bounced', 'complained'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

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
}

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
  },
  storageOptions('members'),
);

memberSchema.index({ email: 1 }, { unique: true });
// Audiences and peer matching select by status and page by _id.
memberSchema.index({ status: 1, _id: 1 });
