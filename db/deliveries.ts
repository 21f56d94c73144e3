// The delivery ledger: one row per email a run means to send, claimed under a unique key before SMTP is
// spoken, so that a retried activity never sends twice. The same rows answer the frequency cap.

import { Schema } from 'mongoose';
import { CATEGORIES, type Category } from '../compiler/plan.js';
import { storageOptions } from './schemaOptions.js';

export const DELIVERY_STATUSES = ['claimed', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Who the email went to: `member` and `peer` sends count toward the member's cap; the others do not. */
export const RECIPIENT_KINDS = ['member', 'peer', 'manager', 'address'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export interface DeliveryDoc {
  /** `<workflowId>/<stepId>/<occurrence>[/peer]` */
  key: string;
  status: DeliveryStatus;
  /**
   * The member the email is to (member, peer) or about (manager, address); null for a community playbook's
   * email to the organisers, which is about no member.
   */
  memberId: string | null;
  recipientKind: RecipientKind;
  to: string[];
  template: string;
  category: Category;
  playbook: string;
  version: string;
  workflowId: string;
  stepId: string;
  /** Derived from the key, so a resend after a crash carries the same Message-ID. */
  messageId: string | null;
  /**
   * When the row was claimed: the frequency cap's window counts claims by it. (Racing claims are ordered by
   * `_id` instead, which the server assigns on insert: see activities/delivery/ledger.ts.)
   */
  claimedAt: Date;
  sentAt: Date | null;
  /** Why it was skipped, or the SMTP server's reply when it failed. */
  error: string | null;
}

export const deliverySchema = new Schema<DeliveryDoc>(
  {
    key: { type: String, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, required: true },
    memberId: { type: String, default: null },
    recipientKind: { type: String, enum: RECIPIENT_KINDS, required: true },
    to: { type: [String], required: true },
    template: { type: String, required: true },
    category: { type: String, enum: CATEGORIES, required: true },
    playbook: { type: String, required: true },
    version: { type: String, required: true },
    workflowId: { type: String, required: true },
    stepId: { type: String, required: true },
    messageId: { type: String, default: null },
    claimedAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    error: { type: String, default: null },
  },
  storageOptions('deliveries'),
);

deliverySchema.index({ key: 1 }, { unique: true });
// The frequency cap: this member's deliveries in a time window.
deliverySchema.index({ memberId: 1, claimedAt: 1 });
deliverySchema.index({ workflowId: 1 });
