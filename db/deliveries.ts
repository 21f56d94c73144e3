// The delivery ledger: one row per email a run means to send, claimed under a unique key before SMTP is
// spoken, so that a retried activity never sends twice. The same rows answer the frequency cap.
//
// A row's `_id` is its key. FerretDB on SQLite (the dev, CI and bench store) uses an index only for a filter
// of exactly `{ _id }`; any other filter reads and decodes the whole collection, so a ledger looked up by a
// `key` field made every send cost a scan of every email ever sent. Rows written before the ledger was keyed
// this way have an ObjectId `_id`; the unique index on `key` still guards them (activities/delivery/ledger.ts).

import { Schema, type Types } from 'mongoose';
import { CATEGORIES, type Category } from '../compiler/plan.js';
import { storageOptions } from './schemaOptions.js';

export const DELIVERY_STATUSES = ['claimed', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Who the email went to: `member` and `peer` sends count toward the member's cap; the others do not. */
export const RECIPIENT_KINDS = ['member', 'peer', 'manager', 'address'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export interface DeliveryDoc {
  /** The key, filled in from `key` when a writer leaves it out (see above). */
  _id?: string;
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
   * `_id` instead, a fixed order every claimant sees alike: see activities/delivery/ledger.ts.)
   */
  claimedAt: Date;
  sentAt: Date | null;
  /** Why it was skipped, or the SMTP server's reply when it failed. */
  error: string | null;
}

/** A ledger row as read back: `_id` is the key, or an ObjectId on a row written before it was. */
export type StoredDelivery = Omit<DeliveryDoc, '_id'> & { _id: string | Types.ObjectId };

export const deliverySchema = new Schema<DeliveryDoc>(
  {
    // The key, unless a writer says otherwise: every row the ledger writes sets both.
    _id: {
      type: String,
      default: function (this: DeliveryDoc) {
        return this.key;
      },
    },
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

// Rows keyed on `_id` need no second index; rows written before that are found, and guarded, by this one.
deliverySchema.index({ key: 1 }, { unique: true });
// The frequency cap: this member's deliveries in a time window.
deliverySchema.index({ memberId: 1, claimedAt: 1 });
deliverySchema.index({ workflowId: 1 });
