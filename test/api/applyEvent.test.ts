// Applying the known event types to MongoDB (a real MongoDB-wire server): what each type writes, and that
// applying the same prepared event twice leaves the records as applying it once.

import { beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, prepareEvent } from '../../domain/events/applyEvent.js';
import type { AcceptedEvent } from '../../contract/events.js';
import type { TendEvent } from '../../compiler/events.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { createMongoRecordStore } from '../../domain/records/mongoRecordStore.js';
import type { RecordStore } from '../../domain/records/recordStore.js';
import { useTestDatabase } from '../support/mongo.js';

const db = useTestDatabase();
let models: Models;
let store: RecordStore;

beforeAll(async () => {
  models = createModels(db.connection);
  store = createMongoRecordStore(models);
  await ensureIndexes(models);
});

let counter = 0;
function accepted(event: TendEvent): AcceptedEvent {
  counter += 1;
  return {
    event: { ...event, id: event.id ?? `e${counter}` },
    hash: 'h',
    receivedAt: '2025-05-01T10:00:00.000Z',
  };
}

/** Prepares and applies twice, as a retried ingestion would; returns the prepared event. */
async function applyTwice(event: TendEvent) {
  const { event: prepared } = await prepareEvent(store, accepted(event));
  await applyEvent(store, prepared);
  await applyEvent(store, prepared);
  return prepared;
}

describe('member events', () => {
  it('member.applied creates the member by email, lowercased, with status applied and its fields', async () => {
    const prepared = await applyTwice({
      type: 'member.applied',
      email: 'Ada@Example.org',
      data: { name: 'Ada', interests: ['running'], profile: { bio: 'hi' }, note: 'not a member field' },
    });
    const member = await models.members.findOne({ email: 'ada@example.org' }).lean().exec();
    expect(member).toMatchObject({
      _id: prepared.memberId,
      status: 'applied',
      name: 'Ada',
      interests: ['running'],
    });
    expect(member?.profile).toEqual({ bio: 'hi' });
    expect(member).not.toHaveProperty('note');
    expect(await models.members.countDocuments({ email: 'ada@example.org' }).exec()).toBe(1);
  });

  it('member.applied again finds the same member and merges profile keys', async () => {
    const first = await applyTwice({
      type: 'member.applied',
      email: 'bo@example.org',
      data: { profile: { a: 1 } },
    });
    const second = await applyTwice({
      type: 'member.applied',
      email: 'BO@example.org',
      data: { profile: { b: 2 } },
    });
    expect(second.memberId).toBe(first.memberId);
    const member = await models.members.findById(first.memberId).lean().exec();
    expect(member?.profile).toEqual({ a: 1, b: 2 });
  });

  it('member.approved makes the member active and sets approvedAt and joinedAt once', async () => {
    const { memberId } = await applyTwice({ type: 'member.applied', email: 'cy@example.org' });
    await applyTwice({
      type: 'member.approved',
      email: 'cy@example.org',
      occurredAt: '2025-05-02T09:00:00Z',
    });
    await applyTwice({
      type: 'member.approved',
      email: 'cy@example.org',
      occurredAt: '2025-06-02T09:00:00Z',
    });
    const member = await models.members.findById(memberId).lean().exec();
    expect(member?.status).toBe('active');
    expect(member?.approvedAt?.toISOString()).toBe('2025-06-02T09:00:00.000Z');
    expect(member?.joinedAt?.toISOString()).toBe('2025-05-02T09:00:00.000Z');
  });

  it('member.applied does not demote an active member', async () => {
    const { memberId } = await applyTwice({ type: 'member.applied', email: 'di@example.org' });
    await applyTwice({ type: 'member.approved', memberId: memberId ?? '' });
    await applyTwice({ type: 'member.applied', email: 'di@example.org' });
    expect((await models.members.findById(memberId).lean().exec())?.status).toBe('active');
  });

  it('member.declined and member.left set the status', async () => {
    const { memberId } = await applyTwice({ type: 'member.applied', email: 'ed@example.org' });
    await applyTwice({ type: 'member.declined', memberId: memberId ?? '' });
    expect((await models.members.findById(memberId).lean().exec())?.status).toBe('declined');
    await applyTwice({ type: 'member.left', memberId: memberId ?? '' });
    expect((await models.members.findById(memberId).lean().exec())?.status).toBe('left');
  });

  it('member.active keeps the latest activity, also when events arrive out of order', async () => {
    const { memberId } = await applyTwice({ type: 'member.applied', email: 'fa@example.org' });
    const id = memberId ?? '';
    await applyTwice({ type: 'member.active', memberId: id, occurredAt: '2025-05-10T00:00:00Z' });
    await applyTwice({ type: 'member.active', memberId: id, occurredAt: '2025-05-05T00:00:00Z' });
    const member = await models.members.findById(id).lean().exec();
    expect(member?.lastActiveAt?.toISOString()).toBe('2025-05-10T00:00:00.000Z');
  });

  it('an event for an unknown email resolves to no member and writes nothing', async () => {
    const prepared = await applyTwice({ type: 'member.active', email: 'nobody@example.org' });
    expect(prepared.memberId).toBeNull();
    expect(await models.members.countDocuments({ email: 'nobody@example.org' }).exec()).toBe(0);
  });

  it('email.unsubscribed adds the category once', async () => {
    const { memberId } = await applyTwice({ type: 'member.applied', email: 'gu@example.org' });
    await applyTwice({ type: 'email.unsubscribed', memberId: memberId ?? '', data: { category: 'surveys' } });
    await applyTwice({ type: 'email.unsubscribed', memberId: memberId ?? '', data: { category: 'surveys' } });
    expect((await models.members.findById(memberId).lean().exec())?.unsubscribed).toEqual(['surveys']);
  });
});

