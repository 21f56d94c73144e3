// A small community whose health figures are worked out by hand in health.test.ts. Activity arrives the way
// it does in production (applyEvent, so the history and the facts are written by the real path); members,
// community events, introductions, deliveries, runs and the event log are written as their own code would.
//
// Members (joined, UTC; cohort month in America/New_York | Europe/London):
//   j1 Jan 10 15:00  Jan|Jan  active Jan 20, Mar 20 (day 69); RSVPs e1 (attended), e6 (attended), e2
//   j2 Jan 15 15:00  Jan|Jan  active Jan 20 12:00; RSVP e1 (marked not attended); re-engagement in flight
//   j3 Jan 20 15:00  Jan|Jan  RSVP e1 Jan 21; left Feb 5 (day 16)
//   j4 Feb  1 03:00  Jan|Feb  active Feb 10; e1 maybe + attended; RSVP e3 Apr 15 (day 73); left May 20
//   f1 Feb 10 15:00  Feb|Feb  nothing at all
//   f2 Mar  1 04:00  Feb|Mar  north; RSVP e2 Mar 7; RSVP e3, attended May 5 18:00 (day 66)
//   m1 Mar  5 15:00  Mar|Mar  active Mar 20; RSVP e3 Apr 1; survey May 6 (day 62)
//   m2 Mar 31 23:00  Mar|Apr  north; human click Apr 5; active Jun 1
//   a1 Apr 10 15:00  Apr|Apr  survey May 6 (day 26)
//   y1 May 20 15:00  May|May  active May 25; RSVP e4 Jun 1
//   u1 Jun 10 15:00  Jun|Jun  north; RSVP e4 Jun 11
//   k1 2025-09-01            survey e6 and e3; an old survey of Jan 2 (before any period asked for here)
//   app1                     applied, waiting for a decision

import type { RoutedEvent } from '../../../compiler/events.js';
import { runRecordId, type DeliveryDoc, type HoldDoc, type Models, type RunDoc } from '../../../db/index.js';
import { applyEvent } from '../../../domain/events/applyEvent.js';
import { createMongoRecordStore } from '../../../domain/records/mongoRecordStore.js';
import { member } from '../../activities/fixtures.js';

/** The moment every report in the suite is computed at. */
export const NOW = new Date('2026-06-15T12:00:00Z');

const at = (iso: string) => new Date(iso);

