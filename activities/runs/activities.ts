// The run-identity activities: what the audience fan-out workflow calls to start runs in batches.
// Part of `createActivities(deps)` (activities/index.ts).

import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { RoutedEvent } from '../../compiler/events.js';
import type { Models } from '../../db/index.js';
import { createPlanVersions } from '../../domain/plans/planStore.js';
import { scheduleFiring, triggerKeyValue } from '../../domain/runs/runIds.js';
import { startRun, type StartRunStatus } from './startRun.js';
import { startRuns } from './startRuns.js';

export interface RunActivityDeps {
  /** A client of the Temporal namespace the runs live in. */
  temporalClient: Client;
  models: Pick<Models, 'runs' | 'plans' | 'memberIndex'>;
  /** The task queue the `playbookRun` workers poll. */
  taskQueue: string;
}

export interface StartRunsBatchInput {
  playbook: string;
  version: string;
  memberIds: string[];
  /** The event the fan-out is for (for a schedule: its `schedule.fired` event). */
  trigger: RoutedEvent;
}

export interface StartCommunityRunInput {
  playbook: string;
  version: string;
  /** The firing's `schedule.fired` event; its id is the fan-out's, which names the firing. */
  trigger: RoutedEvent;
}

/** How many of the batch's members got a new run, already had one, or may not have another. */
export type BatchOutcome = Record<StartRunStatus, number>;

/** Starts per batch side by side: enough to hide round trips, few enough to leave the servers room. */
const START_CONCURRENCY = 24;

export function createRunActivities(deps: RunActivityDeps) {
  const planVersion = createPlanVersions(deps.models);

  /**
   * Starts a run for each member, as `startRun` does for one (`startRuns`). Safe to retry: members whose run
   * already started count as duplicates, and starts a crashed attempt left half done are finished.
   */
  async function startRunsBatch(input: StartRunsBatchInput): Promise<BatchOutcome> {
    const plan = await planVersion(input.playbook, input.version);
    const key = triggerKeyValue(plan.trigger, input.trigger);
    const requests = input.memberIds.map((memberId) => ({
      plan,
      memberId,
      key,
      trigger: input.trigger,
      taskQueue: deps.taskQueue,
    }));
    const results = await startRuns(deps.temporalClient, deps.models, requests, {
      concurrency: START_CONCURRENCY,
      onEach: () => Context.current().heartbeat(),
    });
    const outcome: BatchOutcome = { started: 0, duplicate: 0, 'not-eligible': 0 };
    for (const result of results) outcome[result.status] += 1;
    return outcome;
  }

  /**
   * Starts the one run of a community playbook (a schedule without an audience) for a firing: about no
   * member, keyed by the firing, so `run:<playbook>@<firing>` and its run record are the firing's own. A
   * retry, or the same firing's fan-out started again, finds the run and starts nothing.
   */
  async function startCommunityRun(input: StartCommunityRunInput): Promise<BatchOutcome> {
    const plan = await planVersion(input.playbook, input.version);
    const result = await startRun(deps.temporalClient, deps.models, {
      plan,
      memberId: null,
      key: scheduleFiring(plan.id, input.trigger.id),
      trigger: input.trigger,
      taskQueue: deps.taskQueue,
    });
    const outcome: BatchOutcome = { started: 0, duplicate: 0, 'not-eligible': 0 };
    outcome[result.status] += 1;
    return outcome;
  }

  return { startRunsBatch, startCommunityRun };
}
