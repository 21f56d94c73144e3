// Temporal Schedules kept in step with the playbooks, against a real Temporal dev server: created for an
// enabled schedule-triggered playbook, updated when its version or cron changes, deleted when it is disabled
// or removed; a firing fans out over the audience, and a community playbook's firing starts its one run.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageAudience } from '../../activities/audience/pageAudience.js';
import { createRunActivities } from '../../activities/runs/activities.js';
import type { Plan } from '../../compiler/plan.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { startPlaybookRegistry } from '../../worker/playbookRegistry.js';
import { createScheduleSync, type ScheduleSync } from '../../worker/schedules.js';
import { useTestDatabase } from '../support/mongo.js';
import { connectClient, connectWorkerConnection, uniqueTaskQueue } from '../support/temporal.js';
import { testPlan } from './support/plans.js';
import { storePlan } from './support/storePlan.js';

const db = useTestDatabase();
const taskQueue = uniqueTaskQueue('schedules');
let models: Models;
let client: Client;
let sync: ScheduleSync;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  client = await connectClient();
  sync = createScheduleSync({ client, taskQueue, logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await sync([]);
  await client.connection.close();
});

/** Playbook ids unique to this run: schedules live in the namespace every test file shares. */
const suffix = taskQueue.split('-').pop() ?? '';
const quietMembers = (overrides: Partial<Plan> = {}): Plan =>
  testPlan({
    id: `re-engagement-${suffix}`,
    trigger: { kind: 'schedule', cron: '0 10 * * *', timezone: 'Europe/London' },
    audience: { source: 'members', where: { status: 'active' } },
    reentry: { kind: 'after', ms: 90 * 86_400_000 },
    ...overrides,
  });

const describeSchedule = (plan: Plan) => client.schedule.getHandle(`schedule:${plan.id}`).describe();

describe('schedules follow the playbooks', () => {
  it('creates, updates and deletes the schedule of a schedule-triggered playbook', async () => {
    const onboarding = testPlan({ id: `onboarding-${suffix}` });
    const v1 = quietMembers({ version: 'v1' });

    expect(await sync([v1, onboarding])).toEqual({ upserted: [`schedule:${v1.id}`], deleted: [] });
    const created = await describeSchedule(v1);
    expect(created.spec.timezone).toBe('Europe/London');
    expect(created.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 10, end: 10, step: 1 }] });
    expect(created.action.type).toBe('startWorkflow');
    expect(created.action.type === 'startWorkflow' && created.action.args).toEqual([
      { playbook: v1.id, version: 'v1', audience: v1.audience, trigger: null },
    ]);
    expect(created.policies.overlap).toBe('SKIP');
    await expect(client.schedule.getHandle(`schedule:${onboarding.id}`).describe()).rejects.toThrow(
      ScheduleNotFoundError,
    );

    const v2 = quietMembers({
      version: 'v2',
      trigger: { kind: 'schedule', cron: '30 9 * * 1', timezone: 'America/New_York' },
    });
    await sync([v2, onboarding]);
    const updated = await describeSchedule(v2);
    expect(updated.spec.timezone).toBe('America/New_York');
    expect(updated.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 9, end: 9, step: 1 }] });
    expect(updated.action.type === 'startWorkflow' && updated.action.args?.[0]).toMatchObject({
      version: 'v2',
    });

    expect(await sync([quietMembers({ version: 'v3', enabled: false }), onboarding])).toEqual({
      upserted: [],
      deleted: [`schedule:${v1.id}`],
    });
    await expect(describeSchedule(v1)).rejects.toThrow(ScheduleNotFoundError);

    await sync([v2]);
    expect((await describeSchedule(v2)).spec.timezone).toBe('America/New_York');
    expect((await sync([])).deleted).toEqual([`schedule:${v2.id}`]);
    await expect(describeSchedule(v2)).rejects.toThrow(ScheduleNotFoundError);
  });

  it('a firing fans out over the audience, once per member', async () => {
    await withFanOutWorker(async () => {
      const plan = quietMembers({ id: `nudge-${suffix}`, version: 'n1' });
      await storePlan(models, plan);
      await models.members.insertMany([
        { _id: 'quiet-1', email: 'quiet-1@test.example', status: 'active' },
        { _id: 'quiet-2', email: 'quiet-2@test.example', status: 'active' },
        { _id: 'gone-1', email: 'gone-1@test.example', status: 'left' },
      ]);
      await sync([plan]);
      await client.schedule.getHandle(`schedule:${plan.id}`).trigger();

      const runs = await waitFor(async () => {
        const found = await models.runs.find({ playbook: plan.id }).sort({ memberId: 1 }).lean().exec();
        return found.length === 2 && found.every((run) => run.status === 'running') ? found : null;
      });
      expect(runs.map((run) => run.workflowId)).toEqual([`run:${plan.id}:quiet-1`, `run:${plan.id}:quiet-2`]);
      const [firing] = runs.map((run) => run.triggerId);
      expect(firing).toMatch(new RegExp(`^fanout:${plan.id}-`));
      expect(runs.every((run) => run.triggerId === firing)).toBe(true);
    });
  });

  it("a community playbook's firing starts one run about no member, named by the firing", async () => {
    await withFanOutWorker(async () => {
      const plan = testPlan({
        id: `weekly-${suffix}`,
        version: 'w1',
        trigger: { kind: 'schedule', cron: '0 9 * * 1', timezone: 'Europe/London' },
        audience: null,
      });
      await storePlan(models, plan);
      expect(await sync([plan])).toMatchObject({ upserted: [`schedule:${plan.id}`] });
      const schedule = await describeSchedule(plan);
      expect(schedule.action.type === 'startWorkflow' && schedule.action.args).toEqual([
        { playbook: plan.id, version: 'w1', audience: null, trigger: null },
      ]);
      await client.schedule.getHandle(`schedule:${plan.id}`).trigger();

      const [run] = await waitFor(async () => {
        const found = await models.runs.find({ playbook: plan.id }).lean().exec();
        return found.length === 1 && found[0]?.status === 'running' ? found : null;
      });
      // Temporal names the firing's fan-out `fanout:<playbook>-<time>`; the run takes the time.
      const firedAt = run?.triggerId.slice(`fanout:${plan.id}-`.length);
      expect(run).toMatchObject({
        memberId: null,
        key: firedAt,
        runKey: `${plan.id}@${firedAt}`,
        workflowId: `run:${plan.id}@${firedAt}`,
      });
      expect(Date.parse(firedAt ?? '')).not.toBeNaN();
    });
  });
});

