// Clicks on tracked links (domain/links/trackedLinks.ts): one row per request to /l/click, with its time, how
// it was classified (../shared/docs/reports.md, "Clicks": human, or raw with the reason) and the email it came
// from, copied from the delivery ledger so that the funnel sums clicks per playbook, version and step without
// reading the ledger. The `_id` is made once per request; the event a human click becomes is named after it.

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

/** What the request's User-Agent says: a browser, a known link scanner or bot, or nothing at all. */
export const CLICK_AGENTS = ['browser', 'scanner', 'none'] as const;
export type ClickAgent = (typeof CLICK_AGENTS)[number];

/** Why a click is not counted as human. */
export const RAW_CLICK_REASONS = [
  'head',
  'scanner-agent',
  'no-agent',
  'soon-after-delivery',
  'several-links',
] as const;
export type RawClickReason = (typeof RAW_CLICK_REASONS)[number];

export interface ClickDoc {
  _id: string;
  /** The delivery ledger key of the email clicked in. */
  delivery: string;
  /** The member the email went to. */
  memberId: string;
  playbook: string;
  version: string;
  stepId: string;
  template: string;
  /** The sending run: its workflow id and its start (together they name one run among re-entries). */
  workflowId: string;
  runStartedAt: Date;
  url: string;
  at: Date;
  method: 'GET' | 'HEAD';
  agent: ClickAgent;
  human: boolean;
  /** null for a human click. */
  reason: RawClickReason | null;
}

export const clickSchema = new Schema<ClickDoc>(
  {
    _id: { type: String, required: true },
    delivery: { type: String, required: true },
    memberId: { type: String, required: true },
    playbook: { type: String, required: true },
    version: { type: String, required: true },
    stepId: { type: String, required: true },
    template: { type: String, required: true },
    workflowId: { type: String, required: true },
    runStartedAt: { type: Date, required: true },
    url: { type: String, required: true },
    at: { type: Date, required: true },
    method: { type: String, enum: ['GET', 'HEAD'], required: true },
    agent: { type: String, enum: CLICK_AGENTS, required: true },
    human: { type: Boolean, required: true },
    reason: { type: String, enum: [...RAW_CLICK_REASONS, null], default: null },
  },
  storageOptions('clicks'),
);

// Classifying a click reads the other clicks of its email; the funnel reads one playbook's.
clickSchema.index({ delivery: 1, at: 1 });
clickSchema.index({ playbook: 1, version: 1 });
