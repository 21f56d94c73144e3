// Held emails: one row per email the delivery policy told to wait (quiet hours, the frequency cap), keyed by
// its delivery key and rewritten each time it is held again. A record for people (the dev inbox, operators),
// written beside the ledger and never read by delivery: a send does not depend on it.

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

export const HOLD_REASONS = ['quiet_hours', 'frequency_cap'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export interface HoldDoc {
  /** The delivery key (`<workflowId>/<stepId>/<occurrence>[/peer]`): one row per email, whatever its holds. */
  _id: string;
  /** As the delivery ledger's: null for a community playbook's email. */
  memberId: string | null;
  to: string[];
  /** The subject as it reads at the time of the hold; null when the template could not be rendered. */
  subject: string | null;
  template: string;
  playbook: string;
  workflowId: string;
  stepId: string;
  reason: HoldReason;
  /** When the run asks again whether the email may go. */
  until: Date;
  heldAt: Date;
}

export const holdSchema = new Schema<HoldDoc>(
  {
    _id: { type: String, required: true },
    memberId: { type: String, default: null },
    to: { type: [String], required: true },
    subject: { type: String, default: null },
    template: { type: String, required: true },
    playbook: { type: String, required: true },
    workflowId: { type: String, required: true },
    stepId: { type: String, required: true },
    reason: { type: String, enum: HOLD_REASONS, required: true },
    until: { type: Date, required: true },
    heldAt: { type: Date, required: true },
  },
  storageOptions('holds'),
);

holdSchema.index({ until: 1 });
