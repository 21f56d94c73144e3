// One test file's real Temporal worker on a task queue of its own, over the file's fresh database: the models
// with their indexes, a client, and a worker running the file's workflows (the stand-in run by default),
// shut down after the file. Register it after useTestDatabase and before the file's own hooks, which run
// after it and may read its fields.

import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { createModels, ensureIndexes, type Models } from '../../../db/index.js';
import type { TestDatabase } from '../../support/mongo.js';
import { connectClient, connectWorkerConnection, uniqueTaskQueue } from '../../support/temporal.js';

export interface StandInWorker {
  readonly taskQueue: string;
  readonly models: Models;
  readonly client: Client;
}

export interface StandInWorkerOptions {
  /** The workflows file beside this one; the stand-in run by default. */
  workflowsFile?: string;
  /** Activities for the worker, built once the models and the client exist. */
  activities?: (world: StandInWorker) => object;
}

export function useStandInWorker(
  db: TestDatabase,
  prefix: string,
  options: StandInWorkerOptions = {},
): StandInWorker {
  let models: Models | undefined;
  let client: Client | undefined;
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined)
      throw new Error(`the stand-in worker's ${name} is read before its beforeAll ran`);
    return value;
  };
  const world: StandInWorker = {
    taskQueue: uniqueTaskQueue(prefix),
    get models() {
      return ready(models, 'models');
    },
    get client() {
      return ready(client, 'client');
    },
  };
  let workerConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    models = createModels(db.connection);
    await ensureIndexes(models);
    [client, workerConnection] = await Promise.all([connectClient(), connectWorkerConnection()]);
    worker = await Worker.create({
      connection: workerConnection,
      taskQueue: world.taskQueue,
      workflowsPath: fileURLToPath(new URL(options.workflowsFile ?? './standInRun.ts', import.meta.url)),
      ...(options.activities ? { activities: options.activities(world) } : {}),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await Promise.all([world.client.connection.close(), workerConnection.close()]);
  });

  return world;
}