export async function seedCommunity(models: Models): Promise<void> {
  await models.members.create([
    member('j1', { joinedAt: at('2026-01-10T15:00:00Z') }),
    member('j2', { joinedAt: at('2026-01-15T15:00:00Z') }),
    member('j3', { joinedAt: at('2026-01-20T15:00:00Z') }),
    member('j4', { joinedAt: at('2026-02-01T03:00:00Z') }),
    member('f1', { joinedAt: at('2026-02-10T15:00:00Z') }),
    member('f2', { joinedAt: at('2026-03-01T04:00:00Z'), subgroup: 'north' }),
    member('m1', { joinedAt: at('2026-03-05T15:00:00Z') }),
    member('m2', { joinedAt: at('2026-03-31T23:00:00Z'), subgroup: 'north' }),
    member('a1', { joinedAt: at('2026-04-10T15:00:00Z') }),
    member('y1', { joinedAt: at('2026-05-20T15:00:00Z') }),
    member('u1', { joinedAt: at('2026-06-10T15:00:00Z'), subgroup: 'north' }),
    member('k1', { joinedAt: at('2025-09-01T12:00:00Z') }),
    member('app1', { status: 'applied' }),
  ]);
  const event = (_id: string, title: string, starts: string, ends: string, status = 'ended' as const) => ({
    _id,
    title,
    startsAt: at(starts),
    endsAt: at(ends),
    status,
  });
  await models.events.create([
    event('e1', 'January Social', '2026-01-25T19:00:00Z', '2026-01-25T21:00:00Z'),
    event('e6', 'February Quiz', '2026-02-20T20:00:00Z', '2026-02-20T22:00:00Z'),
    event('e2', 'March Run', '2026-03-10T10:00:00Z', '2026-03-10T12:00:00Z'),
    {
      ...event('e5', 'Cancelled Meetup', '2026-04-01T18:00:00Z', '2026-04-01T20:00:00Z'),
      status: 'cancelled',
    },
    event('e3', 'May Picnic', '2026-05-05T15:00:00Z', '2026-05-05T18:00:00Z'),
    { ...event('e4', 'June Talk', '2026-06-20T18:00:00Z', '2026-06-20T20:00:00Z'), status: 'published' },
  ]);

  for (const applied of activityEvents()) await applyEvent(createMongoRecordStore(models), applied);

  const intro = (runId: string, a: string, b: string, createdAt: string) => ({
    pairKey: a < b ? `${a}|${b}` : `${b}|${a}`,
    memberIds: [a, b],
    memberId: a,
    peerId: b,
    runId,
    stepId: 'introduce',
    playbook: 'onboarding',
    createdAt: at(createdAt),
  });
  await models.introductions.create([
    intro('run:onboarding:j2', 'j2', 'j1', '2026-01-20T16:00:00Z'),
    intro('run:onboarding:m1', 'm1', 'f2', '2026-03-06T12:00:00Z'),
    intro('run:onboarding:u1', 'u1', 'y1', '2026-06-11T00:00:00Z'),
    intro('run:onboarding:a1', 'a1', 'k1', '2026-04-20T12:00:00Z'),
  ]);

  await models.deliveries.create(deliveries());
  const hold = (memberId: string, reason: HoldDoc['reason'], heldAt: string): HoldDoc => ({
    _id: `run:digest:${memberId}/send/0`,
    memberId,
    to: [`${memberId}@example.org`],
    subject: 'This week',
    template: 'digest',
    playbook: 'digest',
    workflowId: `run:digest:${memberId}`,
    stepId: 'send',
    reason,
    until: new Date(at(heldAt).getTime() + 3600_000),
    heldAt: at(heldAt),
  });
  await models.holds.create([
    hold('j1', 'frequency_cap', '2026-06-14T23:30:00Z'),
    hold('f2', 'frequency_cap', '2026-05-02T09:00:00Z'),
    hold('j2', 'quiet_hours', '2026-06-10T03:00:00Z'),
    hold('k1', 'frequency_cap', '2026-01-01T12:00:00Z'),
  ]);
  await models.runs.create([
    run('j2', 'waiting', '2026-06-01T09:00:00Z'),
    run('j1', 'completed', '2026-04-01T09:00:00Z'),
  ]);
  const unsubscribed = (id: string, memberId: string, category: string, receivedAt: string) => ({
    _id: id,
    requestHash: id,
    type: 'email.unsubscribed',
    ingestId: 'ingest',
    status: 'routed' as const,
    preparedJson: JSON.stringify({
      id,
      type: 'email.unsubscribed',
      memberId,
      eventId: null,
      data: { category },
    }),
    receivedAt: at(receivedAt),
  });
  await models.eventLog.create([
    unsubscribed('u-j2', 'j2', 'surveys', '2026-05-07T12:00:00Z'),
    unsubscribed('u-f1', 'f1', 'community', '2026-03-01T12:00:00Z'),
    unsubscribed('u-k1', 'k1', 'community', '2026-01-01T12:00:00Z'),
  ]);
}

function activityEvents(): RoutedEvent[] {
  let count = 0;
  const ev = (
    type: string,
    memberId: string,
    occurredAt: string,
    eventId: string | null = null,
    data = {},
  ) => ({
    id: `seed-${(count += 1)}`,
    type,
    memberId,
    eventId,
    data,
    occurredAt,
  });
  const active = (memberId: string, when: string) => ev('member.active', memberId, when);
  const rsvp = (memberId: string, eventId: string, when: string, data: Record<string, unknown> = {}) =>
    ev('rsvp.created', memberId, when, eventId, data);
  const mark = (memberId: string, eventId: string, when: string, data: Record<string, unknown>) =>
    ev('rsvp.updated', memberId, when, eventId, data);
  const survey = (memberId: string, eventId: string, when: string, score: number) =>
    ev('survey.responded', memberId, when, eventId, { score });
  return [
    active('j1', '2026-01-20T10:00:00Z'),
    active('j1', '2026-03-20T10:00:00Z'),
    active('j2', '2026-01-20T12:00:00Z'),
    active('j4', '2026-02-10T12:00:00Z'),
    active('m1', '2026-03-20T10:00:00Z'),
    active('y1', '2026-05-25T12:00:00Z'),
    active('m2', '2026-06-01T12:00:00Z'),
    ev('email.clicked', 'm2', '2026-04-05T12:00:00Z', null, { url: 'https://riverside.example/runs' }),
    ev('member.left', 'j3', '2026-02-05T12:00:00Z'),
    ev('member.left', 'j4', '2026-05-20T12:00:00Z'),
    rsvp('j1', 'e1', '2026-01-18T12:00:00Z'),
    rsvp('j2', 'e1', '2026-01-18T13:00:00Z'),
    rsvp('j3', 'e1', '2026-01-21T12:00:00Z'),
    rsvp('j4', 'e1', '2026-01-24T12:00:00Z', { status: 'maybe' }),
    mark('j1', 'e1', '2026-01-25T21:00:00Z', { attended: true }),
    mark('j2', 'e1', '2026-01-25T21:00:00Z', { attended: false }),
    mark('j4', 'e1', '2026-01-25T21:00:00Z', { status: 'maybe', attended: true }),
    rsvp('j1', 'e6', '2026-02-15T12:00:00Z'),
    mark('j1', 'e6', '2026-02-20T22:00:00Z', { attended: true }),
    rsvp('j1', 'e2', '2026-03-01T12:00:00Z'),
    rsvp('f2', 'e2', '2026-03-07T12:00:00Z'),
    rsvp('m1', 'e3', '2026-04-01T12:00:00Z'),
    rsvp('j4', 'e3', '2026-04-15T12:00:00Z'),
    rsvp('f2', 'e3', '2026-04-20T12:00:00Z'),
    mark('f2', 'e3', '2026-05-05T18:00:00Z', { attended: true }),
    mark('j4', 'e3', '2026-05-05T18:00:00Z', { attended: false }),
    rsvp('y1', 'e4', '2026-06-01T12:00:00Z'),
    rsvp('u1', 'e4', '2026-06-11T10:00:00Z'),
    survey('k1', 'e0', '2026-01-02T12:00:00Z', 0),
    survey('j1', 'e6', '2026-02-21T13:00:00Z', 9),
    survey('k1', 'e6', '2026-02-21T13:00:00Z', 2),
    ...(
      [
        ['j1', 10],
        ['j2', 9],
        ['j3', 9],
        ['j4', 8],
        ['f2', 10],
        ['m1', 6],
        ['m2', 3],
        ['a1', 9],
        ['y1', 10],
        ['k1', 7],
      ] as const
    ).map(([memberId, score]) => survey(memberId, 'e3', '2026-05-06T10:00:00Z', score)),
  ];
}

