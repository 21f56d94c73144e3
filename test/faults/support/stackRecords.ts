// The test's own view of a fault test's stack (ownStack.ts): a connection to the stack's database straight
// to the server (never through a proxy the test cuts), to seed members and read the delivery ledger, and a
// Temporal client to see where a run's activities are.

import type { Connection as MongoConnection } from 'mongoose';
import { Client, Connection as TemporalConnection } from '@temporalio/client';
import { afterAll, beforeAll } from 'vitest';
import { connectDatabase } from '../../../db/connect.js';
import { createModels, type Models } from '../../../db/index.js';
import type { OwnServers } from './ownServers.js';
import { stackDatabase } from './ownStack.js';

export interface StackRecords {
  readonly models: Models;
  readonly temporal: Client;
  /** The attempt the run's pending activity of this type is on, or undefined when none is pending. */
  pendingAttempt: (workflowId: string, activityType: string) => Promise<number | undefined>;
}

export function useStackRecords(servers: OwnServers): StackRecords {
  let mongo: MongoConnection | undefined;
  let models: Models | undefined;
  let connection: TemporalConnection | undefined;
  let temporal: Client | undefined;

  beforeAll(async () => {
    mongo = await connectDatabase(stackDatabase(servers.mongo.address));
    models = createModels(mongo);
    connection = await TemporalConnection.connect({ address: servers.temporal.address });
    temporal = new Client({ connection });
  });

  afterAll(async () => {
    await Promise.allSettled([connection?.close(), mongo?.close()]);
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('useStackRecords(): the records exist inside tests and hooks only');
    return value;
  };
  return {
    get models() {
      return started(models);
    },
    get temporal() {
      return started(temporal);
    },
    async pendingAttempt(workflowId, activityType) {
      const description = await started(temporal).workflow.getHandle(workflowId).describe();
      const pending = description.raw.pendingActivities?.find(
        (activity) => activity.activityType?.name === activityType,
      );
      return pending?.attempt ?? undefined;
    },
  };
}
