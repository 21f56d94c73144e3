// The member activity store on a real MongoDB-wire server: applying an event records what the member did
// once however often it is applied, keeps `member.activity` current, and the backfill rebuilds both from
// records written without events (a platform writing MongoDB itself, or data from before the history).

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyEvent } from '../../domain/events/applyEvent.js';
import { createMongoRecordStore } from '../../domain/records/mongoRecordStore.js';
import type { RoutedEvent } from '../../compiler/events.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { backfillActivity } from '../../domain/memberActivity/backfill.js';
import { member } from '../activities/fixtures.js';
import { useTestDatabase } from '../support/mongo.js';

const db = useTestDatabase();
let models: Models;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
});

beforeEach(async () => {
  await Promise.all([
    models.members.deleteMany({}),
    models.activities.deleteMany({}),
    models.rsvps.deleteMany({}),
    models.surveyResponses.deleteMany({}),
    models.events.deleteMany({}),
    models.introductions.deleteMany({}),
  ]);
  await models.members.create(member('ada', { joinedAt: new Date('2026-01-01T00:00:00Z') }));
});

const event = (type: string, occurredAt: string, fields: Partial<RoutedEvent> = {}): RoutedEvent => ({
  id: `${type}@${occurredAt}`,
  type,
  memberId: 'ada',
  eventId: null,
  data: {},
  occurredAt,
  ...fields,
});

describe('applying events', () => {
  it('records each activity once, with its time, and keeps the facts on the member', async () => {
    const events = [
      event('member.active', '2026-01-02T10:00:00Z'),
      event('rsvp.created', '2026-01-03T10:00:00Z', { eventId: 'run-1' }),
      event('rsvp.updated', '2026-01-04T10:00:00Z', { eventId: 'run-1', data: { attended: true } }),
      event('rsvp.created', '2026-01-05T10:00:00Z', { eventId: 'run-2', data: { status: 'maybe' } }),
      event('rsvp.updated', '2026-01-06T10:00:00Z', { eventId: 'run-2', data: { status: 'going' } }),
      event('rsvp.cancelled', '2026-01-07T10:00:00Z', { eventId: 'run-2' }),
      event('survey.responded', '2026-01-08T10:00:00Z', { eventId: 'run-1', data: { score: 9 } }),
      event('email.clicked', '2026-01-09T10:00:00Z', { data: { url: 'https://example.org' } }),
      event('member.approved', '2026-01-10T10:00:00Z'),
    ];
    for (const applied of [...events, ...events]) await applyEvent(createMongoRecordStore(models), applied);

    const history = await models.activities.find().sort({ at: 1 }).lean();
    expect(history.map((item) => [item.kind, item.at.toISOString(), item.eventId ?? null])).toEqual([
      ['active', '2026-01-02T10:00:00.000Z', null],
      ['rsvp', '2026-01-03T10:00:00.000Z', 'run-1'],
      ['attended', '2026-01-04T10:00:00.000Z', 'run-1'],
      ['rsvp', '2026-01-06T10:00:00.000Z', 'run-2'],
      ['survey', '2026-01-08T10:00:00.000Z', 'run-1'],
      ['click', '2026-01-09T10:00:00.000Z', null],
    ]);
    expect(history.every((item) => item.memberId === 'ada')).toBe(true);
    const ada = await models.members.findById('ada').lean();
    expect(ada?.activity).toEqual({
      // run-2 counts though cancelled later: an RSVP ever made going.
      rsvps: 2,
      attended: 1,
      lastRsvpAt: new Date('2026-01-06T10:00:00Z'),
      lastAttendedAt: new Date('2026-01-04T10:00:00Z'),
      surveys: 1,
      introductions: 0,
    });
  });

  it('records when a member left', async () => {
    await applyEvent(createMongoRecordStore(models), event('member.left', '2026-02-01T09:00:00Z'));
    const ada = await models.members.findById('ada').lean();
    expect([ada?.status, ada?.leftAt]).toEqual(['left', new Date('2026-02-01T09:00:00Z')]);
  });
});

