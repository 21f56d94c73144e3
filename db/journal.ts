// The run journal: what each run did at each step (journal/store.ts writes it, journal/funnel.ts sums it).
// An entry's `_id` is `<workflowId>#<run sequence>#<seq>`: the run's own numbering of its notes, so a note
// written twice (a retried activity, a replayed workflow, a run that continued as new) is stored once. The
// goal's conversion of a run is the entry `<workflowId>#<run sequence>#goal`: a run converts at most once.

import { Schema } from 'mongoose';
import { JOURNAL_NOTE_KINDS } from '../contract/journal.js';
import { storageOptions } from './schemaOptions.js';

export const JOURNAL_KINDS = [...JOURNAL_NOTE_KINDS, 'converted'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

export interface JournalDoc {
  _id: string;
  workflowId: string;
  /** The run record's sequence: (workflowId, sequence) names the run record. */
  sequence: number;
  playbook: string;
  version: string;
  /** Null for a community playbook's run. */
  memberId: string | null;
  /** When the run started (the run's time). */
  runStartedAt: Date;
  /** The note's number in its run; -1 for a conversion, which the run did not write. */
  seq: number;
  stepId: string;
  kind: JournalKind;
  at: Date;
  branch: 'then' | 'else' | null;
  until: Date | null;
  reason: string | null;
  template: string | null;
  occurrence: number | null;
}

export const journalSchema = new Schema<JournalDoc>(
  {
    _id: { type: String, required: true },
    workflowId: { type: String, required: true },
    sequence: { type: Number, required: true },
    playbook: { type: String, required: true },
    version: { type: String, required: true },
    memberId: { type: String, default: null },
    runStartedAt: { type: Date, required: true },
    seq: { type: Number, required: true },
    stepId: { type: String, required: true },
    kind: { type: String, enum: JOURNAL_KINDS, required: true },
    at: { type: Date, required: true },
    branch: { type: String, enum: ['then', 'else', null], default: null },
    until: { type: Date, default: null },
    reason: { type: String, default: null },
    template: { type: String, default: null },
    occurrence: { type: Number, default: null },
  },
  storageOptions('journal'),
);

// The funnel reads one playbook's entries; a run's page reads one run's.
journalSchema.index({ playbook: 1, version: 1 });
journalSchema.index({ workflowId: 1, sequence: 1 });

/** The id of a run's entry `seq` (or of its conversion). */
export function journalEntryId(workflowId: string, sequence: number, seq: number | 'goal'): string {
  return `${workflowId}#${sequence}#${seq}`;
}
