// The run journal's activities: the notes a run writes before it waits or when it closes, and the journal
// notes riding on the activities a run calls anyway. A closing run also closes its run record, so the runs
// collection says how the run ended without waiting for anyone to ask Temporal. The record is found by its
// `_id`, derived from the run's playbook, member and key (its runKey) and its sequence, all in the input.

import { runKey, type Models } from '../../db/index.js';
import { writeJournal, type JournalRun } from '../../domain/journal/store.js';
import type { JournalWrite, RecordJournalInput } from '../../contract/activityPayloads.js';
import { markClosed } from '../../domain/runs/runRecords.js';

type JournalModels = Pick<Models, 'journal' | 'runs'>;

export function journalRun(write: JournalWrite): JournalRun {
  const { run, sequence } = write;
  return { ...run, sequence };
}

/** Writes the notes that ride on another activity's input, if any. */
export async function writeRiding(models: JournalModels, write: JournalWrite | undefined): Promise<void> {
  if (write !== undefined) await writeJournal(models, journalRun(write), write.entries);
}

export function createRecordJournal(deps: { models: JournalModels; clock: () => number }) {
  const { models, clock } = deps;
  return async function recordJournal(input: RecordJournalInput): Promise<void> {
    await writeRiding(models, input);
    if (input.closing === undefined) return;
    const { playbook, memberId, key } = input.run;
    const record = { runKey: runKey(playbook, memberId, key), sequence: input.sequence };
    await markClosed(models, record, input.closing, new Date(clock()));
  };
}
