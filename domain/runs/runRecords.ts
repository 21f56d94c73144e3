// The runs collection as run identity sees it. A record is written before its workflow is started (status
// `starting`), so the collection is the consistent, permanent answer to "did this member already get a run?"
// (Temporal forgets closed workflows after its retention) and to "which runs are keyed on this event?"
// (Temporal's visibility store lags). Temporal stays the truth about whether a run is still open: a record
// that says open is checked against it before anyone relies on it, and corrected when it has closed.

import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Models, RunDoc, RunRecordStatus } from '../../db/index.js';

export type RunModels = Pick<Models, 'runs'>;

/** A run record as read back (with its `_id`). */
export type RunRecord = RunDoc & { _id: unknown };

/** Statuses of a run whose workflow has not closed (or, for `starting`, may not have started yet). */
export const OPEN_RUN_STATUSES = [
  'starting',
  'running',
  'waiting',
] as const satisfies readonly RunRecordStatus[];

export function isOpen(status: RunRecordStatus): boolean {
  return (OPEN_RUN_STATUSES as readonly RunRecordStatus[]).includes(status);
}

/** The member's latest run of a playbook (under one key), or null when there never was one. */
export async function latestRun(models: RunModels, runKey: string): Promise<RunRecord | null> {
  return models.runs.findOne({ runKey }).sort({ sequence: -1 }).lean<RunRecord>().exec();
}

/**
 * Whether the workflow behind an open record is still open. When it has closed (or Temporal has no such
 * workflow), the record is updated to say how it ended, and the closed status is returned.
 */
export async function reconcileOpenRun(
  client: Client,
  models: RunModels,
  record: RunRecord,
): Promise<RunRecordStatus> {
  const closed = await closedStatusOf(client, record.workflowId);
  if (closed === null) return record.status;
  await markClosed(models, record, closed);
  return closed;
}

export async function markClosed(
  models: RunModels,
  record: RunRecord,
  status: RunRecordStatus,
): Promise<void> {
  await models.runs
    .updateOne(
      { _id: record._id, status: { $in: OPEN_RUN_STATUSES } },
      { $set: { status, closedAt: new Date() } },
    )
    .exec();
}

/**
 * How the workflow ended, or null while it is open. A confirmed run that Temporal no longer knows has
 * passed its retention: it closed long ago, most likely at its end.
 */
export async function closedStatusOf(client: Client, workflowId: string): Promise<RunRecordStatus | null> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    switch (description.status.name) {
      case 'RUNNING':
      case 'PAUSED':
      case 'CONTINUED_AS_NEW':
        return null;
      case 'COMPLETED':
        return 'completed';
      case 'TERMINATED':
      case 'CANCELLED':
        return 'terminated';
      case 'FAILED':
      case 'TIMED_OUT':
      case 'UNSPECIFIED':
      case 'UNKNOWN':
        return 'failed';
    }
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'completed';
    throw error;
  }
}
