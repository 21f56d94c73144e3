// Starting a member's run of a playbook, exactly once per trigger, honouring the playbook's `reentry`.
//
//   startRun(client, models, { plan, memberId, key, trigger, taskQueue }): Promise<StartRunResult>
//     -> { status: 'started' | 'duplicate' | 'not-eligible', workflowId, reason? }
//
// Used by the API (POST /v1/events and everything that turns into an event) and by the audience fan-out.
//
// How "a trigger delivered twice starts one run" holds, even for many concurrent deliveries:
// 1. A member's first run is claimed at once (step 2). Otherwise the member's latest run record decides: one
//    in flight makes the trigger a duplicate; a closed one is weighed against `reentry` (once: never again;
//    always: a new run; after: only when it started long enough ago). Nothing in Temporal is relied on for
//    `once`, since Temporal forgets closed workflows.
// 2. The new run is claimed by inserting its record (status `starting`) under its `_id`, derived from
//    (runKey, sequence) (db/runs.ts), and the unique index (runKey, sequence): of concurrent deliveries
//    exactly one insert succeeds; the others are duplicates.
// 3. The claimant starts the workflow under the deterministic id with conflict policy USE_EXISTING, then
//    marks the record `running` if it still says `starting` (by `_id`: domain/runs/runRecords.ts).
// A process that dies between 2 and 3 leaves a `starting` record. The next delivery of any trigger for that
// member finds it and finishes the start (recoverStart), so a crash never blocks a member: the fan-out's
// activity retry, a webhook's redelivery or the next event all recover it.

import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan, Reentry } from '../../compiler/plan.js';
import { isDuplicateKeyError, runKey, runRecordId, type RunDoc } from '../../db/index.js';
import type { RunInput } from '../../contract/runtime.js';
import { PLAYBOOK_RUN } from '../../contract/workflows.js';
import type { playbookRun } from '../../workflows/playbookRun.js';
import { runWorkflowId } from '../../domain/runs/runIds.js';
import { enterInIndex, type MemberIndexModels } from '../../domain/memberIndex/enter.js';
import {
  closedStatusOf,
  isOpen,
  latestRun,
  reconcileOpenRun,
  runRecord,
  setRunStatus,
  type RunModels,
  type RunRecord,
} from '../../domain/runs/runRecords.js';

export interface StartRunRequest {
  plan: Plan;
  /** Null for a community playbook's run, one per firing of its schedule (the firing is its `key`). */
  memberId: string | null;
  /** The trigger's key value (`triggerKeyValue(plan.trigger, event)`), or null for an unkeyed playbook. */
  key: string | null;
  trigger: RoutedEvent;
  /** The task queue the workers of `playbookRun` poll (TEMPORAL_TASK_QUEUE). */
  taskQueue: string;
}

export type StartRunStatus = 'started' | 'duplicate' | 'not-eligible';

export interface StartRunResult {
  status: StartRunStatus;
  workflowId: string;
  /** Why a run was not started, in words for a manager reading `tend runs` or an API response. */
  reason?: string;
  /**
   * When no run was started: the trigger that started the run record found in the way (the member's latest,
   * or the one another delivery had just claimed), when one was read. A retry of the same trigger finds its
   * own run here.
   */
  foundTriggerId?: string;
}

/** What starting a run writes: the run records, and the member's index (db/memberIndex.ts). */
export type StartRunModels = RunModels & MemberIndexModels;

export async function startRun(
  client: Client,
  models: StartRunModels,
  request: StartRunRequest,
): Promise<StartRunResult> {
  const workflowId = runWorkflowId(request.plan.id, request.memberId, request.key);
  // Most triggers are a member's first run of the playbook: claim it at once, and read the member's earlier
  // runs only when that claim finds one.
  if (await claim(models, request, 0)) return start(client, models, request, 0);
  const key = runKey(request.plan.id, request.memberId, request.key);
  const last = await latestRun(models, key);
  if (last === null)
    return { workflowId, status: 'duplicate', reason: 'a run was just claimed for this member' };
  const refusal = await refusalAfter(client, models, request, last);
  if (refusal !== null) return { workflowId, ...refusal, foundTriggerId: last.triggerId };
  const sequence = last.sequence + 1;
  if (await claim(models, request, sequence)) return start(client, models, request, sequence);
  const winner = await runRecord(models, { runKey: key, sequence });
  return {
    workflowId,
    status: 'duplicate',
    reason: 'another delivery of this trigger is starting the run',
    ...(winner === null ? {} : { foundTriggerId: winner.triggerId }),
  };
}

