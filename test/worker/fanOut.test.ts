// The audience fan-out against a real Temporal dev server and a real MongoDB-wire server: every member the
// audience selects gets exactly one run, through pages, batches and continue-as-new, and a repeated trigger
// fans out once.

import type { Client } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPageAudience } from '../../activities/audience/pageAudience.js';
import { createRunActivities } from '../../activities/runs/activities.js';
import { startAudienceFanOut } from '../../activities/runs/startAudienceFanOut.js';
import type { Models } from '../../db/index.js';
import type { fanOut } from '../../workflows/fanOut.js';
import { useTestDatabase } from '../support/mongo.js';
import { useStandInWorker } from './support/standInWorker.js';
import { testEvent, testPlan } from './support/plans.js';
import { storePlan } from './support/storePlan.js';

const MEMBERS = 1_000;
const db = useTestDatabase();
const worker = useStandInWorker(db, 'fan-out', {
  workflowsFile: './fanOutWorkflows.ts',
  activities: ({ client, models, taskQueue }) => ({
    ...createRunActivities({ temporalClient: client, models, taskQueue }),
    pageAudience: createPageAudience({ models }),
  }),
});
const { taskQueue } = worker;
let models: Models;
let client: Client;

beforeAll(async () => {
  ({ models, client } = worker);
  const ids = Array.from({ length: MEMBERS + 50 }, (_, i) => `member-${String(i).padStart(5, '0')}`);
  await models.members.insertMany(
    ids.map((_id, i) => ({ _id, email: `${_id}@test.example`, status: i < MEMBERS ? 'active' : 'left' })),
  );
});

describe('audience fan-out', () => {
  it(`starts exactly one run for each of ${MEMBERS} members, continuing as new between pages`, async () => {
    const plan = testPlan({
      id: 'all-hands',
      trigger: { kind: 'event', event: 'community.meeting', key: null },
      audience: { source: 'members', where: { status: 'active' } },
    });
    await storePlan(models, plan);
    // Pages of 30: 1,000 members take 34 pages, more than one history holds before it continues as new.
    const handle = await client.workflow.start<typeof fanOut>('fanOut', {
      taskQueue,
      workflowId: 'fanout:all-hands:meeting-1',
      args: [
        {
          playbook: plan.id,
          version: plan.version,
          audience: plan.audience ?? { source: 'members', where: {} },
          trigger: testEvent({ type: 'community.meeting' }),
          pageSize: 30,
        },
      ],
    });

    expect(await handle.result()).toEqual({ started: MEMBERS, duplicate: 0, 'not-eligible': 0 });
    const firstRun = await client.workflow
      .getHandle(handle.workflowId, handle.firstExecutionRunId)
      .describe();
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
    expect(await models.runs.countDocuments({ playbook: 'all-hands' }).exec()).toBe(MEMBERS);
    const memberIds = await models.runs.distinct('memberId', { playbook: 'all-hands' }).exec();
    expect(memberIds).toHaveLength(MEMBERS);
    expect(memberIds).not.toContain(`member-${String(MEMBERS).padStart(5, '0')}`);
    // Each run is in its member's index, once (db/memberIndex.ts): what the console's member page reads.
    const runIds = (await models.runs.find({ playbook: 'all-hands' }).select({ _id: 1 }).lean().exec()).map(
      (run) => String(run._id),
    );
    const indexed = await Promise.all(
      memberIds.map(
        async (memberId) => (await models.memberIndex.findById(memberId).lean().exec())?.runs ?? [],
      ),
    );
    expect(
      indexed
        .flat()
        .map((entry) => String(entry.id))
        .sort(),
    ).toEqual(runIds.sort());
  }, 600_000);

  it('fans out a repeated trigger once', async () => {
    const plan = testPlan({
      id: 'feedback',
      trigger: { kind: 'event', event: 'event.ended', key: 'eventId' },
      audience: { source: 'rsvps', where: { attended: true } },
    });
    await storePlan(models, plan);
    await models.rsvps.insertMany(
      ['member-00001', 'member-00002', 'member-00003'].map((memberId, i) => ({
        eventId: 'talk-9',
        memberId,
        status: 'going',
        attended: i < 2,
      })),
    );
    const ended = testEvent({ type: 'event.ended', eventId: 'talk-9' });

    const first = await startAudienceFanOut(client, plan, ended, taskQueue);
    const again = await startAudienceFanOut(client, plan, { ...ended, id: 'redelivered' }, taskQueue);
    expect(first).toEqual({ status: 'started', workflowId: 'fanout:feedback:talk-9' });
    expect(again).toEqual({ status: 'duplicate', workflowId: 'fanout:feedback:talk-9' });
    expect(await client.workflow.getHandle<typeof fanOut>(first.workflowId).result()).toEqual({
      started: 2,
      duplicate: 0,
      'not-eligible': 0,
    });
    const runs = await models.runs.find({ playbook: 'feedback' }).sort({ memberId: 1 }).lean().exec();
    expect(runs.map((run) => run.workflowId)).toEqual([
      'run:feedback:member-00001:talk-9',
      'run:feedback:member-00002:talk-9',
    ]);
  });
});
