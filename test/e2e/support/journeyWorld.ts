// The world a playbook end-to-end test runs in: the shipped playbooks compiled and stored as the worker's
// registry stores them, a worker with Tend's real activities (FerretDB records, the delivery ledger, nodemailer talking
// SMTP to the dev mailbox), the workflow bundle, and the time-skipping Temporal server. Events go through
// the same ingestion the API uses (apply to MongoDB, start runs, route to runs in flight).
//
// Time: the test server's clock moves only while a test sleeps (`sleepUntil`) or awaits a workflow's result;
// activities run in real time meanwhile. Activities read the journey's clock (the test server's, asked as
// each attempt begins, and still for the attempt), so quiet hours, the frequency cap and the ledger's times
// are all in the journey's time. (An activity task's scheduled time would do for most, but a run's local
// activities, its records and the first attempt of each send, carry the worker's own clock.)
import { createHash, randomBytes } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, vi } from 'vitest';
import { createCurrentPlans } from '../../../domain/plans/planStore.js';
import { createEventIngestion } from '../../../activities/events/ingestEvents.js';
import type { EventOutcome } from '../../../contract/events.js';
import { createMailer, type Mailer } from '../../../domain/delivery/mailer.js';
import { createLinkSigner } from '../../../domain/links/signedLinks.js';
import { FAN_OUT_WORKFLOW } from '../../../contract/workflows.js';
import { fanOutWorkflowId } from '../../../domain/runs/runIds.js';
import { startMailbox, type Mailbox } from '../../../cli/dev/mailbox.js';
import type { TendEvent } from '../../../compiler/events.js';
import { compilePlaybooks, readPlaybooksDir } from '../../../compiler/index.js';
import type { Plan } from '../../../compiler/plan.js';
import { createModels, ensureIndexes, type Models } from '../../../db/index.js';
import { createActivities } from '../../../activities/index.js';
import { buildWorker, bundleTendWorkflows } from '../../../worker/buildWorker.js';
import type { RunState } from '../../../contract/runtime.js';
import { statusQuery, type RunOutcome } from '../../../contract/workflows.js';
import type { fanOut } from '../../../workflows/fanOut.js';
import type { playbookRun } from '../../../workflows/playbookRun.js';
import { RECORD_HISTORIES, writeHistory } from '../../replay/historyFiles.js';
import { useTestDatabase } from '../../support/mongo.js';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal.js';
import { storePlan } from '../../worker/support/storePlan.js';

/** One email as the SMTP server received it, with the journey time the delivery ledger recorded for it. */
export interface ReceivedEmail {
  to: string[];
  subject: string;
  template: string;
  /** ms epoch, journey (workflow) time. */
  at: number;
}

export interface JourneyWorld {
  readonly env: TestWorkflowEnvironment;
  readonly models: Models;
  readonly mailbox: Mailbox;
  plan(id: string): Plan;
  /** Accepts an event as the API does; `occurredAt` defaults to the journey's present. */
  ingest(event: TendEvent): Promise<EventOutcome>;
  /**
   * Starts the fan-out of a schedule-triggered playbook's firing now, as its Temporal Schedule does (over the
   * audience, or a community playbook's one run); answers the fan-out's workflow id. `firedAt` (ISO 8601)
   * names a firing already fired, to start its fan-out again.
   */
  fireSchedule(playbook: string, firedAt?: string): Promise<string>;
  /** The journey's present (ms epoch). */
  now(): Promise<number>;
  /** Lets journey time pass until `at` (ms epoch); timers fire and runs act on the way. */
  sleepUntil(at: number): Promise<void>;
  status(workflowId: string): Promise<RunState>;
  /** How a run ended; awaiting it lets journey time pass until it does. */
  outcome(workflowId: string): Promise<RunOutcome>;
  /** Cancels a run (as `POST /v1/runs/:id/cancel` does) and answers how it ended. */
  cancel(workflowId: string): Promise<RunOutcome>;
  /** Every email received so far for this address (To), oldest first. */
  emailsTo(address: string): Promise<ReceivedEmail[]>;
  /**
   * Under `npm run histories`: saves the run's history as a committed history (`name`: the playbook id, or
   * `<playbook>.<variant>`), which the replay test replays against the workflow code. Otherwise nothing.
   */
  recordHistory(name: string, workflowId: string): Promise<void>;
}