/** Runs `body` while a worker with the real fan-out and stand-in runs polls the test's task queue. */
async function withFanOutWorker(body: () => Promise<void>): Promise<void> {
  const workerConnection: NativeConnection = await connectWorkerConnection();
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./support/fanOutWorkflows.ts', import.meta.url)),
    activities: {
      ...createRunActivities({ temporalClient: client, models, taskQueue }),
      pageAudience: createPageAudience({ models }),
    },
  });
  try {
    await worker.runUntil(body);
  } finally {
    await workerConnection.close();
  }
}

/** Polls `check` until it returns a value (schedules fire asynchronously). */
async function waitFor<T>(check: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('schedules follow the registry', () => {
  it('creates the schedule of a compiled playbook, updates it after an edit and deletes it when disabled', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tend-schedules-'));
    const id = `digest-${suffix}`;
    const playbook = (cron: string, enabled: boolean) => `name: Digest
enabled: ${enabled}
trigger: { schedule: "${cron}", timezone: Europe/Paris }
audience: { members: { status: active } }
steps:
  - wait: 1d
`;
    await writeFile(
      path.join(dir, 'community.yaml'),
      'name: Club\ntimezone: Europe/London\nfrom: "Club <hi@club.example>"\nmanagers: [o@club.example]\npostal_address: "1 Lane"\n',
    );
    await writeFile(path.join(dir, `${id}.yaml`), playbook('0 8 * * 1', true));
    const registry = await startPlaybookRegistry({
      dir,
      models,
      logger: pino({ level: 'silent' }),
      onReload: async (plans) => void (await sync(plans)),
    });
    try {
      const handle = client.schedule.getHandle(`schedule:${id}`);
      const created = await handle.describe();
      expect(created.spec.timezone).toBe('Europe/Paris');
      expect(created.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 8, end: 8, step: 1 }] });
      expect(created.action.type === 'startWorkflow' && created.action.args?.[0]).toMatchObject({
        playbook: id,
        version: registry.plans()[0]?.version,
      });

      await writeFile(path.join(dir, `${id}.yaml`), playbook('0 18 * * 5', true));
      await registry.reload();
      const updated = await handle.describe();
      expect(updated.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 18, end: 18, step: 1 }] });
      expect(updated.action.type === 'startWorkflow' && updated.action.args?.[0]).toMatchObject({
        version: registry.plans()[0]?.version,
      });

      await writeFile(path.join(dir, `${id}.yaml`), playbook('0 18 * * 5', false));
      await registry.reload();
      await expect(handle.describe()).rejects.toThrow(ScheduleNotFoundError);
    } finally {
      registry.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
