// The delivery feed: how the newest emails ended (sent, failed with the SMTP server's reply, skipped and
// why), one entry each time the ledger settles a row, in a capped collection that keeps only the newest.
// It is what the console's Deliveries page lists. The ledger cannot answer "the newest 100" cheaply on
// FerretDB 1.24 on SQLite, which decodes and sorts the whole collection for any query but one by `_id`
// (12 s at 200,000 rows); the feed is small by construction and already in the order it was written.
//
// A record for people, written after the ledger and never read by delivery: a send does not depend on it. A
// process that dies between the two leaves the ledger right and the feed one entry short.

import { Schema } from 'mongoose';
import { DELIVERY_STATUSES, type DeliveryStatus } from './deliveries.js';
import { storageOptions } from './schemaOptions.js';

/** Entries kept (MongoDB keeps exactly this many; FerretDB trims to it every minute). */
export const DELIVERY_FEED_ENTRIES = 1_000;

/** The outcomes the feed records: every status but `claimed`, which is not an outcome. */
export type FeedStatus = Exclude<DeliveryStatus, 'claimed'>;
export const FEED_STATUSES = DELIVERY_STATUSES.filter((status): status is FeedStatus => status !== 'claimed');

export interface DeliveryFeedDoc {
  /** The ledger row's key. */
  key: string;
  status: FeedStatus;
  memberId: string | null;
  to: string[];
  playbook: string;
  template: string;
  /** The SMTP server's reply when it failed, or why it was skipped. */
  error: string | null;
  /** When it was sent, or settled otherwise. */
  at: Date;
}

export const deliveryFeedSchema = new Schema<DeliveryFeedDoc>(
  {
    key: { type: String, required: true },
    status: { type: String, enum: FEED_STATUSES, required: true },
    memberId: { type: String, default: null },
    to: { type: [String], required: true },
    playbook: { type: String, required: true },
    template: { type: String, required: true },
    error: { type: String, default: null },
    at: { type: Date, required: true },
  },
  {
    ...storageOptions('deliveryFeed'),
    // About 250 bytes an entry: the size is a ceiling MongoDB needs besides the count.
    capped: { size: DELIVERY_FEED_ENTRIES * 1_024, max: DELIVERY_FEED_ENTRIES },
  },
);