export interface JourneyWorldOptions {
  /** Playbook files (by name, like `morning.yaml`) added to the shipped folder, with the shipped templates. */
  playbooks?: Record<string, string>;
  /** The text of a community.yaml that stands in for the shipped one. */
  community?: string;
}

/** Registers the hooks that build the world before a file's tests and take it down after them. */
export function useJourneyWorld(options: JourneyWorldOptions = {}): JourneyWorld {
  const database = useTestDatabase();
  let env: TestWorkflowEnvironment | undefined;
  let models: Models | undefined;
  let mailbox: Mailbox | undefined;
  let mailer: Mailer | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let plans = new Map<string, Plan>();
  const taskQueue = uniqueTaskQueue('journey');

  beforeAll(async () => {
    [env, mailbox] = await Promise.all([createTimeSkippingEnv(), startMailbox({ port: 0 })]);
    models = createModels(database.connection);
    await ensureIndexes(models);
    plans = await shippedPlans(options);
    for (const plan of plans.values()) await storePlan(models, plan);
    mailer = createMailer(`smtp://${mailbox.host}:${mailbox.port}`);
    const activities = createActivities({
      models,
      mailer,
      links: createLinkSigner({
        secret: randomBytes(24).toString('hex'),
        publicUrl: 'http://localhost:3000',
      }),
      clock: journeyClock,
      temporalClient: env.client,
      taskQueue,
    });
    worker = await buildWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: inJourneyTime(activities, env),
      workflowBundle: await bundleTendWorkflows(),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    mailer?.close();
    await mailbox?.close();
  });

  const ready = () => {
    if (!env || !models || !mailbox) throw new Error('the journey world exists inside tests only');
    return { env, models, mailbox };
  };
  const ingestion = () =>
    createEventIngestion({
      client: ready().env.client,
      models: ready().models,
      taskQueue,
      plans: createCurrentPlans(ready().models),
    });
  const now = () => ready().env.currentTimeMs();

  return {
    get env() {
      return ready().env;
    },
    get models() {
      return ready().models;
    },
    get mailbox() {
      return ready().mailbox;
    },
    plan(id) {
      const plan = plans.get(id);
      if (!plan) throw new Error(`no shipped playbook ${id}`);
      return plan;
    },
    async ingest(event) {
      const id = event.id ?? `e2e-${randomBytes(6).toString('hex')}`;
      const receivedAt = new Date(await now()).toISOString();
      const hash = createHash('sha256').update(JSON.stringify(event)).digest('hex');
      const [outcome] = await ingestion().ingest(`e2e:${id}`, [
        { event: { ...event, id }, hash, receivedAt },
      ]);
      if (!outcome) throw new Error(`ingesting ${event.type} answered nothing`);
      return outcome;
    },
    async fireSchedule(playbook, firedAt) {
      const { audience, version } = this.plan(playbook);
      const firing = firedAt ?? new Date(await now()).toISOString();
      const workflowId = `${fanOutWorkflowId(playbook, null)}-${firing}`;
      await ready().env.client.workflow.start<typeof fanOut>(FAN_OUT_WORKFLOW, {
        workflowId,
        taskQueue,
        args: [{ playbook, version, audience, trigger: null }],
      });
      return workflowId;
    },
    now,
    async sleepUntil(at) {
      const present = await now();
      if (at > present) await ready().env.sleep(at - present);
    },
    status(workflowId) {
      return ready().env.client.workflow.getHandle(workflowId).query(statusQuery);
    },
    outcome(workflowId) {
      return ready().env.client.workflow.getHandle<typeof playbookRun>(workflowId).result();
    },
    async cancel(workflowId) {
      await atRest(ready().env, workflowId);
      await ready().env.client.workflow.getHandle(workflowId).cancel();
      return this.outcome(workflowId);
    },
    async emailsTo(address) {
      const received = ready()
        .mailbox.messages()
        .filter((message) => message.envelope.to.includes(address));
      // The ledger records `sent` a moment after the SMTP server has taken the message.
      return Promise.all(
        received.map((message) =>
          vi.waitFor(async () => {
            const row = await ready()
              .models.deliveries.findOne({ messageId: message.messageId })
              .lean()
              .exec();
            if (!row?.sentAt) throw new Error(`no sent delivery in the ledger for ${message.messageId}`);
            const email: ReceivedEmail = {
              to: message.envelope.to,
              subject: message.subject,
              template: row.template,
              at: row.sentAt.getTime(),
            };
            return email;
          }),
        ),
      );
    },
    async recordHistory(name, workflowId) {
      if (process.env[RECORD_HISTORIES] !== '1') return;
      await writeHistory(name, await ready().env.client.workflow.getHandle(workflowId).fetchHistory());
    },
  };
}

