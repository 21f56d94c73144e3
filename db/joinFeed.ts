// The join feed: who joined lately, one entry each time a member's `joinedAt` is set, in a capped collection
// that keeps only the newest. The console's Members page lists the members who joined last from it: FerretDB
// 1.24 on SQLite sorts the whole members collection for `sort({ joinedAt: -1 })` (0.9 s at 20,000).
//
// A record for people, written after the member: a reader checks each entry against the member it names.
// Members the host platform writes are entered by `tend backfill` (the newest of them).

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

/** Entries kept (MongoDB keeps exactly this many; FerretDB trims to it every minute). */
export const JOIN_FEED_ENTRIES = 200;

export interface JoinFeedDoc {
  memberId: string;
  /** The member's `joinedAt` when the entry was written. */
  at: Date;
}

export const joinFeedSchema = new Schema<JoinFeedDoc>(
  {
    memberId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  {
    ...storageOptions('joinFeed'),
    capped: { size: JOIN_FEED_ENTRIES * 256, max: JOIN_FEED_ENTRIES },
  },
);
