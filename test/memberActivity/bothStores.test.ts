// One event rule over both record stores: the events a preview scripts move `member.activity` in memory as
// applying them moves it in MongoDB (a real MongoDB-wire server), and an event the member's facts already
// count before the preview is not counted again.

import { beforeAll, describe, expect, it } from 'vitest';
import type { RoutedEvent } from '../../compiler/events.js';
import type { MemberRecord } from '../../compiler/records.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { prepareAndApply } from '../../domain/events/applyEvent.js';
import { memoryActivity } from '../../domain/memberActivity/memoryFacts.js';
import { createMemoryRecordStore, type MemoryRecords } from '../../domain/records/memoryRecordStore.js';
import { createMongoRecordStore } from '../../domain/records/mongoRecordStore.js';
import type { RecordStore } from '../../domain/records/recordStore.js';
import { member } from '../activities/fixtures.js';
import { useTestDatabase } from '../support/mongo.js';

const db = useTestDatabase();
let models: Models;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
});

const event = (type: string, occurredAt: string, data: Record<string, unknown> = {}): RoutedEvent => ({
  id: `${type}@${occurredAt}`,
  type,
  memberId: 'ada',
  eventId: 'ev-1',
  data,
  occurredAt,
});

/** RSVP going, then going again, attended, a survey, and activity without an event. */
const EVENTS = [
  event('rsvp.created', '2026-03-01T10:00:00.000Z'),
  event('rsvp.updated', '2026-03-02T10:00:00.000Z', { status: 'going' }),
  event('rsvp.updated', '2026-03-05T21:00:00.000Z', { attended: true }),
  event('survey.responded', '2026-03-06T09:00:00.000Z', { score: 9 }),
  event('member.active', '2026-03-07T09:00:00.000Z'),
];

function world(ada: MemberRecord, rsvp: MemoryRecords['rsvp']): MemoryRecords {
  return {
    member: ada,
    event: { _id: 'ev-1', status: 'published' },
    rsvp,
    upcomingEvents: [],
    peers: [],
    activity: memoryActivity(ada, rsvp),
  };
}

describe('member.activity kept by the shared event rule', () => {
  it('moves the same way in memory as in MongoDB', async () => {
    await models.members.create(member('ada'));
    const mongo = createMongoRecordStore(models);
    const records = world({ _id: 'ada', email: 'ada@example.org', status: 'active' }, null);
    const memory = createMemoryRecordStore(records);
    for (const applied of EVENTS) {
      await prepareAndApply(mongo, applied);
      await prepareAndApply(memory, applied);
    }
    const stored = await mongo.findMember('ada', Date.parse('2026-03-08T00:00:00Z'));
    expect(records.member.activity).toEqual({
      rsvps: 1,
      attended: 1,
      lastRsvpAt: '2026-03-02T10:00:00.000Z',
      lastAttendedAt: '2026-03-05T21:00:00.000Z',
      surveys: 1,
      introductions: 0,
      emails7d: 0,
    });
    expect(stored?.activity).toEqual(records.member.activity);
  });

  it('adds to the facts the member started with, and counts their RSVP to the event once', async () => {
    const before = { rsvps: 3, attended: 2, surveys: 1, introductions: 1, emails7d: 2 };
    const ada: MemberRecord = { _id: 'ada', email: 'ada@example.org', status: 'active', activity: before };
    const records = world(ada, { eventId: 'ev-1', memberId: 'ada', status: 'going' });
    const memory = createMemoryRecordStore(records);
    for (const applied of EVENTS) await prepareAndApply(memory, applied);
    expect(records.member.activity).toEqual({
      ...before,
      attended: 3,
      surveys: 2,
      lastRsvpAt: '2026-03-02T10:00:00.000Z',
      lastAttendedAt: '2026-03-05T21:00:00.000Z',
    });
  });
});

describe('member.activity.emails7d read by both stores', () => {
  const NOW = Date.parse('2026-03-08T00:00:00Z');
  const load = (store: RecordStore, emails7d: boolean | undefined) =>
    store.loadRecords(
      {
        memberId: 'grace',
        eventId: null,
        needs: {
          event: false,
          rsvp: false,
          upcomingEvents: false,
          ...(emails7d === undefined ? {} : { emails7d }),
        },
        zone: 'Europe/London',
      },
      NOW,
    );

  it('is there for a plan that reads it or does not say, and left out alike for one that cannot read it', async () => {
    await models.members.create(member('grace'));
    const facts = { rsvps: 0, attended: 0, surveys: 0, introductions: 0 };
    await models.members.updateOne({ _id: 'grace' }, { $set: { activity: facts } }).exec();
    const mongo = createMongoRecordStore(models);
    const grace: MemberRecord = {
      _id: 'grace',
      email: 'grace@example.org',
      status: 'active',
      activity: { ...facts, emails7d: 0 },
    };
    const memory = createMemoryRecordStore(world(grace, null));
    for (const store of [mongo, memory]) {
      expect((await load(store, true)).member?.activity).toEqual({ ...facts, emails7d: 0 });
      expect((await load(store, undefined)).member?.activity).toEqual({ ...facts, emails7d: 0 });
      expect((await load(store, false)).member?.activity).toEqual(facts);
      expect((await store.findMember('grace', NOW, { emails7d: false }))?.activity).toEqual(facts);
    }
  });
});
