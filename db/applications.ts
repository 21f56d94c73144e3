// Applications waiting for a decision: one document per member whose status is `applied`, kept beside the
// member by every write of Tend's that can change it (domain/members/applications.ts). The console's
// Overview and Applications pages list these few documents instead of reading every member: FerretDB 1.24 on
// SQLite decodes the whole members collection for `{ status: 'applied' }` (two scans, 1.8 s at 20,000).
//
// Members the host platform writes are not here until `tend backfill` runs; a member the platform moved on
// is found out (and removed) when a page reads them.

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

export interface ApplicationDoc {
  /** The member's `_id`. */
  _id: string;
  /** When they applied (`joinedAt`), for the oldest-first order. */
  at: Date;
}

export const applicationSchema = new Schema<ApplicationDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  storageOptions('applications'),
);