describe('backfillActivity', () => {
  it('finishes for a community of hundreds, writing the facts of every member', async () => {
    // FerretDB stood still on one write of a hundred members' facts (domain/memberActivity/backfill.ts).
    // Each member starts with a stale fact the backfill must correct.
    const stale = { rsvps: 7, attended: 0, surveys: 0, introductions: 0 };
    await models.members.insertMany(
      Array.from({ length: 250 }, (_, index) => ({
        ...member(`many-${String(index).padStart(3, '0')}`),
        lastActiveAt: new Date('2026-02-01T08:00:00Z'),
        activity: stale,
      })),
    );
    const result = await backfillActivity(models);
    expect(result.activities).toBe(250);
    expect(result.members).toBe(await models.members.countDocuments().exec());
    const many = await models.members
      .find({ _id: /^many-/ })
      .select({ activity: 1 })
      .lean()
      .exec();
    expect(many.filter((doc) => doc.activity?.rsvps === 0)).toHaveLength(250);
  });

  it('rebuilds the history and the facts from records written without events, idempotently', async () => {
    await models.members.updateOne(
      { _id: 'ada' },
      { $set: { lastActiveAt: new Date('2026-02-01T08:00:00Z') } },
    );
    await models.members.create(member('bob'));
    await models.events.create({
      _id: 'run-1',
      status: 'ended',
      startsAt: new Date('2026-02-03T18:00:00Z'),
      endsAt: new Date('2026-02-03T20:00:00Z'),
    });
    await models.rsvps.create([
      {
        eventId: 'run-1',
        memberId: 'ada',
        status: 'going',
        attended: true,
        createdAt: new Date('2026-02-02T09:00:00Z'),
      },
      { eventId: 'run-2', memberId: 'ada', status: 'cancelled', createdAt: new Date('2026-02-02T10:00:00Z') },
    ]);
    await models.surveyResponses.create({
      memberId: 'ada',
      eventId: 'run-1',
      score: 10,
      respondedAt: new Date('2026-02-04T09:00:00Z'),
    });
    await models.introductions.create({
      pairKey: 'ada|bob',
      memberIds: ['ada', 'bob'],
      memberId: 'ada',
      peerId: 'bob',
      runId: 'run:onboarding:ada',
      stepId: 'introduce',
      playbook: 'onboarding',
      createdAt: new Date('2026-02-05T09:00:00Z'),
    });

    expect(await backfillActivity(models)).toEqual({ activities: 4, members: 2 });
    expect(await backfillActivity(models)).toEqual({ activities: 4, members: 2 });

    const history = await models.activities.find().sort({ at: 1 }).lean();
    expect(history.map((item) => [item.kind, item.at.toISOString(), item.ref])).toEqual([
      ['active', '2026-02-01T08:00:00.000Z', 'backfill:members'],
      ['rsvp', '2026-02-02T09:00:00.000Z', 'backfill:rsvps'],
      // An attended mark has no time of its own: the event's end stands in.
      ['attended', '2026-02-03T20:00:00.000Z', 'backfill:rsvps'],
      ['survey', '2026-02-04T09:00:00.000Z', 'backfill:surveyResponses'],
    ]);
    const [ada, bob] = await Promise.all([
      models.members.findById('ada').lean(),
      models.members.findById('bob').lean(),
    ]);
    expect(ada?.activity).toEqual({
      rsvps: 1,
      attended: 1,
      lastRsvpAt: new Date('2026-02-02T09:00:00Z'),
      lastAttendedAt: new Date('2026-02-03T20:00:00Z'),
      surveys: 1,
      introductions: 1,
    });
    expect(bob?.activity).toEqual({ rsvps: 0, attended: 0, surveys: 0, introductions: 1 });
  });
});
