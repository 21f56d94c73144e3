// Writing the run journal (db/journal.ts). Entries are inserted under their deterministic ids, unordered,
// and an id already stored is a note written before: skipped, not an error. So the activities that carry
// notes can be retried and a workflow can be replayed without a note ever being stored twice.

import { mongo } from 'mongoose';
import { isDuplicateKeyError, journalEntryId, type JournalDoc, type Models } from '../../db/index.js';
import type { JournalEntry } from '../../contract/journal.js';

type JournalModels = Pick<Models, 'journal'>;

/** The run the notes are of. */
export interface JournalRun {
  workflowId: string;
  /** The run record's sequence. */
  sequence: number;
  playbook: string;
  version: string;
  /** Null for a community playbook's run. */
  memberId: string | null;
  /** ms epoch */
  startedAt: number;
}

export function journalDoc(run: JournalRun, entry: JournalEntry): JournalDoc {
  return {
    _id: journalEntryId(run.workflowId, run.sequence, entry.seq),
    workflowId: run.workflowId,
    sequence: run.sequence,
    playbook: run.playbook,
    version: run.version,
    memberId: run.memberId,
    runStartedAt: new Date(run.startedAt),
    seq: entry.seq,
    stepId: entry.stepId,
    kind: entry.kind,
    at: new Date(entry.at),
    branch: entry.branch ?? null,
    until: entry.until === undefined || entry.until === null ? null : new Date(entry.until),
    reason: entry.reason ?? null,
    template: entry.template ?? null,
    occurrence: entry.occurrence ?? null,
  };
}

/** Stores the notes; those stored already are left as they are. */
export async function writeJournal(
  models: JournalModels,
  run: JournalRun,
  entries: readonly JournalEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await insertIgnoringDuplicates(
    models,
    entries.map((entry) => journalDoc(run, entry)),
  );
}

/** Inserts the documents; a document whose `_id` is stored already is skipped. */
export async function insertIgnoringDuplicates(
  models: JournalModels,
  docs: readonly JournalDoc[],
): Promise<void> {
  try {
    await models.journal.insertMany([...docs], { ordered: false, lean: true });
  } catch (error) {
    if (error instanceof mongo.MongoBulkWriteError) {
      const failures = [error.writeErrors].flat();
      if (failures.every((failure) => isDuplicateKeyError(failure))) return;
    } else if (isDuplicateKeyError(error)) return;
    throw error;
  }
}
