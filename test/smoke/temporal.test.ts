// Proves both Temporal servers are real and run our bundled workflow code.
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import {
  connectClient,
  connectWorkerConnection,
  createTimeSkippingEnv,
  uniqueTaskQueue,
} from '../support/temporal.js';
import { greet, sleepDays } from './workflows.js';

const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));
const DAY_MS = 24 * 60 * 60 * 1000;

describe('Temporal dev server', () => {
  it('runs a bundled workflow end to end', async () => {
    const [client, connection] = await Promise.all([connectClient(), connectWorkerConnection()]);
    const taskQueue = uniqueTaskQueue('smoke');
    try {
      const worker = await Worker.create({ connection, taskQueue, workflowsPath });
      const result = await worker.runUntil(
        client.workflow.execute(greet, { taskQueue, workflowId: taskQueue, args: ['Ada'] }),
      );
      expect(result).toBe('Hello, Ada!');
    } finally {
      await Promise.all([client.connection.close(), connection.close()]);
    }
  });
});

describe('time-skipping test server', () => {
  it('lets a workflow sleep 30 days', async () => {
    const env = await createTimeSkippingEnv();
    try {
      const taskQueue = uniqueTaskQueue('smoke-skip');
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath });
      const elapsed = await worker.runUntil(
        env.client.workflow.execute(sleepDays, { taskQueue, workflowId: taskQueue, args: [30] }),
      );
      expect(elapsed).toBeGreaterThanOrEqual(30 * DAY_MS);
    } finally {
      await env.teardown();
    }
  });
});
