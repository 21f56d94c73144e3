// The Tend worker process (`tsx worker/main.ts`; `npm run dev` starts it): connects to MongoDB and Temporal,
// compiles the playbooks and keeps them in service as they are edited, keeps the Temporal Schedules in step
// with them, and runs the workflows and activities until SIGINT or SIGTERM, when it finishes the tasks in
// hand and closes its connections. Everything it needs comes from the environment (contract/config.ts).

import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../contract/config.js';
import { processLogger } from '../contract/processLogger.js';
import { createMailer } from '../domain/delivery/mailer.js';
import { createLinkSigner } from '../domain/links/signedLinks.js';
import { connectDatabase } from '../db/connect.js';
import { createModels, ensureIndexes } from '../db/index.js';
import { createActivities } from '../activities/index.js';
import { buildWorker } from './buildWorker.js';
import { startPlaybookRegistry } from './playbookRegistry.js';
import { createScheduleSync } from './schedules.js';
import { temporalLogger } from './temporalLogger.js';
import { trackMemory } from './memoryReport.js';

const logger = processLogger('tend-worker');

async function main(): Promise<void> {
  const config = loadConfig();
  const { address, namespace, taskQueue } = config.temporal;
  // The worker stops on the signals below, by itself, after the tasks in hand; not on the SDK's own handlers.
  Runtime.install({ logger: temporalLogger(logger), shutdownSignals: [] });

  const database = await connectDatabase(config.mongodbUri);
  const models = createModels(database);
  await ensureIndexes(models);
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace });
  const workerConnection = await NativeConnection.connect({ address });
  const memory = trackMemory();
  const mailer = createMailer(config.smtpUrl);

  const syncSchedules = createScheduleSync({ client, taskQueue, logger });
  const registry = await startPlaybookRegistry({
    dir: config.playbooksDir,
    models,
    logger,
    // Temporal away for a moment must not stop the playbooks from reloading: the next reload syncs again.
    onReload: (plans) =>
      syncSchedules(plans).then(
        () => undefined,
        (error: unknown) => logger.error({ err: error }, 'keeping the schedules in step failed'),
      ),
  });
  registry.watch();

  const worker = await buildWorker({
    connection: workerConnection,
    namespace,
    taskQueue,
    activities: createActivities({
      models,
      mailer,
      links: createLinkSigner({ secret: config.secret, publicUrl: config.publicUrl }),
      logger,
      temporalClient: client,
      taskQueue,
    }),
    ...(config.workerCachedRuns === undefined ? {} : { maxCachedWorkflows: config.workerCachedRuns }),
    ...(config.workerHeapGrowth === undefined ? {} : { heapGrowthPercent: config.workerHeapGrowth }),
    ...(config.workflowBundle === undefined ? {} : { workflowBundle: { codePath: config.workflowBundle } }),
  });
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down: finishing the tasks in hand');
    worker.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // `kill -USR2 <pid>`: where the worker's memory is, for an operator (or the memory bench) asking why it grew.
  process.on('SIGUSR2', () => {
    logger.info({ memory: memory.inMiB() }, 'memory');
    const dir = config.heapSnapshotDir;
    if (dir === undefined) return;
    memory.snapshots(dir).then(
      // Taking a snapshot collects the heap first: the RSS after it says how much was garbage.
      (files) => logger.info({ files, memory: memory.inMiB() }, 'heap snapshots written'),
      (error: unknown) => logger.error({ err: error }, 'writing heap snapshots failed'),
    );
  });

  logger.info(
    { address, namespace, taskQueue, playbooks: registry.plans().map((plan) => plan.id) },
    'worker running',
  );
  try {
    await worker.run();
  } finally {
    registry.close();
    mailer.close();
    await Promise.all([workerConnection.close(), clientConnection.close(), database.close()]);
    logger.info('worker stopped');
  }
}

main().catch((error: unknown) => {
  // A missing setting is one line saying which and how to set it, not a stack trace.
  if (error instanceof ConfigError) logger.fatal(`the worker could not start: ${error.message}`);
  else logger.fatal({ err: error }, 'the worker stopped on an error');
  process.exitCode = 1;
});
