// The waiting applications (db/applications.ts) on a real MongoDB-wire server: applying lists a member,
// approving or declining unlists them, a member the platform moved on is left out (and removed) when read,
// and the backfill lists the applicants the platform wrote.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TendEvent } from '../../compiler/events.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { applyEvent, prepareEvent } from '../../domain/events/applyEvent.js';
import type { RecordStore } from '../../domain/records/recordStore.js';
import { backfillMemberIndex } from '../../domain/memberIndex/backfill.js';
import { waitingApplications } from '../../domain/members/applications.js';
import { newestMembers } from '../../domain/members/newestMembers.js';
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
  await Promise.all([
    models.members.deleteMany({}).exec(),
    models.memberEmails.deleteMany({}).exec(),
    models.applications.deleteMany({}).exec(),
    models.joinFeed.deleteMany({}).exec(),
  ]);
});

const event = (type: string, email: string, occurredAt: string) =>
  ({ id: `${type}:${email}`, type, email, occurredAt }) as TendEvent & { id: string };

/** As ingestion does it: the member found (or created) by address, then the event applied. */
async function ingest(store: RecordStore, tendEvent: TendEvent & { id: string }): Promise<void> {
  const { event: prepared } = await prepareEvent(store, {
    event: tendEvent,
    hash: 'h',
    receivedAt: tendEvent.occurredAt ?? '',
  });
  await applyEvent(store, prepared);
}

const waiting = async () => {
  const { applicants, count } = await waitingApplications(models, 10);
  return { emails: applicants.map(({ member: applicant }) => applicant.email), count };
};

describe('waiting applications', () => {
  it('lists applicants in the order they applied, and unlists them once decided', async () => {
    const store = createMongoRecordStore(models);
    // Applied in this order (the events' own times do not date an application: member.applied sets no
    // joinedAt), a few milliseconds apart so that the times differ.
    for (const [email, at] of [
      ['cy@example.org', '2026-03-02T10:00:00Z'],
      ['bo@example.org', '2026-03-01T10:00:00Z'],
      ['al@example.org', '2026-03-03T10:00:00Z'],
    ] as const) {
      await ingest(store, event('member.applied', email, at));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await waiting()).toEqual({
      emails: ['cy@example.org', 'bo@example.org', 'al@example.org'],
      count: 3,
    });

    await ingest(store, event('member.approved', 'bo@example.org', '2026-03-04T10:00:00Z'));
    await ingest(store, event('member.declined', 'al@example.org', '2026-03-04T10:00:00Z'));
    expect(await waiting()).toEqual({ emails: ['cy@example.org'], count: 1 });
    expect(await models.applications.countDocuments().exec()).toBe(1);
  });

  it('leaves out, and removes, an applicant the platform approved itself', async () => {
    const store = createMongoRecordStore(models);
    await ingest(store, event('member.applied', 'cy@example.org', '2026-03-02T10:00:00Z'));
    await models.members.updateOne({ email: 'cy@example.org' }, { $set: { status: 'active' } }).exec();
    expect(await waiting()).toEqual({ emails: [], count: 0 });
    expect(await models.applications.countDocuments().exec()).toBe(0);
  });

  it('lists, by the backfill, applicants the platform wrote', async () => {
    await models.members.create(
      member('dee', { status: 'applied', joinedAt: new Date('2026-03-01T00:00:00Z') }),
    );
    await models.members.create(member('eve', { status: 'active' }));
    expect(await waiting()).toEqual({ emails: [], count: 0 });
    expect((await backfillMemberIndex(models)).applications).toBe(1);
    expect(await waiting()).toEqual({ emails: ['dee@example.org'], count: 1 });
  });
});

describe('the members who joined last', () => {
  const joined = async () => (await newestMembers(models, 10)).map((found) => found.email);

  it('are those approved, the latest first; approving again moves nobody', async () => {
    const store = createMongoRecordStore(models);
    for (const email of ['al@example.org', 'bo@example.org', 'cy@example.org'])
      await ingest(store, event('member.applied', email, '2026-03-01T10:00:00Z'));
    await ingest(store, event('member.approved', 'bo@example.org', '2026-03-02T10:00:00Z'));
    await ingest(store, event('member.approved', 'al@example.org', '2026-03-03T10:00:00Z'));
    expect(await joined()).toEqual(['al@example.org', 'bo@example.org']);
    // A second approval of Bo, later: joinedAt stays the first, so Bo stays behind Al.
    await ingest(store, {
      ...event('member.approved', 'bo@example.org', '2026-03-04T10:00:00Z'),
      id: 'member.approved:bo@example.org:again',
    });
    expect(await joined()).toEqual(['al@example.org', 'bo@example.org']);
  });

  it('leave out a member whose joinedAt the platform moved, and include by the backfill those it wrote', async () => {
    const store = createMongoRecordStore(models);
    await ingest(store, event('member.applied', 'al@example.org', '2026-03-01T10:00:00Z'));
    await ingest(store, event('member.approved', 'al@example.org', '2026-03-03T10:00:00Z'));
    await models.members.create(
      member('dee', { status: 'active', joinedAt: new Date('2026-03-05T00:00:00Z') }),
    );
    expect(await joined()).toEqual(['al@example.org']);
    await backfillMemberIndex(models);
    expect(await joined()).toEqual(['dee@example.org', 'al@example.org']);
    await models.members
      .updateOne({ email: 'al@example.org' }, { $set: { joinedAt: new Date('2026-01-01T00:00:00Z') } })
      .exec();
    expect(await joined()).toEqual(['dee@example.org']);
  });
});
