// Every activity a Tend worker registers: the run's activities (records, delivery, members, audience), event
// ingestion, and the run-identity activities of the fan-out. One place composes them, so the worker, the
// tests and the benchmarks register the same set.

import type { Client } from '@temporalio/client';
import { createEventActivities } from '../activities/events/activities.js';
import { createCurrentPlans } from '../domain/plans/planStore.js';
import { createActivities } from '../activities/index.js';
import type { ActivityDeps } from '../activities/index.js';
import { createRunActivities } from '../activities/runs/activities.js';

export interface WorkerActivityDeps extends ActivityDeps {
  temporalClient: Client;
  /** The task queue runs and fan-outs are started on (this worker's). */
  taskQueue: string;
}

export function createWorkerActivities(deps: WorkerActivityDeps) {
  const { models, temporalClient, taskQueue } = deps;
  return {
    ...createActivities(deps),
    ...createEventActivities({
      client: temporalClient,
      models,
      taskQueue,
      plans: createCurrentPlans(models),
      ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    }),
    ...createRunActivities({ temporalClient, models, taskQueue }),
  };
}
