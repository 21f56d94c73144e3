// Introductions: which two members a run introduced. The pair key makes "never the same pair twice" a
// unique index rather than a hope; (runId, stepId) makes an introduce step idempotent across retries.

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

export interface IntroductionDoc {
  /** `min(a,b)|max(a,b)`: the same for both directions of a pair. */
  pairKey: string;
  /** Both members, so that "introductions of X" is one indexed query whichever side X was on. */
  memberIds: string[];
  /** The member whose run made the introduction, and the peer it picked. */
  memberId: string;
  peerId: string;
  /** The run's workflow id and the introduce step's id. */
  runId: string;
  stepId: string;
  playbook: string;
  createdAt: Date;
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export const introductionSchema = new Schema<IntroductionDoc>(
  {
    pairKey: { type: String, required: true },
    memberIds: { type: [String], required: true },
    memberId: { type: String, required: true },
    peerId: { type: String, required: true },
    runId: { type: String, required: true },
    stepId: { type: String, required: true },
    playbook: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  storageOptions('introductions'),
);

introductionSchema.index({ pairKey: 1 }, { unique: true });
introductionSchema.index({ runId: 1, stepId: 1 }, { unique: true });
introductionSchema.index({ memberIds: 1 });
