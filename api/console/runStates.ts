// A member's runs as the console shows them: the run records (newest first), each brought up to date with
// Temporal when it says open, and each run's account of its steps, so a manager sees what was sent, held or
// skipped and why, and when it wakes next. An open run is asked (its status query); a closed one is read
// from the run journal (journalTimeline.ts), which outlives Temporal's retention and costs no replay, and is
// asked only when the journal has nothing of it. A run that does not answer in time is shown from its record
// alone, saying so.

import type { Client } from '@temporalio/client';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import { isOpen, reconcileOpenRun, type RunRecord } from '../../domain/runs/runRecords.js';
import type { MemberIndexDoc, Models } from '../../db/index.js';
import { newestEntries, recordsOf } from '../../domain/memberIndex/read.js';
import type { RunState } from '../../contract/runtime.js';
import { statusQuery } from '../../contract/workflows.js';
import { journalTimeline, type JournalTimeline } from './journalTimeline.js';

export const RUNS_SHOWN = 20;
/** Closed runs whose steps are read from the journal, the newest first. */
export const JOURNALS_READ = 5;
const QUERY_TIMEOUT_MS = 3_000;

export interface MemberRun {
  record: RunRecord;
  /** The run's own state, or null when it was not asked or could not be. */
  state: RunState | null;
  /** What the journal says of a closed run; null for an open one, or when the journal has nothing of it. */
  journal: JournalTimeline | null;
  /** A closed run older than the JOURNALS_READ newest: its steps are not read, to keep the page quick. */
  stepsLeftOut: boolean;
}

/** The member's newest runs, found through their index (db/memberIndex.ts), newest first. */
export async function memberRuns(
  temporal: Client,
  models: Models,
  index: MemberIndexDoc | null,
): Promise<MemberRun[]> {
  const records = await recordsOf(newestEntries(index?.runs, RUNS_SHOWN), (id) =>
    models.runs.findById(id).lean<RunRecord>().exec(),
  );
  const current = await mapWithConcurrency(records, 8, async (record) =>
    isOpen(record.status) ? { ...record, status: await reconcileOpenRun(temporal, models, record) } : record,
  );
  const closed = current.filter((record) => !isOpen(record.status));
  const read = new Set(closed.slice(0, JOURNALS_READ));
  // One run's journal at a time: lookups side by side queue up in FerretDB (journalTimeline.ts).
  const journals = new Map<RunRecord, JournalTimeline | null>();
  for (const record of read)
    journals.set(record, await journalTimeline(models, record.workflowId, record.sequence));
  return mapWithConcurrency(current, 8, async (record) => {
    const journal = journals.get(record) ?? null;
    const stepsLeftOut = !isOpen(record.status) && !read.has(record);
    // Older runs under the same workflow id (reentry) are the earlier executions: only the latest answers.
    const latest = current.find((other) => other.workflowId === record.workflowId) === record;
    const ask = journal === null && latest && !stepsLeftOut;
    return { record, state: ask ? await askState(temporal, record.workflowId) : null, journal, stepsLeftOut };
  });
}

async function askState(temporal: Client, workflowId: string): Promise<RunState | null> {
  try {
    return await temporal.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
      temporal.workflow.getHandle(workflowId).query(statusQuery),
    );
  } catch {
    return null;
  }
}
