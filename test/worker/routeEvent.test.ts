// Routing events to runs in flight, against a real Temporal dev server and a real MongoDB-wire server.

import type { Client } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeEvent } from '../../activities/runs/routeEvent.js';
import { startRun } from '../../activities/runs/startRun.js';
import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan } from '../../compiler/plan.js';
import { journalEntryId, type Models } from '../../db/index.js';
import { useTestDatabase } from '../support/mongo.js';
import { useStandInWorker } from './support/standInWorker.js';
import { testEvent, testPlan } from './support/plans.js';
import { receivedQuery } from './support/standInRun.js';

const db = useTestDatabase();
const worker = useStandInWorker(db, 'route-event');
const { taskQueue } = worker;
let models: Models;
let client: Client;

beforeAll(() => ({ models, client } = worker));

/** Event reminders: one run per member and event, following the event's start time. */
const reminders = testPlan({
  id: 'reminders',
  trigger: { kind: 'event', event: 'rsvp.created', key: 'eventId' },
  exit: { events: ['rsvp.cancelled'], conditions: [] },
  steps: [
    {
      kind: 'at',
      id: 'day-before',
      authoredId: true,
      time: 'event.startsAt',
      offsetMs: -86_400_000,
      ifPast: 'skip',
      do: [],
    },
  ],
});
/** Onboarding: one run per member, waiting for the member to become active. */
const onboarding = testPlan({
  id: 'onboarding',
  steps: [
    {
      kind: 'wait_for',
      id: 'first-week',
      authoredId: true,
      events: ['member.active'],
      timeoutMs: null,
      onEvent: [],
      onTimeout: [],
    },
  ],
});
/** An invitation that waits for a click on itself. */
const invitation = testPlan({
  id: 'invitation',
  steps: [
    {
      kind: 'wait_for',
      id: 'clicked',
      authoredId: true,
      events: ['email.clicked'],
      timeoutMs: null,
      onEvent: [],
      onTimeout: [],
    },
  ],
});
const plans: Plan[] = [reminders, onboarding, invitation];

async function rsvp(memberId: string, eventId: string): Promise<string> {
  const trigger = testEvent({ type: 'rsvp.created', memberId, eventId });
  const result = await startRun(client, models, {
    plan: reminders,
    memberId,
    key: eventId,
    trigger,
    taskQueue,
  });
  expect(result.status).toBe('started');
  return result.workflowId;
}

const receivedBy = (workflowId: string) => client.workflow.getHandle(workflowId).query(receivedQuery);
const route = (event: RoutedEvent) => routeEvent(client, models, plans, event);

describe('routeEvent', () => {
  it('reaches every run keyed on an event that names only the eventId, and no other', async () => {
    const [ada, bo, other] = await Promise.all([
      rsvp('ada', 'talk-1'),
      rsvp('bo', 'talk-1'),
      rsvp('ada', 'talk-2'),
    ]);
    const moved = testEvent({ type: 'event.updated', eventId: 'talk-1', data: { changed: ['startsAt'] } });

    expect((await route(moved)).sort()).toEqual([ada, bo].sort());
    expect(await receivedBy(ada)).toEqual([moved.id]);
    expect(await receivedBy(bo)).toEqual([moved.id]);
    expect(await receivedBy(other)).toEqual([]);
  });

  it('reaches a keyed run started a moment before', async () => {
    const workflowId = await rsvp('cy', 'talk-3');
    const moved = testEvent({ type: 'event.updated', eventId: 'talk-3' });
    expect(await route(moved)).toEqual([workflowId]);
    expect(await receivedBy(workflowId)).toEqual([moved.id]);
  });

  it("reaches a member's run by its id, keyed or not, and only for event types its plan reacts to", async () => {
    const keyed = await rsvp('dee', 'talk-4');
    const welcome = await startRun(client, models, {
      plan: onboarding,
      memberId: 'dee',
      key: null,
      trigger: testEvent({ type: 'member.approved', memberId: 'dee' }),
      taskQueue,
    });

    const active = testEvent({ type: 'member.active', memberId: 'dee' });
    expect(await route(active)).toEqual([welcome.workflowId]);
    expect(await route(testEvent({ type: 'survey.responded', memberId: 'dee', eventId: 'talk-4' }))).toEqual(
      [],
    );
    const cancelled = testEvent({ type: 'rsvp.cancelled', memberId: 'dee', eventId: 'talk-4' });
    expect(await route(cancelled)).toEqual([keyed]);
    expect(await receivedBy(welcome.workflowId)).toEqual([active.id]);
  });

  it('ignores a run that has closed and marks its record closed', async () => {
    const workflowId = await rsvp('eve', 'talk-5');
    await route(testEvent({ type: 'rsvp.cancelled', memberId: 'eve', eventId: 'talk-5' }));
    await client.workflow.getHandle(workflowId).result();

    expect(await route(testEvent({ type: 'event.updated', eventId: 'talk-5' }))).toEqual([]);
    const record = await models.runs.findOne({ workflowId }).lean().exec();
    expect(record?.status).toBe('completed');
    expect(record?.closedAt).toBeInstanceOf(Date);
  });

  it('takes email.clicked to the run that sent the email alone: not a re-entry, not another member', async () => {
    const run = await startRun(client, models, {
      plan: invitation,
      memberId: 'fay',
      key: null,
      trigger: testEvent({ type: 'member.approved', memberId: 'fay' }),
      taskQueue,
    });
    expect(run.status).toBe('started');
    // The run's journal gives its start (the stand-in run writes none: its first note, by hand).
    const startedAt = new Date('2026-05-01T09:00:00Z');
    await models.journal.create({
      _id: journalEntryId(run.workflowId, 0, 0),
      workflowId: run.workflowId,
      sequence: 0,
      playbook: 'invitation',
      version: invitation.version,
      memberId: 'fay',
      runStartedAt: startedAt,
      seq: 0,
      stepId: 'clicked',
      kind: 'entered',
      at: startedAt,
      branch: null,
      until: null,
      reason: null,
      template: null,
      occurrence: null,
    });
    const clicked = (memberId: string, runStartedAt: Date, playbook = 'invitation') =>
      testEvent({
        type: 'email.clicked',
        memberId,
        data: {
          url: 'https://riverside.example/',
          playbook,
          runId: run.workflowId,
          runStartedAt: runStartedAt.toISOString(),
        },
      });
    const earlierRun = clicked('fay', new Date(startedAt.getTime() - 86_400_000));
    const otherMember = clicked('gus', startedAt);
    // A playbook that does not wait for clicks is not signalled for one.
    const misnamed = clicked('fay', startedAt, 'onboarding');
    for (const event of [earlierRun, otherMember, misnamed]) expect(await route(event)).toEqual([]);
    const own = clicked('fay', startedAt);
    expect(await route(own)).toEqual([run.workflowId]);
    expect(await receivedBy(run.workflowId)).toEqual([own.id]);
  });
});
