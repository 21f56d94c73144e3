// Run identity against a real Temporal dev server and a real MongoDB-wire server: a trigger delivered twice
// (or twenty times at once) starts one run, `reentry` decides whether a member runs a playbook again, and
// a crash between claiming a run and starting it does not block the member.

import type { Client } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { runWorkflowId } from '../../domain/runs/runIds.js';
import { runClaim, startRun, type StartRunRequest } from '../../activities/runs/startRun.js';
import { startRuns } from '../../activities/runs/startRuns.js';
import type { Plan } from '../../compiler/plan.js';
import { runKey, type Models } from '../../db/index.js';
import { useTestDatabase } from '../support/mongo.js';
import { useStandInWorker } from './support/standInWorker.js';
import { testEvent, testPlan } from './support/plans.js';

const db = useTestDatabase();
const worker = useStandInWorker(db, 'run-identity');
const { taskQueue } = worker;
let models: Models;
let client: Client;
let memberCounter = 0;

beforeAll(() => ({ models, client } = worker));

/** A member id no other test uses. */
const newMember = () => `m${Date.now().toString(36)}${(memberCounter += 1)}`;

function request(plan: Plan, memberId: string, key: string | null = null): StartRunRequest {
  return { plan, memberId, key, trigger: testEvent({ type: 'member.approved', memberId }), taskQueue };
}

/** Ends a run the way a member's exit event does, and waits until Temporal reports it closed. */
async function finishRun(plan: Plan, memberId: string): Promise<void> {
  const handle = client.workflow.getHandle(runWorkflowId(plan.id, memberId, null));
  await handle.signal('routeEvent', testEvent({ type: 'member.left', memberId }));
  await handle.result();
}

const recordsOf = (plan: Plan, memberId: string) =>
  models.runs
    .find({ runKey: runKey(plan.id, memberId, null) })
    .sort({ sequence: 1 })
    .lean()
    .exec();

describe('a trigger delivered more than once', () => {
  const plan = testPlan({ id: 'welcome' });

  it('starts one run when delivered twice', async () => {
    const memberId = newMember();
    const delivery = request(plan, memberId);
    const first = await startRun(client, models, delivery);
    const second = await startRun(client, models, delivery);
    expect(first).toEqual({ status: 'started', workflowId: `run:welcome:${memberId}` });
    expect(second.status).toBe('duplicate');
    expect(second.workflowId).toBe(first.workflowId);
    const records = await recordsOf(plan, memberId);
    expect(records.map((record) => record.status)).toEqual(['running']);
    const description = await client.workflow.getHandle(first.workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  it('starts one run when delivered 20 times at once', async () => {
    const memberId = newMember();
    const delivery = request(plan, memberId);
    const results = await Promise.all(Array.from({ length: 20 }, () => startRun(client, models, delivery)));
    expect(results.filter((result) => result.status === 'started')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'duplicate')).toHaveLength(19);
    expect(await recordsOf(plan, memberId)).toHaveLength(1);
    const description = await client.workflow.getHandle(`run:welcome:${memberId}`).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.memo?.sequence).toBe(0);
  });

  it('starts one run for 20 different triggers of one member arriving at once', async () => {
    const memberId = newMember();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => startRun(client, models, request(plan, memberId))),
    );
    expect(results.filter((result) => result.status === 'started')).toHaveLength(1);
    expect(await recordsOf(plan, memberId)).toHaveLength(1);
  });
});

