// A member's runs as the console shows them: the run records (newest first), each brought up to date with
// Temporal when it says open, and each run's own account of its steps (its status query), so a manager sees
// what was sent, held or skipped and why, and when it wakes next. A run whose worker does not answer in
// time is shown from its record alone, saying so.

import type { Client } from '@temporalio/client';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import { isOpen, reconcileOpenRun, type RunRecord } from '../../domain/runs/runRecords.js';
import type { Models } from '../../db/index.js';
import type { RunState } from '../../contract/runtime.js';
import { statusQuery } from '../../contract/workflows.js';

export const RUNS_SHOWN = 20;
const QUERY_TIMEOUT_MS = 3_000;

export interface MemberRun {
  record: RunRecord;
  /** The run's own state, or null when it could not be asked. */
  state: RunState | null;
}

export async function memberRuns(temporal: Client, models: Models, memberId: string): Promise<MemberRun[]> {
  const records = await models.runs
    .find({ memberId })
    .sort({ _id: -1 })
    .limit(RUNS_SHOWN)
    .lean<RunRecord[]>()
    .exec();
  return mapWithConcurrency(records, 8, async (record) => {
    const current = isOpen(record.status)
      ? { ...record, status: await reconcileOpenRun(temporal, models, record) }
      : record;
    // Older runs under the same workflow id (reentry) are the earlier executions: only the latest answers.
    const latest = records.find((other) => other.workflowId === record.workflowId) === record;
    return { record: current, state: latest ? await askState(temporal, record.workflowId) : null };
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