/** Inserts the run's record as `starting`; false when a record with that sequence exists (someone else won). */
async function claim(models: StartRunModels, request: StartRunRequest, sequence: number): Promise<boolean> {
  const record = runClaim(request, sequence);
  try {
    await models.runs.create(record);
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
  // After the claim, once per record: a claimant that dies before this is recovered by the next delivery,
  // which enters the record then (recoverStart).
  await enterRun(models, record);
  return true;
}

/** Enters a claimed run in its member's index (a community playbook's run has no member). */
export function enterRun(
  models: MemberIndexModels,
  record: Pick<RunDoc, 'memberId' | 'startedAt'> & { _id: unknown },
): Promise<void> {
  return enterInIndex(models, record.memberId, { runs: [{ id: record._id, at: record.startedAt }] });
}

/** The record that claims a run: `starting` until its workflow is confirmed started. */
export function runClaim(request: StartRunRequest, sequence: number): RunDoc {
  const { plan, memberId, key, trigger } = request;
  const journey = runKey(plan.id, memberId, key);
  return {
    _id: runRecordId(journey, sequence),
    runKey: journey,
    sequence,
    playbook: plan.id,
    version: plan.version,
    memberId,
    key,
    workflowId: runWorkflowId(plan.id, memberId, key),
    triggerId: trigger.id,
    status: 'starting',
    startedAt: new Date(),
    closedAt: null,
  };
}

/**
 * Starts the claimed run's workflow and marks its record started. Only a record still `starting` is marked:
 * a run quick enough to have closed already (its close writes the record) stays closed.
 */
export async function start(
  client: Client,
  models: RunModels,
  request: StartRunRequest,
  sequence: number,
): Promise<StartRunResult> {
  const workflowId = runWorkflowId(request.plan.id, request.memberId, request.key);
  await startWorkflow(client, request, workflowId, sequence);
  const record = { runKey: runKey(request.plan.id, request.memberId, request.key), sequence };
  await setRunStatus(models, record, ['starting'], { status: 'running', closedAt: null });
  return { workflowId, status: 'started' };
}

type Refusal = Omit<StartRunResult, 'workflowId'>;

/** Why the member's latest run rules out a new one, or null when a new run may start. */
async function refusalAfter(
  client: Client,
  models: StartRunModels,
  request: StartRunRequest,
  last: RunRecord,
): Promise<Refusal | null> {
  if (last.status === 'starting') {
    await recoverStart(client, models, request, last);
    return { status: 'duplicate', reason: 'a run was already being started for this member' };
  }
  if (isOpen(last.status) && isOpen(await reconcileOpenRun(client, models, last))) {
    return { status: 'duplicate', reason: 'a run is in flight for this member' };
  }
  if (last.triggerId === request.trigger.id) {
    return { status: 'duplicate', reason: 'this trigger has already run' };
  }
  return reentryRefusal(request.plan.reentry, last);
}

function reentryRefusal(reentry: Reentry, last: RunRecord): Refusal | null {
  const lastStart = last.startedAt.toISOString();
  switch (reentry.kind) {
    case 'once':
      return {
        status: 'not-eligible',
        reason: `reentry is once, and the member had a run started ${lastStart}`,
      };
    case 'always':
      return null;
    case 'after':
      return Date.now() - last.startedAt.getTime() >= reentry.ms
        ? null
        : { status: 'not-eligible', reason: `reentry waits after the run started ${lastStart}` };
    default: {
      const unknown: never = reentry;
      throw new Error(`unknown reentry ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Finishes a start that its claimant may not have finished (it crashed, or it is a concurrent delivery still
 * on its way). The workflow carries its record's sequence in its memo, so a workflow already started for
 * this record is recognised and not started again.
 */
async function recoverStart(
  client: Client,
  models: StartRunModels,
  request: StartRunRequest,
  record: RunRecord,
): Promise<void> {
  await enterRun(models, record);
  if (!(await startedFor(client, record))) {
    try {
      await startWorkflow(client, request, record.workflowId, record.sequence);
    } catch (error) {
      // `once` refuses to reuse the id of a closed workflow: this record's run started and has ended.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  const closed = await closedStatusOf(client, record.workflowId);
  await setRunStatus(
    models,
    record,
    ['starting'],
    closed === null ? { status: 'running', closedAt: null } : { status: closed, closedAt: new Date() },
  );
}

async function startedFor(client: Client, record: RunRecord): Promise<boolean> {
  try {
    const { memo } = await client.workflow.getHandle(record.workflowId).describe();
    return memo?.sequence === record.sequence;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** Starts the run's workflow; a start of a run already started attaches to it. */
export async function startWorkflow(
  client: Client,
  request: StartRunRequest,
  workflowId: string,
  sequence: number,
): Promise<void> {
  const input: RunInput = {
    plan: request.plan,
    memberId: request.memberId,
    key: request.key,
    trigger: request.trigger,
  };
  await client.workflow.start<typeof playbookRun>(PLAYBOOK_RUN, {
    workflowId,
    taskQueue: request.taskQueue,
    args: [input],
    // A concurrent start of the same run attaches to it instead of failing or starting a second one.
    workflowIdConflictPolicy: 'USE_EXISTING',
    // `once` also asks Temporal never to reuse the id; the runs collection is the guard that outlives it.
    workflowIdReusePolicy: request.plan.reentry.kind === 'once' ? 'REJECT_DUPLICATE' : 'ALLOW_DUPLICATE',
    memo: { sequence },
  });
}
