// The models on a real MongoDB-wire server (FerretDB in the suite): ensureIndexes builds every index the
// code relies on, twice without complaint, and each unique index refuses a duplicate with code 11000, the
// signal the ledger, the introductions and the run records use instead of transactions.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  createModels,
  ensureIndexes,
  isDuplicateKeyError,
  pairKey,
  runRecordId,
  type Models,
} from '../../db/index.js';
import { useTestDatabase } from '../support/mongo.js';

const db = useTestDatabase();
let models: Models;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
});

async function uniqueIndexKeys(collection: {
  collection: { indexes(): Promise<{ key: object; unique?: boolean }[]> };
}) {
  const indexes = await collection.collection.indexes();
  return indexes.filter((index) => index.unique === true).map((index) => index.key);
}

/** Inserts twice (`attempt` 0 then 1, for fields that may differ) and returns what the second insert threw. */
async function duplicateError(insert: (attempt: number) => Promise<unknown>): Promise<unknown> {
  await insert(0);
  try {
    await insert(1);
  } catch (error) {
    return error;
  }
  throw new Error('the second insert was accepted');
}

const now = new Date('2026-06-01T12:00:00Z');

describe('ensureIndexes', () => {
  it('builds the unique indexes the code relies on, and can run again', async () => {
    await ensureIndexes(models);
    expect(await uniqueIndexKeys(models.members)).toEqual([{ email: 1 }]);
    expect(await uniqueIndexKeys(models.rsvps)).toEqual([{ eventId: 1, memberId: 1 }]);
    expect(await uniqueIndexKeys(models.surveyResponses)).toEqual([{ memberId: 1, eventId: 1 }]);
    expect(await uniqueIndexKeys(models.introductions)).toEqual(
      expect.arrayContaining([{ pairKey: 1 }, { runId: 1, stepId: 1 }]),
    );
    expect(await uniqueIndexKeys(models.deliveries)).toEqual([{ key: 1 }]);
    expect(await uniqueIndexKeys(models.runs)).toEqual([{ runKey: 1, sequence: 1 }]);
    const deliveryIndexes = (await models.deliveries.collection.indexes()).map((index) => index.key);
    expect(deliveryIndexes).toContainEqual({ memberId: 1, claimedAt: 1 });
  });

  it('makes the delivery feed a capped collection, which keeps its entries in the order written', async () => {
    expect(await models.deliveryFeed.collection.isCapped()).toBe(true);
    const entry = (key: string) => ({
      key,
      status: 'sent' as const,
      memberId: 'm-1',
      to: ['m-1@example.org'],
      playbook: 'welcome',
      template: 'hello',
      error: null,
      at: now,
    });
    const keys = ['c', 'a', 'b', 'e', 'd'];
    for (const key of keys) await models.deliveryFeed.create(entry(key));
    const read = await models.deliveryFeed.find({}).lean().exec();
    expect(read.map((item) => item.key)).toEqual(keys);
  });
});

describe('unique keys answer with code 11000', () => {
  it.each<[string, (models: Models, attempt: number) => Promise<unknown>]>([
    [
      'members by email, whatever its case',
      (m, attempt) => m.members.create({ _id: `m${attempt}`, email: 'Ada@Example.org', status: 'active' }),
    ],
    [
      'one RSVP per member and event',
      (m) => m.rsvps.create({ eventId: 'e1', memberId: 'm1', status: 'going' }),
    ],
    [
      'one survey response per member and event',
      (m) => m.surveyResponses.create({ memberId: 'm1', eventId: 'e1', score: 9, respondedAt: now }),
    ],
    [
      'one introduction per pair, in either direction',
      (m, attempt) => {
        const [a, b] = attempt === 0 ? ['ada', 'bo'] : ['bo', 'ada'];
        return m.introductions.create({
          pairKey: pairKey(a, b),
          memberIds: [a, b],
          memberId: a,
          peerId: b,
          runId: `run:${a}`,
          stepId: 'intro',
          playbook: 'onboarding',
          createdAt: now,
        });
      },
    ],
    [
      'one ledger row per delivery key',
      (m) =>
        m.deliveries.create({
          key: 'run:onboarding:ada@0/welcome/0',
          status: 'claimed',
          memberId: 'ada',
          recipientKind: 'member',
          to: ['ada@example.org'],
          template: 'welcome',
          category: 'community',
          playbook: 'onboarding',
          version: 'v1',
          workflowId: 'run:onboarding:ada',
          stepId: 'welcome',
          claimedAt: now,
        }),
    ],
    [
      'one run record per run key and sequence',
      (m, attempt) =>
        m.runs.create({
          _id: runRecordId('onboarding:ada', 0),
          runKey: 'onboarding:ada',
          sequence: 0,
          playbook: 'onboarding',
          version: 'v1',
          memberId: 'ada',
          key: null,
          workflowId: 'run:onboarding:ada',
          triggerId: `evt-${attempt}`,
          status: 'running',
          startedAt: now,
        }),
    ],
  ])('%s', async (_what, insert) => {
    const error = await duplicateError((attempt) => insert(models, attempt));
    expect(isDuplicateKeyError(error)).toBe(true);
  });

  it('does not take other errors for duplicates', async () => {
    const error = await models.members
      .create({ _id: 'x', status: 'active' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(isDuplicateKeyError(error)).toBe(false);
  });
});

describe('members', () => {
  it('stores email lowercased and finds it by any case', async () => {
    await models.members.create({ _id: 'cy', email: '  Cy@Example.ORG ', status: 'active' });
    expect((await models.members.findById('cy').lean())?.email).toBe('cy@example.org');
    expect((await models.members.findOne({ email: 'CY@example.org' }).lean())?._id).toBe('cy');
  });

  it('writes only the fields it knows', async () => {
    const fromOutside: Record<string, unknown> = {
      _id: 'di',
      email: 'di@example.org',
      status: 'active',
      $where: '1',
    };
    await models.members.create(fromOutside);
    const stored = await models.members.findById('di').lean();
    expect(stored && Object.keys(stored).sort()).toEqual(['_id', 'email', 'status']);
  });
});
