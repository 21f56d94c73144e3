// Members' indexes (db/memberIndex.ts) on a real MongoDB-wire server: every writer of a member's records
// enters them, a retried write enters nothing twice, the backfill enters what was written without Tend, and
// a member's records read back through the index newest first, passing over entries with no record.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RoutedEvent } from '../../compiler/events.js';
import { claim, release, settle, type NewRow } from '../../activities/delivery/ledger.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { applyEvent } from '../../domain/events/applyEvent.js';
import { backfillMemberIndex } from '../../domain/memberIndex/backfill.js';
import { activitiesOf, memberIndexOf, newestEntries, recordsOf } from '../../domain/memberIndex/read.js';
import { createMongoRecordStore } from '../../domain/records/mongoRecordStore.js';
import { member } from '../activities/fixtures.js';
import { useTestDatabase } from '../support/mongo.js';

const db = useTestDatabase();
let models: Models;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
});

beforeEach(async () => {
  await Promise.all(
    [
      models.members,
      models.activities,
      models.rsvps,
      models.surveyResponses,
      models.deliveries,
      models.runs,
      models.memberIndex,
      models.deliveryFeed,
      models.memberEmails,
      models.nameWords,
    ].map((model: { deleteMany(filter: object): { exec(): Promise<unknown> } }) =>
      model.deleteMany({}).exec(),
    ),
  );
  await models.members.create(member('ada'));
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

const row = (key: string, claimedAt: string): NewRow => ({
  key,
  memberId: 'ada',
  recipientKind: 'member',
  to: ['ada@example.org'],
  template: 'welcome',
  category: 'community',
  playbook: 'welcome',
  version: 'v1',
  workflowId: 'welcome:ada',
  stepId: key,
  claimedAt: new Date(claimedAt),
});

const ids = (entries: readonly { id: unknown }[] | undefined) =>
  (entries ?? []).map((entry) => String(entry.id));

describe('writers', () => {
  it('enter RSVPs, survey answers and activities once, however often an event is applied', async () => {
    const events = [
      event('rsvp.created', '2026-01-03T10:00:00Z', { eventId: 'run-1' }),
      event('rsvp.updated', '2026-01-04T10:00:00Z', { eventId: 'run-1', data: { attended: true } }),
      event('survey.responded', '2026-01-08T10:00:00Z', { eventId: 'run-1', data: { score: 9 } }),
      event('member.active', '2026-01-09T10:00:00Z'),
    ];
    for (const applied of [...events, ...events]) await applyEvent(createMongoRecordStore(models), applied);

    const index = await memberIndexOf(models, 'ada');
    const rsvps = await models.rsvps.find({ memberId: 'ada' }).lean().exec();
    const answers = await models.surveyResponses.find({ memberId: 'ada' }).lean().exec();
    expect(rsvps).toHaveLength(1);
    expect(new Set(ids(index?.rsvps))).toEqual(new Set([String(rsvps[0]?._id)]));
    expect(ids(newestEntries(index?.surveys, 10))).toEqual([String(answers[0]?._id)]);
    // The history as the member page and the facts read it: each activity once, newest first.
    const stored = await models.activities.find({ memberId: 'ada' }).sort({ at: -1 }).lean().exec();
    expect(
      activitiesOf(index).map((activity) => [activity.id, activity.kind, activity.at.toISOString()]),
    ).toEqual(stored.map((activity) => [activity._id, activity.kind, activity.at.toISOString()]));
    expect(stored.map((activity) => activity.kind)).toEqual(['active', 'survey', 'attended', 'rsvp']);
    // And the facts on the member, recomputed from the index.
    const ada = await models.members.findById('ada').lean().exec();
    expect(ada?.activity).toMatchObject({ rsvps: 1, attended: 1, surveys: 1 });
  });

  it('enter an email before its ledger row, once for a retried claim, and the page passes over a released one', async () => {
    const first = await claim(models, row('welcome:ada/hello/0', '2026-02-01T09:00:00Z'));
    expect(first.claimed).toBe(true);
    // A retry of the same email claims again later: the row is the first attempt's, the index names it once.
    const retry = await claim(models, row('welcome:ada/hello/0', '2026-02-01T09:05:00Z'));
    expect(retry.claimed).toBe(false);
    await settle(models, row('welcome:ada/hello/0', '2026-02-01T09:00:00Z'), {
      status: 'sent',
      messageId: '<m@tend>',
      sentAt: new Date('2026-02-01T09:00:01Z'),
    });
    // A skip decided before claiming writes its row through `settle` alone.
    await settle(models, row('welcome:ada/tips/0', '2026-02-02T09:00:00Z'), {
      status: 'skipped',
      error: 'unsubscribed',
    });
    // A claim given back: entered, but its row is gone.
    await claim(models, row('welcome:ada/later/0', '2026-02-03T09:00:00Z'));
    await release(models, 'welcome:ada/later/0');

    const index = await memberIndexOf(models, 'ada');
    const newest = newestEntries(index?.deliveries, 10);
    expect(ids(newest)).toEqual(['welcome:ada/later/0', 'welcome:ada/tips/0', 'welcome:ada/hello/0']);
    const rows = await recordsOf(newest, (id) => models.deliveries.findById(id).lean().exec());
    expect(rows.map((found) => [found._id, found.status])).toEqual([
      ['welcome:ada/tips/0', 'skipped'],
      ['welcome:ada/hello/0', 'sent'],
    ]);
    // The console's delivery feed has each settled row once, in the order settled; the released claim never
    // settled.
    const feed = await models.deliveryFeed.find({}).lean().exec();
    expect(feed.map((entry) => [entry.key, entry.status, entry.error])).toEqual([
      ['welcome:ada/hello/0', 'sent', null],
      ['welcome:ada/tips/0', 'skipped', 'unsubscribed'],
    ]);
  });
});

describe('newestEntries', () => {
  it('keeps each record once, at its newest time, newest first, up to the limit', () => {
    const at = (iso: string) => new Date(iso);
    const entries = [
      { id: 'a', at: at('2026-01-01T00:00:00Z') },
      { id: 'b', at: at('2026-01-03T00:00:00Z') },
      { id: 'a', at: at('2026-01-04T00:00:00Z') },
      { id: 'c', at: at('2026-01-02T00:00:00Z') },
    ];
    expect(newestEntries(entries, 10)).toEqual([
      { id: 'a', at: at('2026-01-04T00:00:00Z') },
      { id: 'b', at: at('2026-01-03T00:00:00Z') },
      { id: 'c', at: at('2026-01-02T00:00:00Z') },
    ]);
    expect(ids(newestEntries(entries, 2))).toEqual(['a', 'b']);
    expect(newestEntries(undefined, 2)).toEqual([]);
  });
});

describe('the backfill', () => {
  it('enters records written straight to the database, and adds nothing when run again', async () => {
    await models.runs.create({
      _id: 'welcome:ada#0000000000',
      runKey: 'welcome:ada',
      sequence: 0,
      playbook: 'welcome',
      version: 'v1',
      memberId: 'ada',
      key: null,
      workflowId: 'welcome:ada',
      triggerId: 'member.approved@1',
      status: 'completed',
      startedAt: new Date('2026-01-01T00:00:00Z'),
      closedAt: new Date('2026-01-02T00:00:00Z'),
    });
    // A community playbook's run is about no member: it has no index.
    await models.runs.create({
      _id: 'digest@2026-W01#0000000000',
      runKey: 'digest@2026-W01',
      sequence: 0,
      playbook: 'digest',
      version: 'v1',
      memberId: null,
      key: '2026-W01',
      workflowId: 'digest@2026-W01',
      triggerId: 'schedule.fired@1',
      status: 'completed',
      startedAt: new Date('2026-01-05T00:00:00Z'),
      closedAt: null,
    });
    await models.deliveries.create({ ...row('welcome:ada/hello/0', '2026-01-01T09:00:00Z'), status: 'sent' });
    const rsvp = await models.rsvps.create({ eventId: 'run-1', memberId: 'ada', status: 'going' });
    const answer = await models.surveyResponses.create({
      eventId: 'run-1',
      memberId: 'ada',
      score: 7,
      respondedAt: new Date('2026-01-03T00:00:00Z'),
    });
    await models.activities.create({
      _id: 'active:ada:-:2026-01-04T00:00:00.000Z',
      memberId: 'ada',
      kind: 'active',
      at: new Date('2026-01-04T00:00:00Z'),
    });

    const result = { records: 5, members: 1, addresses: 1, applications: 0, joined: 0, words: 4 };
    expect(await backfillMemberIndex(models)).toEqual(result);
    expect(await backfillMemberIndex(models)).toEqual(result);
    expect(await models.memberEmails.findById('ada@example.org').lean().exec()).toMatchObject({
      memberId: 'ada',
    });

    expect(await models.memberIndex.countDocuments().exec()).toBe(1);
    const index = await memberIndexOf(models, 'ada');
    expect(ids(index?.runs)).toEqual(['welcome:ada#0000000000']);
    expect(ids(index?.deliveries)).toEqual(['welcome:ada/hello/0']);
    expect(ids(index?.rsvps)).toEqual([String(rsvp._id)]);
    expect(ids(index?.surveys)).toEqual([String(answer._id)]);
    expect(activitiesOf(index).map((activity) => activity.id)).toEqual([
      'active:ada:-:2026-01-04T00:00:00.000Z',
    ]);
    // An RSVP written without a time reads back as the oldest.
    expect(index?.rsvps[0]?.at.getTime()).toBe(0);
  });
});
