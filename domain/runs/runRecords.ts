// The runs collection as run identity sees it. A record is written before its workflow is started (status
// `starting`), so the collection is the consistent, permanent answer to "did this member already get a run?"
// (Temporal forgets closed workflows after its retention) and to "which runs are keyed on this event?"
// (Temporal's visibility store lags). Temporal stays the truth about whether a run is still open: a record
// that says open is checked against it before anyone relies on it, and corrected when it has closed.
//
// Every read and write of one record here goes by its `_id` (`runRecordId(runKey, sequence)`, db/runs.ts),
// the only filter FerretDB 1.24 serves from an index: anything else decodes the whole collection. A status
// condition that used to sit in an update's filter is checked in TypeScript instead (setRunStatus). Records
// written before the keys (an ObjectId `_id`) are not found by `_id`; for them, and only them, the old
// filters are used, which scan.

import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Types } from 'mongoose';
import { runRecordId, type Models, type RunDoc, type RunRecordStatus } from '../../db/index.js';

export type RunModels = Pick<Models, 'runs'>;

/** A run record as read back: its `_id` is an ObjectId when it was written before records were keyed. */
export type RunRecord = Omit<RunDoc, '_id'> & { _id: string | Types.ObjectId };

/** Which run record: a member's journey through a playbook (`runKey`) and which of its runs. */
export interface RunRecordRef {
  runKey: string;
  sequence: number;
}

/** Statuses of a run whose workflow has not closed (or, for `starting`, may not have started yet). */
export const OPEN_RUN_STATUSES = [
  'starting',
  'running',
  'waiting',
] as const satisfies readonly RunRecordStatus[];

export function isOpen(status: RunRecordStatus): boolean {
  return (OPEN_RUN_STATUSES as readonly RunRecordStatus[]).includes(status);
}

/** The run record, read by its `_id`; null when there is none written since records were keyed. */
export async function runRecord(models: RunModels, ref: RunRecordRef): Promise<RunRecord | null> {
  return models.runs.findById(runRecordId(ref.runKey, ref.sequence)).lean<RunRecord>().exec();
}

/**
 * The member's latest run of a playbook (under one key), or null when there never was one. Read by `_id`:
 * a run is only ever claimed as the latest sequence + 1 and records are never deleted, so a runKey's
 * sequences run 0, 1, 2, ... without a gap, and the latest is found by doubling the sequence until a read
 * misses, then halving between the last hit and the miss: about 2·log2(n) reads by `_id` for n runs (2 for
 * a member's only run). A runKey without a keyed record 0 has no runs, or runs recorded before the keys:
 * only then is the collection scanned, as it was before.
 */
export async function latestRun(models: RunModels, runKey: string): Promise<RunRecord | null> {
  return (
    (await latestKeyedRun(models, runKey)) ??
    models.runs.findOne({ runKey }).sort({ sequence: -1 }).lean<RunRecord>().exec()
  );
}

/**
 * The latest of the runKey's records written since run records were keyed on `_id`, by `_id` reads only:
 * null when there is none, without looking for older records (for a caller to whom those make no
 * difference, and for whom "no run" is the common answer that must not cost a scan).
 */
export async function latestKeyedRun(models: RunModels, runKey: string): Promise<RunRecord | null> {
  let latest = await runRecord(models, { runKey, sequence: 0 });
  if (latest === null) return null;
  // `latest` holds sequence `found`; `missing` is a sequence known to have no record.
  let found = 0;
  let missing: number | undefined;
  for (let step = 1; missing === undefined; step *= 2) {
    const next = await runRecord(models, { runKey, sequence: found + step });
    if (next === null) missing = found + step;
    else [latest, found] = [next, found + step];
  }
  while (missing - found > 1) {
    const middle = Math.floor((found + missing) / 2);
    const next = await runRecord(models, { runKey, sequence: middle });
    if (next === null) missing = middle;
    else [latest, found] = [next, middle];
  }
  return latest;
}

/** A status to write, with the time the run closed (null while it is open). */
export interface RunStatusChange {
  status: RunRecordStatus;
  closedAt: Date | null;
}

/**
 * Writes `change` to the run record when its status is one of `from`, by `_id`. Where `{ _id, status }`
 * in an update's filter would make FerretDB scan, the record is read by `_id`, the status checked here,
 * and the write made by `_id`, returning the record as it was just before the write. Races, and why what
 * remains is safe (a record that wrongly says open is corrected against Temporal by `reconcileOpenRun`
 * before anyone relies on it; one that wrongly says closed would never be corrected):
 * - A status the read shows outside `from` is never overwritten: in particular no open status is written
 *   over a closed one that could be seen.
 * - A write landing between the read and this write (another close, or a claimant marking its run
 *   `running`) shows in the record as it was before this write: when that status was outside `from`, it is
 *   written back at once. So the first close wins, as the status filter made it win, and an open status
 *   written over a close is undone; until then, for a moment, the record may say open wrongly, which is
 *   the safe way to be wrong. (On MongoDB the write and its "before" are one atomic step; FerretDB reads
 *   and writes a document in two, as it did for the filtered update this replaces.)
 * A record written before the keys is not found by `_id`: it is updated with the old filter, which holds
 * the status condition itself (and scans).
 *
 * An open status (a started run confirmed `running`, once per run) is written without the read first: were
 * the record closed already, the write shows it and puts the close back at once, and until then it says
 * open, the safe way to be wrong. A close is never written blind: a close written over another, with the
 * worker lost before it is put back, would stay wrong.
 */
export async function setRunStatus(
  models: RunModels,
  ref: RunRecordRef,
  from: readonly RunRecordStatus[],
  change: RunStatusChange,
): Promise<void> {
  const _id = runRecordId(ref.runKey, ref.sequence);
  const legacy = () =>
    models.runs
      .updateOne({ runKey: ref.runKey, sequence: ref.sequence, status: { $in: from } }, { $set: change })
      .exec();
  if (!isOpen(change.status)) {
    const current = await models.runs
      .findById(_id)
      .select({ status: 1 })
      .lean<Pick<RunDoc, 'status'>>()
      .exec();
    if (current === null) {
      await legacy();
      return;
    }
    if (!from.includes(current.status)) return;
  }
  const before = await models.runs
    // The whole record: FerretDB 1.24 serves no projection in findAndModify.
    .findOneAndUpdate({ _id }, { $set: change }, { returnDocument: 'before' })
    .lean<Pick<RunDoc, 'status' | 'closedAt'>>()
    .exec();
  if (before === null) {
    // No record by `_id`: one written before the keys, if any.
    await legacy();
    return;
  }
  if (!from.includes(before.status)) {
    await models.runs
      .updateOne({ _id }, { $set: { status: before.status, closedAt: before.closedAt } })
      .exec();
  }
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

/** Closes an open run record with how its run ended. */
export async function markClosed(
  models: RunModels,
  record: RunRecordRef,
  status: RunRecordStatus,
  closedAt = new Date(),
): Promise<void> {
  await setRunStatus(models, record, OPEN_RUN_STATUSES, { status, closedAt });
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
