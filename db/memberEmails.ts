// Members by email address: one document per address, naming the member who has it. The unique index on
// `members.email` makes an address one member's; this collection makes finding that member a read by `_id`.
// FerretDB 1.24 on SQLite serves nothing but an exact `{ _id }` filter from an index, so `{ email }` decoded
// every member (2 s at 20,000) for each event that names its member by address, and for each search.
//
// A key is a hint, checked on every use against the member it names: members are also written by the host
// platform, which knows nothing of these keys (domain/members/memberByEmail.ts).

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

export interface MemberEmailDoc {
  /** The address, lowercased and trimmed as `members.email` stores it. */
  _id: string;
  memberId: string;
}

export const memberEmailSchema = new Schema<MemberEmailDoc>(
  {
    _id: { type: String, required: true },
    memberId: { type: String, required: true },
  },
  storageOptions('memberEmails'),
);
