// Ingestion on the real stack: accepted events go to their eventQueue workflows, which apply each once,
// start the runs its type triggers, reach the runs that wait for it, and answer a repeat with the first
// answer; an event about a member who does not exist yet waits for the member, visibly.

import { beforeAll, describe, expect, it } from 'vitest';
import { createCurrentPlans } from '../../domain/plans/planStore.js';
import { createEventIngestion } from '../../activities/events/ingestEvents.js';
import type { AcceptedEvent } from '../../contract/events.js';
import type { TendEvent } from '../../compiler/events.js';
import { createEventAcceptance } from '../../api/acceptEvents.js';
import { contentHash } from '../../api/eventIdentity.js';
import { Unprocessable } from '../../api/errors.js';
import { createTemporalIngestor } from '../../api/ingest/temporalIngestor.js';
import { testPlan } from '../worker/support/plans.js';
import { receivedQuery } from '../worker/support/standInRun.js';
import { putPlansInService, useStack } from './support/stack.js';

const stack = useStack();

const review = testPlan({
  id: 'review',
  trigger: { kind: 'event', event: 'member.applied', key: null },
  exit: { events: ['member.approved'], conditions: [] },
});
const reminders = testPlan({
  id: 'reminders',
  trigger: { kind: 'event', event: 'rsvp.created', key: 'eventId' },
  exit: { events: ['rsvp.cancelled'], conditions: [] },
  on: { 'event.updated': [] },
});
const feedback = testPlan({
  id: 'feedback',
  trigger: { kind: 'event', event: 'event.ended', key: 'eventId' },
  audience: { source: 'rsvps', where: { attended: true } },
});

let counter = 0;
function accepted(event: TendEvent & { id: string }): AcceptedEvent {
  return { event, hash: contentHash(event), receivedAt: new Date().toISOString() };
}
function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** Accepts the events as the API does, and waits (up to `waitMs`) until they are routed. */
async function submit(events: AcceptedEvent[], waitMs = 60_000) {
  const ingestor = createTemporalIngestor({
    client: stack.client,
    models: stack.models,
    taskQueue: stack.taskQueue,
  });
  const accept = createEventAcceptance(stack.models, ingestor, 60_000);
  return accept(
    events.map(({ event }) => event),
    { where: (index) => `body[${index}]`, waitMs },
  );
}

async function createMembers(...ids: string[]): Promise<void> {
  for (const id of ids) {
    await stack.models.members.create({ _id: id, email: `${id}@example.org`, status: 'active' });
  }
}

/** Polls until `read` finds something (the queue works on its own time). */
async function eventually<T>(read: () => Promise<T | null>): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const value = await read();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('never happened');
}

beforeAll(async () => {
  await putPlansInService(stack.models, [review, reminders, feedback]);
});

describe('the ingestEvents workflow', () => {
  it('applies an event, starts the run it triggers, and answers a repeat with the first answer', async () => {
    const applied = accepted({ type: 'member.applied', id: uniqueId('apply'), email: 'ann@example.org' });
    const [first] = await submit([applied]);
    const member = await stack.models.members.findOne({ email: 'ann@example.org' }).lean().exec();
    expect(member?.status).toBe('applied');
    expect(first).toEqual({
      id: applied.event.id,
      type: 'member.applied',
      status: 'accepted',
      runsStarted: [`run:review:${member?._id}`],
      runsSignalled: [],
    });
    const [again] = await submit([applied]);
    expect(again).toEqual({ ...first, status: 'duplicate' });
    expect(await stack.models.runs.countDocuments({ playbook: 'review', memberId: member?._id }).exec()).toBe(
      1,
    );
  });

  it('refuses the same ids with a different body', async () => {
    const id = uniqueId('reuse');
    await submit([accepted({ type: 'member.applied', id, email: 'reuse@example.org' })]);
    await expect(
      submit([accepted({ type: 'member.applied', id, email: 'other@example.org' })]),
    ).rejects.toThrow(Unprocessable);
  });

  it('reports an event already accepted in another request as a duplicate, and applies the rest', async () => {
    const approvedId = uniqueId('approve');
    const alone = accepted({ type: 'member.applied', id: uniqueId('apply'), email: 'bea@example.org' });
    const [firstAnswer] = await submit([alone]);
    const approved = accepted({ type: 'member.approved', id: approvedId, email: 'bea@example.org' });
    const results = await submit([alone, approved]);
    expect(results.map((result) => result.status)).toEqual(['duplicate', 'accepted']);
    expect(results[0]?.runsStarted).toEqual(firstAnswer?.runsStarted);
    // member.approved is an exit of the review run: it reached the run, which ended.
    expect(results[1]?.runsSignalled).toEqual(firstAnswer?.runsStarted);
    const member = await stack.models.members.findOne({ email: 'bea@example.org' }).lean().exec();
    expect(member?.status).toBe('active');
  });

  it('reaches every run keyed on a community event with an event that names only the event', async () => {
    const eventId = uniqueId('ev');
    await createMembers(`m-cat-${eventId}`, `m-dan-${eventId}`);
    const rsvps = ['cat', 'dan'].map((name) =>
      accepted({ type: 'rsvp.created', id: uniqueId('rsvp'), memberId: `m-${name}-${eventId}`, eventId }),
    );
    const started = await submit(rsvps);
    const runIds = started.flatMap((result) => result.runsStarted);
    expect(runIds).toHaveLength(2);
    const update = accepted({
      type: 'event.updated',
      id: uniqueId('upd'),
      eventId,
      data: { startsAt: '2030-01-01T10:00:00Z' },
    });
    const [routed] = await submit([update]);
    expect(routed?.runsSignalled.sort()).toEqual(runIds.sort());
    for (const runId of runIds) {
      const received = await stack.client.workflow.getHandle(runId).query(receivedQuery);
      expect(received).toContain(update.event.id);
    }
  });

  it('reaches a keyed run started a moment before, in the same request', async () => {
    const eventId = uniqueId('ev');
    await createMembers(`m-eve-${eventId}`);
    const rsvp = accepted({
      type: 'rsvp.created',
      id: uniqueId('rsvp'),
      memberId: `m-eve-${eventId}`,
      eventId,
    });
    const update = accepted({
      type: 'event.updated',
      id: uniqueId('upd'),
      eventId,
      data: { title: 'Moved' },
    });
    const [created, updated] = await submit([rsvp, update]);
    expect(updated?.runsSignalled).toEqual(created?.runsStarted);
  });

  it('fans an event about no single member out over the audience', async () => {
    const eventId = uniqueId('ev');
    const [result] = await submit([accepted({ type: 'event.ended', id: uniqueId('end'), eventId })]);
    expect(result?.runsStarted).toEqual([`fanout:feedback:${eventId}`]);
    expect((await stack.models.events.findById(eventId).lean().exec())?.status).toBe('ended');
  });
});

