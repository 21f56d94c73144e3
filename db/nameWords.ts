// Members by the words of their name and address: one document per word, naming the members whose name,
// first name or address has it. The console's search by a name reads the documents of the words typed, where
// matching the text against every member decoded the whole members collection on FerretDB 1.24 (1.4 s at
// 20,000). Entries are only added; a reader checks each member against the words (a name can change), and
// text that is not a whole word still gets the full match (api/console/members.ts).

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

export interface NameWordDoc {
  /** The word, lowercased. */
  _id: string;
  memberIds: string[];
}

export const nameWordSchema = new Schema<NameWordDoc>(
  {
    _id: { type: String, required: true },
    memberIds: { type: [String], default: undefined },
  },
  storageOptions('nameWords'),
);