describe('community events, RSVPs and surveys', () => {
  it('event.updated creates the event and reports every field it set as changed', async () => {
    const prepared = await applyTwice({
      type: 'event.updated',
      eventId: 'ev-1',
      data: { title: 'Park run', startsAt: '2025-07-01T08:00:00Z' },
    });
    expect(prepared.data.changed).toEqual(['title', 'startsAt']);
    const event = await models.events.findById('ev-1').lean().exec();
    expect(event).toMatchObject({ title: 'Park run', status: 'published' });
    expect(event?.startsAt?.toISOString()).toBe('2025-07-01T08:00:00.000Z');
  });

  it('event.updated names only the fields whose values changed, and a retry keeps that answer', async () => {
    const event: TendEvent = {
      type: 'event.updated',
      eventId: 'ev-1',
      data: { title: 'Park run', startsAt: '2025-07-02T08:00:00.000Z' },
    };
    const prepared = await applyTwice(event);
    expect(prepared.data.changed).toEqual(['startsAt']);
    // Preparing again after the update (what a retry must NOT do) would find nothing changed.
    expect((await prepareEvent(store, accepted(event))).event.data.changed).toEqual([]);
  });

  it('event.cancelled and event.ended set the status', async () => {
    await applyTwice({ type: 'event.cancelled', eventId: 'ev-1' });
    expect((await models.events.findById('ev-1').lean().exec())?.status).toBe('cancelled');
    await applyTwice({ type: 'event.ended', eventId: 'ev-2' });
    expect((await models.events.findById('ev-2').lean().exec())?.status).toBe('ended');
  });

  it('rsvp events write one RSVP per member and event', async () => {
    const { memberId } = await applyTwice({ type: 'member.applied', email: 'ha@example.org' });
    const id = memberId ?? '';
    await applyTwice({ type: 'rsvp.created', memberId: id, eventId: 'ev-3' });
    await applyTwice({ type: 'rsvp.updated', memberId: id, eventId: 'ev-3', data: { attended: true } });
    await applyTwice({ type: 'rsvp.cancelled', memberId: id, eventId: 'ev-3' });
    const rsvps = await models.rsvps.find({ memberId: id }).lean().exec();
    expect(rsvps).toHaveLength(1);
    expect(rsvps[0]).toMatchObject({ eventId: 'ev-3', status: 'cancelled', attended: true });
  });

  it('survey.responded keeps one response per member and event; a second changes it', async () => {
    const { memberId } = await applyTwice({ type: 'member.applied', email: 'io@example.org' });
    const id = memberId ?? '';
    await applyTwice({ type: 'survey.responded', memberId: id, eventId: 'ev-3', data: { score: 9 } });
    await applyTwice({
      type: 'survey.responded',
      memberId: id,
      eventId: 'ev-3',
      data: { score: 6, comment: 'wet' },
    });
    const responses = await models.surveyResponses.find({ memberId: id }).lean().exec();
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ score: 6, comment: 'wet' });
  });
});
