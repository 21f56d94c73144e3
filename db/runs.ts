// Run records: the identity of each run of a playbook for a member, so that a trigger delivered twice starts
// one run and `reentry` can tell how many runs came before. `runKey` names the member's journey through a
// playbook; `sequence` counts its runs (0 for the first).
//
// A record's `_id` is `runRecordId(runKey, sequence)`: FerretDB 1.24 on SQLite uses an index only for a filter
// that is exactly `{ _id }`, so every write to a run record goes by it (domain/runs/runRecords.ts), and the
// unique `_id` (with the unique (runKey, sequence) index) is what makes the claim of a run atomic. Records
// written before had an ObjectId `_id`; domain/runs/runRecords.ts falls back to their old filters.

import { Schema } from 'mongoose';
import type { RunStatus } from '../contract/runtime.js';
import { storageOptions } from './schemaOptions.js';

export const RUN_RECORD_STATUSES = [
  // Claimed by a trigger, its workflow not yet confirmed started (activities/runs/startRun.ts).
  'starting',
  'running',
  'waiting',
  'completed',
  'exited',
  'failed',
  'terminated',
] as const satisfies readonly (RunStatus | 'starting' | 'terminated')[];
export type RunRecordStatus = (typeof RUN_RECORD_STATUSES)[number];

export interface RunDoc {
  /** `runRecordId(runKey, sequence)` (an ObjectId in records written before it). */
  _id: string;
  /** `<playbook>:<memberId>[:<key>]`, or `<playbook>@<key>` for a community playbook's run */
  runKey: string;
  sequence: number;
  playbook: string;
  /** The plan version the run started with. */
  version: string;
  /** Null for a community playbook's run (a schedule without an audience): its key names the firing. */
  memberId: string | null;
  key: string | null;
  /** Several runs share one workflow id when `reentry` lets a member run a playbook again. */
  workflowId: string;
  /** The id of the event that started the run: the same event delivered again is a duplicate. */
  triggerId: string;
  status: RunRecordStatus;
  startedAt: Date;
  closedAt: Date | null;
}

export function runKey(playbook: string, memberId: string | null, key: string | null): string {
  // `@` is in no playbook id, so a community run's key cannot be read as a member's.
  if (memberId === null) return `${playbook}@${key ?? ''}`;
  return key === null ? `${playbook}:${memberId}` : `${playbook}:${memberId}:${key}`;
}

/** Digits of a sequence in a record's `_id`: zero-padded, so that one runKey's ids sort in sequence order. */
const SEQUENCE_DIGITS = 10;

/**
 * The `_id` of a run record: `<runKey>#<sequence, 10 digits>`, e.g. `welcome:m-1#0000000002`. The sequence has
 * a fixed width, so the id reads back unambiguously from its end whatever a runKey holds, and one runKey's ids
 * sort as its sequences do (a member would need ten billion runs of one playbook to break that).
 */
export function runRecordId(key: string, sequence: number): string {
  return `${key}#${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;
}

export const runSchema = new Schema<RunDoc>(
  {
    _id: { type: String, required: true },
    runKey: { type: String, required: true },
    sequence: { type: Number, required: true, min: 0 },
    playbook: { type: String, required: true },
    version: { type: String, required: true },
    memberId: { type: String, default: null },
    key: { type: String, default: null },
    workflowId: { type: String, required: true },
    triggerId: { type: String, required: true },
    status: { type: String, enum: RUN_RECORD_STATUSES, required: true },
    startedAt: { type: Date, required: true },
    closedAt: { type: Date, default: null },
  },
  storageOptions('runs'),
);

runSchema.index({ runKey: 1, sequence: 1 }, { unique: true });
runSchema.index({ workflowId: 1 });
// Routing an event that names only an event id reaches every open run keyed on it.
runSchema.index({ key: 1, status: 1 });
runSchema.index({ memberId: 1, playbook: 1 });