/** Welcomes an hour after joining, survey emails for e6 and e3, a peer copy, and rows that must not count. */
function deliveries(): DeliveryDoc[] {
  let count = 0;
  const row = (
    memberId: string,
    category: DeliveryDoc['category'],
    sentAt: string,
    fields: Partial<DeliveryDoc> = {},
  ): DeliveryDoc => {
    count += 1;
    return {
      key: `d${count}`,
      status: 'sent',
      memberId,
      recipientKind: 'member',
      to: [`${memberId}@example.org`],
      template: category === 'surveys' ? 'event-feedback' : 'welcome',
      category,
      playbook: category === 'surveys' ? 'event-feedback' : 'onboarding',
      version: 'v1',
      workflowId: `run:seed:${memberId}`,
      stepId: `s${count}`,
      messageId: `<d${count}@tend>`,
      claimedAt: at(sentAt),
      sentAt: at(sentAt),
      error: null,
      ...fields,
    };
  };
  const welcomes: [string, string][] = [
    ['j1', '2026-01-10T16:00:00Z'],
    ['j2', '2026-01-15T16:00:00Z'],
    ['j3', '2026-01-20T16:00:00Z'],
    ['j4', '2026-02-01T04:00:00Z'],
    ['f1', '2026-02-10T16:00:00Z'],
    ['f2', '2026-03-01T05:00:00Z'],
    ['m1', '2026-03-05T16:00:00Z'],
    ['m2', '2026-04-01T00:00:00Z'],
    ['a1', '2026-04-10T16:00:00Z'],
    ['y1', '2026-05-20T16:00:00Z'],
    ['u1', '2026-06-10T16:00:00Z'],
    ['k1', '2025-09-01T13:00:00Z'],
  ];
  return [
    ...welcomes.map(([memberId, sentAt]) => row(memberId, 'community', sentAt)),
    ...['j1', 'j2', 'j4', 'f1', 'k1'].map((memberId) => row(memberId, 'surveys', '2026-02-21T12:00:00Z')),
    ...['j1', 'j2', 'j3', 'j4', 'f1', 'f2', 'm1', 'm2', 'a1', 'y1', 'k1'].map((memberId) =>
      row(memberId, 'surveys', '2026-05-05T22:00:00Z'),
    ),
    row('j2', 'community', '2026-01-20T16:00:00Z', { recipientKind: 'peer' }),
    row('app1', 'transactional', '2026-06-14T12:00:00Z', {
      recipientKind: 'manager',
      to: ['org@example.org'],
    }),
    row('j1', 'community', '2026-06-01T12:00:00Z', { status: 'failed', sentAt: null, error: '550 no' }),
    row('j1', 'community', '2026-06-14T12:00:00Z', { status: 'claimed', sentAt: null }),
  ];
}

function run(memberId: string, status: RunDoc['status'], startedAt: string): RunDoc {
  return {
    _id: runRecordId(`re-engagement:${memberId}`, 0),
    runKey: `re-engagement:${memberId}`,
    sequence: 0,
    playbook: 're-engagement',
    version: 'v1',
    memberId,
    key: null,
    workflowId: `run:re-engagement:${memberId}`,
    triggerId: `t-${memberId}`,
    status,
    startedAt: at(startedAt),
    closedAt: status === 'completed' ? at(startedAt) : null,
  };
}
