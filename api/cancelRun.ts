// Cancelling a run, for POST /v1/runs/:id/cancel and the console: a Temporal cancellation, which the run
// turns into an exit with the reason `cancelled`, also in the middle of a wait. A run that has ended is a
// conflict, an unknown one is not found.

import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Conflict, NotFound } from './errors.js';

export async function cancelRun(temporal: Client, id: string): Promise<void> {
  const handle = temporal.workflow.getHandle(id);
  const description = await notFoundAsRun(id, () => handle.describe());
  if (description.status.name !== 'RUNNING') {
    throw new Conflict(`run ${id} has already ended (${description.status.name.toLowerCase()})`);
  }
  await notFoundAsRun(id, () => handle.cancel());
}

/** A call on a run's workflow, with "no such workflow" as a 404 that names the run. */
export async function notFoundAsRun<T>(id: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new NotFound(`there is no run ${id}`, { cause: error });
    throw error;
  }
}
