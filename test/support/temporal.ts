// Temporal for tests: the shared dev server (real timers, visibility, search attributes) and, for journeys
// that wait days or weeks, a private time-skipping test server per environment.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import protos from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import { TEND_SEARCH_ATTRIBUTES } from '../../scripts/servers.mjs';

/** A task queue no other test file or run uses, so parallel files never steal each other's tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** A time-skipping environment: `env.sleep('30d')` and workflow timers pass in seconds. Call teardown(). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = inject('temporalTestServerPath');
  const env = await (path === null
    ? TestWorkflowEnvironment.createTimeSkipping()
    : TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path } },
      }));
  // Runs label themselves with Tend's search attributes, which a server refuses until they are registered.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(TEND_SEARCH_ATTRIBUTES.map((name) => [name, KEYWORD])),
  });
  return env;
}

const KEYWORD = protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/** A client of the shared dev server. Close it with `client.connection.close()`. */
export async function connectClient(): Promise<Client> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  return new Client({ connection });
}

/** A worker's connection to the shared dev server. Close it after the worker has stopped. */
export function connectWorkerConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: inject('temporalAddress') });
}
