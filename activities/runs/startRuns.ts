// Starting many members' runs of one plan at once, for the audience fan-out. Each run is started exactly as
// `startRun` would start it, but the claims of a whole page of first runs are inserted in one write and
// confirmed in another, instead of two writes per member: the database, not Temporal, is what limits a
// fan-out. A member who already had a run of the playbook is handed to `startRun`, which weighs `reentry`.

import type { Client } from '@temporalio/client';
import { mongo } from 'mongoose';
import { runKey } from '../../db/index.js';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import { runWorkflowId } from '../../domain/runs/runIds.js';
import type { RunModels } from '../../domain/runs/runRecords.js';
import { runClaim, startRun, startWorkflow, type StartRunRequest, type StartRunResult } from './startRun.js';

const DUPLICATE_KEY = 11000;

export async function startRuns(
  client: Client,
  models: RunModels,
  requests: readonly StartRunRequest[],
  options: { concurrency: number; onEach?: () => void },
): Promise<StartRunResult[]> {
  const claimed = await claimFirstRuns(models, requests);
  const results = await mapWithConcurrency(
    [...requests.entries()],
    options.concurrency,
    async ([index, request]) => {
      const workflowId = runWorkflowId(request.plan.id, request.memberId, request.key);
      let result: StartRunResult;
      if (claimed[index]) {
        await startWorkflow(client, request, workflowId, 0);
        result = { workflowId, status: 'started' };
      } else {
        result = await startRun(client, models, request);
      }
      options.onEach?.();
      return result;
    },
  );
  const started = requests.filter((_, index) => claimed[index]);
  if (started.length > 0) {
    await models.runs
      .updateMany(
        {
          runKey: { $in: started.map(({ plan, memberId, key }) => runKey(plan.id, memberId, key)) },
          sequence: 0,
          status: 'starting',
        },
        { $set: { status: 'running' } },
      )
      .exec();
  }
  return results;
}

/** Claims every member's first run in one write; false for members who already have a first run. */
async function claimFirstRuns(models: RunModels, requests: readonly StartRunRequest[]): Promise<boolean[]> {
  if (requests.length === 0) return [];
  try {
    await models.runs.collection.insertMany(
      requests.map((request) => runClaim(request, 0)),
      { ordered: false },
    );
    return requests.map(() => true);
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    const failures = [error.writeErrors].flat();
    const other = failures.find((failure) => failure.code !== DUPLICATE_KEY);
    if (other) throw error;
    const taken = new Set(failures.map((failure) => failure.index));
    return requests.map((_, index) => !taken.has(index));
  }
}
