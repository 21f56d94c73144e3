// Managers' console sessions. A login link is single use: opening it inserts a record under the link's own
// key (`_id`, so a second use is a duplicate-key error on the one index FerretDB serves), and that record is
// the session the signed cookie names until it expires or the manager logs out.

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

export interface ConsoleSessionDoc {
  /** A hash of the login link's token: the link's use, recorded once. */
  _id: string;
  email: string;
  createdAt: Date;
  expiresAt: Date;
  /** Set at logout: the cookie no longer opens the console. */
  endedAt: Date | null;
}

export const consoleSessionSchema = new Schema<ConsoleSessionDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
  },
  storageOptions('consoleSessions'),
);
