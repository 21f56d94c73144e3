// Routing an accepted event to the runs in flight that may act on it (`exit`, `on`, `wait_for`, and waits
// that follow a record).
//
//   routeEvent(client, models, plans, event): Promise<string[]>   -> the workflow ids signalled
//
// Used by the API (POST /v1/events and everything that turns into an event). `plans` are the plans whose runs
// may be in flight (every current plan, enabled or not: disabling a playbook stops new runs, not old ones).
//
// Which runs: for an event that names a member, the member's run of each playbook that cares, by its
// deterministic id (`run:<playbook>:<member>`, or `run:<playbook>:<member>:<key>` when the event carries the
// playbook's key). An event that names no member but carries a playbook's key (an `event.updated` with only
// an eventId) reaches every open run keyed on it, and a member's event without the key reaches every open
// keyed run of that member; both are looked up in the runs collection, which is written before a run starts,
// so a run started a moment ago is reached too. A signal to a run that has closed is ignored and its record
// marked closed. An `email.clicked` goes to the run that sent the email, and only to it (clickRoute.ts).

import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan } from '../../compiler/plan.js';
import { routeEventSignal } from '../../contract/workflows.js';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import { CLICK_EVENT } from '../../domain/memberActivity/fromEvent.js';
import { clickTarget, type ClickRouteModels } from './clickRoute.js';
import { caresAbout } from './interest.js';
import { runKeyOfWorkflowId, runWorkflowId, triggerKeyValue } from '../../domain/runs/runIds.js';
import {
  isOpen,
  latestKeyedRun,
  OPEN_RUN_STATUSES,
  reconcileOpenRun,
  type RunModels,
  type RunRecord,
} from '../../domain/runs/runRecords.js';

const SIGNAL_CONCURRENCY = 16;
/** A run claimed but not yet started (its start is a few milliseconds away) is waited for this long. */
const STARTING_RETRIES = 20;
const STARTING_RETRY_MS = 100;

export async function routeEvent(
  client: Client,
  models: ClickRouteModels,
  plans: readonly Plan[],
  event: RoutedEvent,
): Promise<string[]> {
  const targets = new Set<string>(event.type === CLICK_EVENT ? await clickTarget(models, plans, event) : []);
  const caring = event.type === CLICK_EVENT ? [] : plans.filter((plan) => caresAbout(plan, event.type));
  for (const plan of caring) {
    for (const workflowId of await runsOf(models, plan, event)) targets.add(workflowId);
  }
  const reached = await mapWithConcurrency([...targets], SIGNAL_CONCURRENCY, (workflowId) =>
    signalRun(client, models, workflowId, event),
  );
  return [...targets].filter((_, index) => reached[index]);
}

/** The workflow ids of the plan's runs that the event is about. */
async function runsOf(models: RunModels, plan: Plan, event: RoutedEvent): Promise<string[]> {
  const key = triggerKeyValue(plan.trigger, event);
  const keyed = plan.trigger.kind === 'event' && plan.trigger.key !== null;
  if (event.memberId !== null && (!keyed || key !== null))
    return [runWorkflowId(plan.id, event.memberId, key)];
  if (!keyed || (event.memberId === null && key === null)) return [];
  const records = await models.runs
    .find({
      playbook: plan.id,
      status: { $in: OPEN_RUN_STATUSES },
      ...(event.memberId === null ? { key } : { memberId: event.memberId }),
    })
    .select({ workflowId: 1 })
    .lean<Pick<RunRecord, 'workflowId'>[]>()
    .exec();
  return records.map((record) => record.workflowId);
}

/** Signals one run; false when it is not in flight (never started, or closed: its record is corrected). */
async function signalRun(
  client: Client,
  models: RunModels,
  workflowId: string,
  event: RoutedEvent,
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.workflow.getHandle(workflowId).signal(routeEventSignal, event);
      return true;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    // Temporal has no such workflow: a run claimed a moment ago and about to start is worth waiting for, and a
    // record that says open is corrected. Only the latest record of the workflow's run key can be open. Read
    // by `_id` only: most events about a member reach playbooks the member never ran, and a record from
    // before run records were keyed (never `starting` now) is corrected when its member's next trigger reads it.
    const runKey = runKeyOfWorkflowId(workflowId);
    const latest = runKey === null ? null : await latestKeyedRun(models, runKey);
    const open = latest !== null && isOpen(latest.status) ? [latest] : [];
    const starting = open.some((record) => record.status === 'starting');
    if (starting && attempt < STARTING_RETRIES) {
      await new Promise((resolve) => setTimeout(resolve, STARTING_RETRY_MS));
      continue;
    }
    for (const record of open) {
      if (record.status !== 'starting') await reconcileOpenRun(client, models, record);
    }
    return false;
  }
}
