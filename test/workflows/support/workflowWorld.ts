// What the workflow unit tests share: the time-skipping server and Tend's workflow bundle, built once per
// file, and a worker of stand-in activities on a task queue of its own for each test.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { WORKFLOWS_PATH } from '../../../worker/buildWorker.js';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal.js';

export interface WorkflowWorld {
  readonly env: TestWorkflowEnvironment;
  /** Runs `body` while a worker of `activities` polls a task queue of its own (named from `prefix`). */
  withWorker<T>(prefix: string, activities: object, body: (taskQueue: string) => Promise<T>): Promise<T>;
}

/** Registers the hooks that start the server and bundle the workflows before a file's tests. */
export function useWorkflowWorld(): WorkflowWorld {
  let env: TestWorkflowEnvironment | undefined;
  let bundle: WorkflowBundle | undefined;

  beforeAll(async () => {
    [env, bundle] = await Promise.all([
      createTimeSkippingEnv(),
      bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH }),
    ]);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const started = (): { env: TestWorkflowEnvironment; bundle: WorkflowBundle } => {
    if (env === undefined || bundle === undefined)
      throw new Error('useWorkflowWorld(): the world exists inside tests and hooks only');
    return { env, bundle };
  };
  return {
    get env() {
      return started().env;
    },
    async withWorker(prefix, activities, body) {
      const { env: server, bundle: workflowBundle } = started();
      const taskQueue = uniqueTaskQueue(prefix);
      const worker = await Worker.create({
        connection: server.nativeConnection,
        taskQueue,
        workflowBundle,
        activities,
      });
      return worker.runUntil(() => body(taskQueue));
    },
  };
}
