// What every engine benchmark needs: the servers `npm run bench` started (TEMPORAL_ADDRESS, MONGODB_URI), a
// fresh database, a Temporal client, the dev mailbox as the SMTP server, and Tend's worker built the way
// worker/main.ts builds it. Benchmarks measure; they never assert.

import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  type Worker,
  type WorkflowBundle,
} from '@temporalio/worker';
import mongoose, { type Connection as MongoConnection } from 'mongoose';
import { pino } from 'pino';
import { createMailer } from '../../../domain/delivery/mailer.js';
import { createLinkSigner } from '../../../domain/links/signedLinks.js';
import { startMailbox, type Mailbox } from '../../../cli/dev/mailbox.js';
import { createModels, ensureIndexes, type Models } from '../../../db/index.js';
import type { RoutedEvent } from '../../../compiler/events.js';
import type { Plan } from '../../../compiler/plan.js';
import type { RunInput } from '../../../contract/runtime.js';
import { PLAYBOOK_RUN } from '../../../contract/workflows.js';
import { databaseUri } from '../../../test/support/mongo.js';
import { testEvent } from '../../../test/worker/support/plans.js';
import { createActivities } from '../../../activities/index.js';
import { startRun as startMemberRun } from '../../../activities/runs/startRun.js';
import { buildWorker, bundleTendWorkflows } from '../../../worker/buildWorker.js';

export interface Bench {
  name: string;
  /** The benchmark's MongoDB connection (its client emits command events when `monitorCommands` is set). */
  database: MongoConnection;
  models: Models;
  client: Client;
  workerConnection: NativeConnection;
  mailbox: Mailbox;
  /** MongoDB URI of the benchmark's database, for processes it starts. */
  mongoUri: string;
  smtpUrl: string;
  /** Tend's worker on `taskQueue`; runs and fan-outs it starts go to `runsTaskQueue` (default: the same). */
  startTendWorker(options: { taskQueue: string; runsTaskQueue?: string }): Promise<RunningWorker>;
  close(): Promise<void>;
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export const BENCH_SECRET = 'bench-secret-0123456789abcdef';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the benchmarks with \`npm run bench\``);
  return value;
}

export async function openBench(name: string, options: { monitorCommands?: boolean } = {}): Promise<Bench> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const mongoUri = databaseUri(required('MONGODB_URI'), `bench_${name}_${randomBytes(3).toString('hex')}`);
  const database: MongoConnection = await mongoose
    .createConnection(mongoUri, { autoIndex: false, monitorCommands: options.monitorCommands ?? false })
    .asPromise();
  const models = createModels(database);
  await ensureIndexes(models);
  const address = required('TEMPORAL_ADDRESS');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const workerConnection = await NativeConnection.connect({ address });
  const mailbox = await startMailbox({ port: 0 });
  const smtpUrl = `smtp://127.0.0.1:${mailbox.port}`;
  const mailer = createMailer(smtpUrl);
  let bundle: WorkflowBundle | null = null;
  const cachedRuns = process.env.TEND_WORKER_CACHED_RUNS
    ? Number(process.env.TEND_WORKER_CACHED_RUNS)
    : undefined;
  const heapGrowth = process.env.TEND_WORKER_HEAP_GROWTH
    ? Number(process.env.TEND_WORKER_HEAP_GROWTH)
    : undefined;

  return {
    name,
    database,
    models,
    client,
    workerConnection,
    mailbox,
    mongoUri,
    smtpUrl,
    async startTendWorker({ taskQueue, runsTaskQueue }) {
      bundle ??= await bundleTendWorkflows();
      const worker = await buildWorker({
        connection: workerConnection,
        namespace: 'default',
        taskQueue,
        workflowBundle: bundle,
        // The worker's cache as production sets it (TEND_WORKER_CACHED_RUNS), so a bench can compare sizes.
        ...(cachedRuns === undefined ? {} : { maxCachedWorkflows: cachedRuns }),
        // And its heaps' growth (TEND_WORKER_HEAP_GROWTH), so a bench can compare what it costs.
        ...(heapGrowth === undefined ? {} : { heapGrowthPercent: heapGrowth }),
        activities: createActivities({
          models,
          mailer,
          links: createLinkSigner({ secret: BENCH_SECRET, publicUrl: 'http://localhost:3000' }),
          logger: pino({ level: 'silent' }),
          temporalClient: client,
          taskQueue: runsTaskQueue ?? taskQueue,
        }),
      });
      const running = worker.run();
      return {
        worker,
        stop: async () => {
          worker.shutdown();
          await running;
        },
      };
    },
    async close() {
      mailer.close();
      await mailbox.close();
      await database.dropDatabase();
      await Promise.all([database.close(), connection.close(), workerConnection.close()]);
    },
  };
}

/** `count` member records `<prefix>-00000`..., active, with addresses at members.example. */
export async function insertMembers(models: Models, prefix: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);
  for (let i = 0; i < ids.length; i += 1_000) {
    await models.members.insertMany(
      ids
        .slice(i, i + 1_000)
        .map((_id) => ({ _id, email: `${_id}@members.example`, name: _id, status: 'active' })),
    );
  }
  return ids;
}

/** Polls until `check` holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
}

/** The q-quantile (0..1) of `values`, by nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

export const perSecond = (count: number, ms: number): number => (count * 1000) / ms;

export interface RunToStart {
  plan: Plan;
  memberId: string;
  taskQueue: string;
  /** The event that starts it: member.approved by default. */
  trigger?: RoutedEvent;
  key?: string | null;
  /**
   * For a baseline: the workflow started bare under this id, with no run record. Without it the run starts
   * as the event ingestion starts it (activities/runs/startRun.ts): its record claimed, then its workflow.
   */
  workflowId?: string;
}

/** Starts one run of a plan for a member, and returns once Temporal has it. */
export async function startRun(bench: Bench, run: RunToStart): Promise<void> {
  const { plan, memberId, taskQueue, key = null } = run;
  const trigger = run.trigger ?? testEvent({ type: 'member.approved', memberId });
  if (run.workflowId === undefined) {
    const started = await startMemberRun(bench.client, bench.models, {
      plan,
      memberId,
      key,
      trigger,
      taskQueue,
    });
    if (started.status !== 'started')
      throw new Error(`${memberId}: run not started (${started.reason ?? started.status})`);
    return;
  }
  const input: RunInput = { plan, memberId, key, trigger };
  await bench.client.workflow.start(PLAYBOOK_RUN, { workflowId: run.workflowId, taskQueue, args: [input] });
}