/**
 * Waits until no activity of the run is in flight. The time-skipping server cannot cancel a run in the
 * workflow task in which one of its activities completes: it refuses the activity's cancellation
 * (ACTIVITY_UNKNOWN) and the run never takes another task (temporalio/sdk-typescript#1058). The dev server
 * and a production server do not have this fault; a run there is cancelled wherever it stands.
 */
async function atRest(env: TestWorkflowEnvironment, workflowId: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
      const scheduled = events.filter((event) => event.activityTaskScheduledEventAttributes).length;
      const ended = events.filter(
        (event) =>
          event.activityTaskCompletedEventAttributes ??
          event.activityTaskFailedEventAttributes ??
          event.activityTaskTimedOutEventAttributes ??
          event.activityTaskCanceledEventAttributes,
      ).length;
      const last = events.at(-1);
      // Absent attributes decode as null: a run at rest ends its history with a completed task or a timer.
      const idle = Boolean(last?.workflowTaskCompletedEventAttributes ?? last?.timerStartedEventAttributes);
      if (scheduled !== ended || !idle) throw new Error(`run ${workflowId} has work in flight`);
    },
    { timeout: 30_000, interval: 50 },
  );
}

/** Every playbook in playbooks/ and the ones a test adds, compiled; they all must compile. */
async function shippedPlans(options: JourneyWorldOptions): Promise<Map<string, Plan>> {
  const shipped = await readPlaybooksDir('playbooks');
  const extra = Object.entries(options.playbooks ?? {}).map(([name, text]) => ({
    path: `playbooks/${name}`,
    text,
  }));
  const community =
    options.community === undefined
      ? shipped.community
      : { path: 'playbooks/community.yaml', text: options.community };
  const compiled = compilePlaybooks({
    ...shipped,
    community,
    playbooks: [...shipped.playbooks, ...extra],
  });
  const plans = compiled.playbooks.flatMap((playbook) => (playbook.plan === null ? [] : [playbook.plan]));
  if (!compiled.ok || plans.length !== compiled.playbooks.length)
    throw new Error('the shipped playbooks do not compile: run `npm run tend validate`');
  return new Map(plans.map((plan) => [plan.id, plan]));
}

/** The journey's time when the running activity's attempt began: one time for the whole attempt. */
const attemptTime = new AsyncLocalStorage<number>();

function journeyClock(): number {
  const journeyAt = attemptTime.getStore();
  if (journeyAt === undefined) throw new Error('the journey clock is read inside an activity only');
  return journeyAt;
}

/** The activities, each reading the test server's clock as its attempt begins (for journeyClock). */
function inJourneyTime<T extends object>(activities: T, env: TestWorkflowEnvironment): T {
  const timed = Object.entries(activities).map(([name, activity]) => {
    if (typeof activity !== 'function') return [name, activity] as const;
    const work = activity as (...args: unknown[]) => unknown;
    const run = async (...args: unknown[]): Promise<unknown> => {
      return attemptTime.run(await env.currentTimeMs(), () => work(...args));
    };
    return [name, run] as const;
  });
  return Object.fromEntries(timed) as T;
}
