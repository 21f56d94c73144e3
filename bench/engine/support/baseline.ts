// The baselines the engine's figures are compared with: the least a Temporal worker can do for the same
// shape of work. A workflow that runs one no-op activity (vs a run that sends one email), and one that sleeps
// until a moment and then runs one activity that reads the clock (vs a run whose send is due then).

import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection } from '@temporalio/worker';

export const baselineActivities = {
  noop: (): Promise<void> => Promise.resolve(),
  /** When the activity ran, ms epoch. */
  stamp: (): Promise<number> => Promise.resolve(Date.now()),
};

export async function startBaselineWorker(connection: NativeConnection, taskQueue: string) {
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./baselineWorkflows.ts', import.meta.url)),
    activities: baselineActivities,
    maxConcurrentActivityTaskExecutions: 100,
  });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}
