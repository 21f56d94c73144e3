// Temporal for tests: the shared dev server (real timers, visibility, search attributes) and, for journeys
// that wait days or weeks, a private time-skipping test server per environment.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';

/** A task queue no other test file or run uses, so parallel files never steal each other's tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** A time-skipping environment: `env.sleep('30d')` and workflow timers pass in seconds. Call teardown(). */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = inject('temporalTestServerPath');
  if (path === null) return TestWorkflowEnvironment.createTimeSkipping();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
}

/** A client of the shared dev server. Close it with `client.connection.close()`. */
export async function connectClient(): Promise<Client> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  return new Client({ connection });
}

/** A worker's connection to the shared dev server. Close it after the worker has stopped. */
export function connectWorkerConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: inject('temporalAddress') });
}