describe('reentry', () => {
  it('once: a member who had a run never gets another, however long ago it ended', async () => {
    const plan = testPlan({ id: 'once-only', reentry: { kind: 'once' } });
    const memberId = newMember();
    const first = request(plan, memberId);
    expect((await startRun(client, models, first)).status).toBe('started');
    await finishRun(plan, memberId);

    const again = await startRun(client, models, request(plan, memberId));
    expect(again.status).toBe('not-eligible');
    expect(again.reason).toMatch(/reentry is once/);
    expect((await startRun(client, models, first)).status).toBe('duplicate');
    const records = await recordsOf(plan, memberId);
    expect(records.map((record) => record.status)).toEqual(['completed']);
  });

  it('always: a trigger while a run is in flight is a duplicate; after it closed, a new run starts', async () => {
    const plan = testPlan({ id: 'every-time', reentry: { kind: 'always' } });
    const memberId = newMember();
    expect((await startRun(client, models, request(plan, memberId))).status).toBe('started');
    expect((await startRun(client, models, request(plan, memberId))).status).toBe('duplicate');
    await finishRun(plan, memberId);

    const next = await startRun(client, models, request(plan, memberId));
    expect(next.status).toBe('started');
    const records = await recordsOf(plan, memberId);
    expect(records.map((record) => [record.sequence, record.status])).toEqual([
      [0, 'completed'],
      [1, 'running'],
    ]);
    expect((await client.workflow.getHandle(next.workflowId).describe()).status.name).toBe('RUNNING');
  });

  it('after 90d: a new run only once the last one started more than 90 days ago', async () => {
    const ninetyDays = 90 * 24 * 3600 * 1000;
    const plan = testPlan({ id: 'quarterly', reentry: { kind: 'after', ms: ninetyDays } });
    const memberId = newMember();
    expect((await startRun(client, models, request(plan, memberId))).status).toBe('started');
    await finishRun(plan, memberId);
    const tooSoon = await startRun(client, models, request(plan, memberId));
    expect(tooSoon.status).toBe('not-eligible');

    // The first run started 91 days ago, as far as the record knows.
    await models.runs
      .updateOne(
        { runKey: runKey(plan.id, memberId, null) },
        { $set: { startedAt: new Date(Date.now() - ninetyDays - 86_400_000) } },
      )
      .exec();
    expect((await startRun(client, models, request(plan, memberId))).status).toBe('started');
    expect(await recordsOf(plan, memberId)).toHaveLength(2);
  });
});

describe('a crash between claiming a run and starting it', () => {
  it('is recovered by the next delivery: the run starts once and the member is not blocked', async () => {
    const plan = testPlan({ id: 'crashy' });
    const memberId = newMember();
    const delivery = request(plan, memberId);
    // What a process that died right after claiming leaves behind.
    await models.runs.create(runClaim(delivery, 0));

    const redelivered = await startRun(client, models, delivery);
    expect(redelivered.status).toBe('duplicate');
    const description = await client.workflow.getHandle(redelivered.workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.memo?.sequence).toBe(0);
    expect((await recordsOf(plan, memberId)).map((record) => record.status)).toEqual(['running']);
    expect((await startRun(client, models, delivery)).status).toBe('duplicate');
  });

  it('marks the record closed when the run had started and ended before the crash was noticed', async () => {
    const plan = testPlan({ id: 'crashy-ended' });
    const memberId = newMember();
    expect((await startRun(client, models, request(plan, memberId))).status).toBe('started');
    await finishRun(plan, memberId);
    const ended = await client.workflow.getHandle(runWorkflowId(plan.id, memberId, null)).describe();
    // As if the process had died before it could mark the record started.
    await models.runs
      .updateOne({ runKey: runKey(plan.id, memberId, null) }, { $set: { status: 'starting' } })
      .exec();

    const result = await startRun(client, models, request(plan, memberId));
    expect(result.status).toBe('duplicate');
    expect((await recordsOf(plan, memberId)).map((record) => record.status)).toEqual(['completed']);
    const latest = await client.workflow.getHandle(result.workflowId).describe();
    expect(latest.runId).toBe(ended.runId);
    expect(latest.status.name).toBe('COMPLETED');
  });
});

describe('starting a page of runs at once (the fan-out)', () => {
  it('claims first runs together and weighs reentry for members who had one', async () => {
    const plan = testPlan({ id: 'page', reentry: { kind: 'once' } });
    const [fresh, inFlight, done] = [newMember(), newMember(), newMember()];
    expect((await startRun(client, models, request(plan, inFlight))).status).toBe('started');
    expect((await startRun(client, models, request(plan, done))).status).toBe('started');
    await finishRun(plan, done);

    const trigger = testEvent({ type: 'community.meeting' });
    const page = [fresh, inFlight, done].map((memberId) => ({
      plan,
      memberId,
      key: null,
      trigger,
      taskQueue,
    }));
    const results = await startRuns(client, models, page, { concurrency: 4 });
    expect(results.map((result) => result.status)).toEqual(['started', 'duplicate', 'not-eligible']);
    expect((await recordsOf(plan, fresh)).map((record) => record.status)).toEqual(['running']);
    expect(
      (await client.workflow.getHandle(runWorkflowId(plan.id, fresh, null)).describe()).status.name,
    ).toBe('RUNNING');

    const again = await startRuns(client, models, page, { concurrency: 4 });
    expect(again.map((result) => result.status)).toEqual(['duplicate', 'duplicate', 'not-eligible']);
  });
});
