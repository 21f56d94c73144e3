// The real stack an API test talks to: this file's MongoDB database, the shared Temporal dev server, and a
// worker on a task queue of its own running event ingestion and audience fan-outs, with stand-in runs (they
// keep the events routed to them), or with the real runs, the real activities and a real SMTP mailbox.

import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { createEventActivities } from '../../../activities/events/activities.js';
import { createCurrentPlans } from '../../../domain/plans/planStore.js';
import { createPageAudience } from '../../../activities/audience/pageAudience.js';
import { createRunActivities } from '../../../activities/runs/activities.js';
import { compilePlaybooks, readPlaybooksDir } from '../../../compiler/index.js';
import type { Plan } from '../../../compiler/plan.js';
import { createModels, ensureIndexes, type Models } from '../../../db/index.js';
import { createMailer } from '../../../domain/delivery/mailer.js';
import { createLinkSigner } from '../../../domain/links/signedLinks.js';
import { startMailbox, type Mailbox } from '../../../cli/dev/mailbox.js';
import { buildWorker } from '../../../worker/buildWorker.js';
import { createActivities } from '../../../activities/index.js';
import { storePlan } from '../../worker/support/storePlan.js';
import { testConfig } from './app.js';
import { useTestDatabase } from '../../support/mongo.js';
import { connectClient, connectWorkerConnection, uniqueTaskQueue } from '../../support/temporal.js';

export interface Stack {
  readonly models: Models;
  readonly client: Client;
  readonly taskQueue: string;
  /** The SMTP server the real runs send to (real runs only). */
  readonly mailbox: Mailbox;
}

const STAND_IN_WORKFLOWS = fileURLToPath(new URL('./workflows.ts', import.meta.url));

/** Registers hooks that bring the stack up before this file's tests and down after them. */
export function useStack(options: { realRuns?: boolean } = {}): Stack {
  const db = useTestDatabase();
  const taskQueue = uniqueTaskQueue('api');
  let models: Models | undefined;
  let client: Client | undefined;
  let mailbox: Mailbox | undefined;
  let workerConnection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;

  beforeAll(async () => {
    models = createModels(db.connection);
    await ensureIndexes(models);
    [client, workerConnection] = await Promise.all([connectClient(), connectWorkerConnection()]);
    if (options.realRuns) {
      mailbox = await startMailbox({ port: 0 });
      const config = testConfig(taskQueue);
      worker = await buildWorker({
        connection: workerConnection,
        namespace: 'default',
        taskQueue,
        activities: createActivities({
          models,
          mailer: createMailer(`smtp://${mailbox.host}:${mailbox.port}`),
          links: createLinkSigner({ secret: config.secret, publicUrl: config.publicUrl }),
          temporalClient: client,
          taskQueue,
        }),
      });
    } else {
      worker = await Worker.create({
        connection: workerConnection,
        taskQueue,
        workflowsPath: STAND_IN_WORKFLOWS,
        activities: {
          ...createEventActivities({ client, models, taskQueue, plans: createCurrentPlans(models) }),
          ...createRunActivities({ models, temporalClient: client, taskQueue }),
          pageAudience: createPageAudience({ models }),
        },
      });
    }
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await Promise.all([client?.connection.close(), workerConnection?.close(), mailbox?.close()]);
  });

  return {
    get models() {
      if (!models) throw new Error('useStack(): available inside tests and hooks only');
      return models;
    },
    get client() {
      if (!client) throw new Error('useStack(): available inside tests and hooks only');
      return client;
    },
    taskQueue,
    get mailbox() {
      if (!mailbox) throw new Error('useStack(): the mailbox exists with realRuns, inside tests and hooks');
      return mailbox;
    },
  };
}

/** The five shipped playbooks, compiled; quiet hours and the cap off, so that no send waits for the clock. */
export async function shippedPlans(): Promise<Plan[]> {
  const { plans } = compilePlaybooks(await readPlaybooksDir('playbooks'));
  return plans.map((plan) => ({ ...plan, delivery: { quietHours: null, frequencyCap: null } }));
}

/** Puts plans in service as the worker's playbook registry does. */
export async function putPlansInService(models: Models, plans: Plan[]): Promise<void> {
  for (const plan of plans) await storePlan(models, plan);
}