describe('an event about a member who does not exist yet', () => {
  it('waits, visibly, and is applied once a later member.applied has created the member', async () => {
    const email = `late-${uniqueId('m')}@example.org`;
    const approved = accepted({ type: 'member.approved', id: uniqueId('approve'), email });
    const [waiting] = await submit([approved], 3_000);
    expect(waiting).toMatchObject({ status: 'accepted', pending: true, waitingForMember: true });
    expect((await stack.models.eventLog.findById(approved.event.id).lean().exec())?.status).toBe('waiting');

    // The application arrives after the approval (a platform that sent them out of order): it goes first.
    const [applied] = await submit([accepted({ type: 'member.applied', id: uniqueId('apply'), email })]);
    expect(applied?.status).toBe('accepted');
    const routed = await eventually(async () => {
      const log = await stack.models.eventLog.findById(approved.event.id).lean().exec();
      return log?.status === 'routed' ? log : null;
    });
    const member = await stack.models.members.findOne({ email }).lean().exec();
    expect(member?.status).toBe('active');
    // The approval ended the review run the application started.
    expect(routed.outcome).toMatchObject({ runsSignalled: applied?.runsStarted });
  });

  it('goes through without its member, flagged memberNotFound, once its wait is over', async () => {
    const ingestion = createEventIngestion({
      client: stack.client,
      models: stack.models,
      taskQueue: stack.taskQueue,
      plans: createCurrentPlans(stack.models),
    });
    const queued = {
      acceptanceId: 'accept:never',
      accepted: accepted({ type: 'member.left', id: uniqueId('left'), memberId: 'm-never-existed' }),
    };
    expect(await ingestion.ingestInOrder([queued])).toEqual({ done: [] });
    const waitIsOverFor = queued.accepted.event.id;
    expect(await ingestion.ingestInOrder([queued], { waitIsOverFor })).toEqual({ done: [0] });
    const log = await stack.models.eventLog.findById(waitIsOverFor).lean().exec();
    expect(log).toMatchObject({ status: 'routed', outcome: { memberNotFound: true } });
  });
});

describe('ingestion after a crash', () => {
  it('a retry carries on with what the first attempt stored, and another ingestion reports a duplicate', async () => {
    const ingestion = createEventIngestion({
      client: stack.client,
      models: stack.models,
      taskQueue: stack.taskQueue,
      plans: createCurrentPlans(stack.models),
    });
    const eventId = uniqueId('ev');
    await stack.models.events.create({ _id: eventId, title: 'Old', status: 'published' });
    const update = accepted({ type: 'event.updated', id: uniqueId('upd'), eventId, data: { title: 'New' } });
    // What an attempt that died after applying leaves: its claim with the prepared event, and the write done.
    await stack.models.eventLog.create({
      _id: update.event.id,
      requestHash: update.hash,
      type: update.event.type,
      ingestId: 'ingest-crashed@run-1',
      status: 'received',
      preparedJson: JSON.stringify({
        ...update.event,
        memberId: null,
        data: { title: 'New', changed: ['title'] },
        occurredAt: update.receivedAt,
      }),
      receivedAt: new Date(),
    });
    await stack.models.events.updateOne({ _id: eventId }, { $set: { title: 'New' } }).exec();

    const [retried] = await ingestion.ingest('ingest-crashed@run-1', [update]);
    expect(retried?.status).toBe('accepted');
    const log = await stack.models.eventLog.findById(update.event.id).lean().exec();
    expect(log?.status).toBe('routed');
    expect(JSON.parse(log?.preparedJson ?? '{}')).toMatchObject({ data: { changed: ['title'] } });

    const [elsewhere] = await ingestion.ingest('ingest-other@run-1', [update]);
    expect(elsewhere).toEqual({ ...retried, status: 'duplicate' });
  });
});
