// The runs Tend has started, newest first, as `GET /v1/runs` and `tend runs` both list them: from the runs
// collection (every run is recorded there before it starts), with each record that says open checked against
// Temporal on the way, so that a status filter filters on the truth. Newest first is by `startedAt`, then
// runKey and sequence, which tell apart runs claimed in the same millisecond (a fan-out page); a record's
// `_id` is its runKey and sequence (db/runs.ts), which says nothing of when it started.

import type { Client } from '@temporalio/client';
import type { Models, RunRecordStatus } from '../../db/index.js';
import { mapWithConcurrency } from './boundedConcurrency.js';
import { isOpen, OPEN_RUN_STATUSES, reconcileOpenRun, type RunRecord } from './runRecords.js';

export interface RunListFilter {
  memberId?: string;
  playbook?: string;
  /** One record status, or every open (`running`) or every closed (`closed`) one. */
  status?: RunRecordStatus | 'open' | 'closed';
  /** Where the previous page ended (its `next`, read with `parseRunCursor`). */
  before?: RunCursor;
  limit: number;
}

/** The last run of a page, by the keys runs are listed in. */
export interface RunCursor {
  startedAt: number;
  runKey: string;
  sequence: number;
}

export interface RunList {
  runs: RunRecord[];
  /** Pass as `before` (through `parseRunCursor`) for the next page; null when this page was the last. */
  next: string | null;
}

/** A cursor as text for a URL: base64url of `<startedAt ms>.<sequence>.<runKey>`. */
function cursorText(cursor: RunCursor): string {
  return Buffer.from(`${cursor.startedAt}.${cursor.sequence}.${cursor.runKey}`).toString('base64url');
}

/** The cursor a `next` stands for, or null when the text is not one. */
export function parseRunCursor(text: string): RunCursor | null {
  const parts = /^(\d{1,15})\.(\d{1,10})\.(.+)$/s.exec(Buffer.from(text, 'base64url').toString());
  const [, startedAt, sequence, runKey] = parts ?? [];
  if (startedAt === undefined || sequence === undefined || runKey === undefined) return null;
  return { startedAt: Number(startedAt), sequence: Number(sequence), runKey };
}

/** Open records checked against Temporal side by side. */
const RECONCILE_CONCURRENCY = 8;

export async function listRuns(
  deps: { client: Client; models: Pick<Models, 'runs'> },
  filter: RunListFilter,
): Promise<RunList> {
  const { status, before, limit } = filter;
  const records = await deps.models.runs
    .find({
      ...(filter.memberId === undefined ? {} : { memberId: filter.memberId }),
      ...(filter.playbook === undefined ? {} : { playbook: filter.playbook }),
      ...statusFilter(status),
      ...(before === undefined ? {} : olderThan(before)),
    })
    .sort({ startedAt: -1, runKey: -1, sequence: -1 })
    .limit(limit)
    .lean<RunRecord[]>()
    .exec();
  // A record says open until someone looks. A `starting` record's workflow may not exist yet: it is not
  // asked about, or a run about to start would be taken for one Temporal has long forgotten.
  const current = await mapWithConcurrency(records, RECONCILE_CONCURRENCY, async (record) =>
    isOpen(record.status) && record.status !== 'starting'
      ? { ...record, status: await reconcileOpenRun(deps.client, deps.models, record) }
      : record,
  );
  const last = records.at(-1);
  return {
    runs: current.filter((record) => hasStatus(record.status, status)),
    next:
      records.length === limit && last !== undefined
        ? cursorText({ startedAt: last.startedAt.getTime(), runKey: last.runKey, sequence: last.sequence })
        : null,
  };
}

/** The records after the cursor in the listing's order. */
function olderThan(cursor: RunCursor): Record<string, unknown> {
  const startedAt = new Date(cursor.startedAt);
  return {
    $or: [
      { startedAt: { $lt: startedAt } },
      { startedAt, runKey: { $lt: cursor.runKey } },
      { startedAt, runKey: cursor.runKey, sequence: { $lt: cursor.sequence } },
    ],
  };
}

/** The records to read: those with the status, and (except for `closed`) open ones that may have closed. */
function statusFilter(status: RunListFilter['status']): Record<string, unknown> {
  if (status === undefined) return {};
  if (status === 'closed') return { status: { $nin: OPEN_RUN_STATUSES } };
  if (status === 'open') return { status: { $in: OPEN_RUN_STATUSES } };
  return { status: { $in: [status, ...OPEN_RUN_STATUSES] } };
}

function hasStatus(actual: RunRecordStatus, wanted: RunListFilter['status']): boolean {
  if (wanted === undefined) return true;
  if (wanted === 'open') return isOpen(actual);
  if (wanted === 'closed') return !isOpen(actual);
  return actual === wanted;
}
