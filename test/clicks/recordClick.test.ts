// Storing clicks on FerretDB: one row per request, copied from the delivery ledger's row of the email; a
// burst of different links of one email marks every click of the burst raw, the earlier ones too; a link to
// an email the ledger does not have is not counted against anything.

import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModels, ensureIndexes, type ClickDoc, type Models } from '../../db/index.js';
import { recordClick } from '../../domain/clicks/recordClick.js';
import { useTestDatabase } from '../support/mongo.js';

const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0';
const SENT = Date.parse('2026-06-10T13:00:00Z');
const RUN_START = Date.parse('2026-06-10T12:00:00Z');
const KEY = `run:news:ada@${RUN_START}/news/0`;

const db = useTestDatabase();
let models: Models;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  await models.deliveries.create({
    key: KEY,
    status: 'sent',
    memberId: 'ada',
    recipientKind: 'member',
    to: ['ada@example.org'],
    template: 'news',
    category: 'community',
    playbook: 'news',
    version: 'v1',
    workflowId: 'run:news:ada',
    stepId: 'news',
    messageId: '<x@riverside.example>',
    claimedAt: new Date(SENT - 100),
    sentAt: new Date(SENT),
    error: null,
  });
});

const at = (ms: number, url: string) =>
  recordClick(
    models,
    { delivery: KEY, memberId: 'ada', url },
    { method: 'GET', userAgent: BROWSER, at: SENT + ms, url },
  );

describe('recordClick', () => {
  it('stores each click with the email it came from, and a human one becomes email.clicked', async () => {
    const first = await at(60_000, 'https://riverside.example/runs');
    expect(first?.click).toMatchObject({
      delivery: KEY,
      memberId: 'ada',
      playbook: 'news',
      version: 'v1',
      stepId: 'news',
      template: 'news',
      workflowId: 'run:news:ada',
      runStartedAt: new Date(RUN_START),
      human: true,
      reason: null,
    });
    expect(first?.event).toEqual({
      type: 'email.clicked',
      id: `click:${first?.click._id}`,
      memberId: 'ada',
      occurredAt: new Date(SENT + 60_000).toISOString(),
      data: {
        url: 'https://riverside.example/runs',
        template: 'news',
        playbook: 'news',
        stepId: 'news',
        runId: 'run:news:ada',
        runStartedAt: new Date(RUN_START).toISOString(),
      },
    });
  });

  it('marks a burst of different links raw, the click before it too; the same link again stays human', async () => {
    const again = await at(61_000, 'https://riverside.example/runs');
    expect(again?.click.human).toBe(true);
    const burst = await at(62_000, 'https://riverside.example/map');
    expect(burst).toMatchObject({ click: { human: false, reason: 'several-links' }, event: null });
    const rows = await models.clicks.find({ delivery: KEY }).sort({ at: 1 }).lean<ClickDoc[]>().exec();
    expect(rows.map((row) => [row.at.getTime() - SENT, row.human, row.reason])).toEqual([
      [60_000, true, null],
      [61_000, false, 'several-links'],
      [62_000, false, 'several-links'],
    ]);
  });

  it('finds an email the ledger recorded before it was keyed on _id, by its key', async () => {
    const olderKey = `run:news:cy@${RUN_START}/news/0`;
    const row = await models.deliveries.findById(KEY).lean().exec();
    if (row === null) throw new Error('the seeded row is missing');
    await models.deliveries.collection.insertOne({
      ...row,
      _id: new Types.ObjectId(),
      key: olderKey,
      memberId: 'cy',
      workflowId: 'run:news:cy',
    });
    const click = await recordClick(
      models,
      { delivery: olderKey, memberId: 'cy', url: 'https://riverside.example/' },
      { method: 'GET', userAgent: BROWSER, at: SENT + 60_000, url: 'https://riverside.example/' },
    );
    expect(click?.click).toMatchObject({ delivery: olderKey, workflowId: 'run:news:cy', human: true });
  });

  it('counts nothing for an email the ledger does not have', async () => {
    const unknown = await recordClick(
      models,
      { delivery: 'run:news:bo@1/news/0', memberId: 'bo', url: 'https://riverside.example/' },
      { method: 'GET', userAgent: BROWSER, at: SENT, url: 'https://riverside.example/' },
    );
    expect(unknown).toBeNull();
    expect(await models.clicks.countDocuments({ memberId: 'bo' }).exec()).toBe(0);
  });
});
