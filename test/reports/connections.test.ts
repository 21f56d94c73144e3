// The connection figures count a 14-day window once it has ended in the period (and by now), like retention's
// headline: a member or an introduction still inside its window is in neither numerator nor denominator,
// and a window that ends in the period counts although it began before it. A small community on a real
// MongoDB-wire server (FerretDB in the suite), every figure worked out by hand. Times are UTC.
//
// NOW is Monday Jun 15 12:00. The digest's week W is [Jun 8 12:00, Jun 15 12:00), the week before P is
// [Jun 1 12:00, Jun 8 12:00). A member's window is [joinedAt, joinedAt + 14 d], an introduction's
// (made, made + 14 d].
//
// Members (joined; window ends):
//   q1, q2  2025-01-01              long-standing peers
//   o1      May 20 12:00; Jun  3 12:00 (in P)  introduced May 22 (to q1)
//   p1      May 26 12:00; Jun  9 12:00 (in W)  introduced May 28 (to q1), before W began
//   p2      May 30 12:00; Jun 13 12:00 (in W)  introduced Jun 14 (to n1): after the window, so not in it
//   n1      Jun 10 12:00; Jun 24 12:00 (open)  introduced Jun 14 (to p2)
//   n2      Jun 12 12:00; Jun 26 12:00 (open)  never introduced
// Introductions (made; window ends; who was active within it):
//   o1-q1  May 22 12:00; Jun  5 12:00 (in P)   o1 May 23, q1 not (Jun 6 is after): did not take
//   p1-q1  May 28 12:00; Jun 11 12:00 (in W)   p1 Jun 1, q1 Jun 6: took
//   q1-q2  May 30 12:00; Jun 13 12:00 (in W)   q1 Jun 6, q2 never: did not take
//   p2-n1  Jun 14 12:00; Jun 28 12:00 (open)   both Jun 14 13:00: took already, but still open

import { beforeAll, describe, expect, it } from 'vitest';
import type { RoutedEvent } from '../../compiler/events.js';
import { createModels, ensureIndexes, pairKey, type Models } from '../../db/index.js';
import { applyEvent } from '../../domain/events/applyEvent.js';
import { createMongoRecordStore } from '../../domain/records/mongoRecordStore.js';
import { digestReport } from '../../domain/reports/digest/digestReport.js';
import { healthReport } from '../../domain/reports/health/index.js';
import { member } from '../activities/fixtures.js';
import { useTestDatabase } from '../support/mongo.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const at = (iso: string) => new Date(iso);

const db = useTestDatabase();
let models: Models;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  await models.members.create([
    member('q1', { joinedAt: at('2025-01-01T12:00:00Z') }),
    member('q2', { joinedAt: at('2025-01-01T12:00:00Z') }),
    member('o1', { joinedAt: at('2026-05-20T12:00:00Z') }),
    member('p1', { joinedAt: at('2026-05-26T12:00:00Z') }),
    member('p2', { joinedAt: at('2026-05-30T12:00:00Z') }),
    member('n1', { joinedAt: at('2026-06-10T12:00:00Z') }),
    member('n2', { joinedAt: at('2026-06-12T12:00:00Z') }),
  ]);
  const intro = (a: string, b: string, createdAt: string) => ({
    pairKey: pairKey(a, b),
    memberIds: [a, b],
    memberId: a,
    peerId: b,
    runId: `run:onboarding:${a}`,
    stepId: 'introduce',
    playbook: 'onboarding',
    createdAt: at(createdAt),
  });
  await models.introductions.create([
    intro('o1', 'q1', '2026-05-22T12:00:00Z'),
    intro('p1', 'q1', '2026-05-28T12:00:00Z'),
    intro('q1', 'q2', '2026-05-30T12:00:00Z'),
    intro('p2', 'n1', '2026-06-14T12:00:00Z'),
  ]);
  const active = (memberId: string, occurredAt: string): RoutedEvent => ({
    id: `active-${memberId}-${occurredAt}`,
    type: 'member.active',
    memberId,
    eventId: null,
    data: {},
    occurredAt,
  });
  for (const event of [
    active('o1', '2026-05-23T12:00:00Z'),
    active('p1', '2026-06-01T12:00:00Z'),
    active('q1', '2026-06-06T12:00:00Z'),
    active('p2', '2026-06-14T13:00:00Z'),
    active('n1', '2026-06-14T13:00:00Z'),
  ]) {
    await applyEvent(createMongoRecordStore(models), event);
  }
});

const connectionsOver = async (from: string, to: Date = NOW) =>
  (await healthReport(models, { from: at(from), to, now: NOW, subgroup: null, zone: 'UTC' })).connections;

describe('connections over the windows that ended in the period', () => {
  it("the digest's week W: two matured members, one introduced, is 50%, not 100%", async () => {
    expect(await connectionsOver('2026-06-08T12:00:00Z')).toEqual({
      // n1 and n2 joined in W, but both are still inside their 14 days: counted in neither figure.
      joined: 2,
      // p1 and p2 joined before W; their windows ended in it (Jun 9, Jun 13).
      measured: 2,
      // p1 was introduced on day 2 (May 28, before W began); p2's introduction came a day after the window.
      introduced: 1,
      rate: 50,
      introductions: {
        // p2-n1 was made in W; its window is open, so it is no part of the rate although both were active.
        made: 1,
        // p1-q1 (took) and q1-q2 (q2 never active) ended in W: 1/2.
        measured: 2,
        took: 1,
        rate: 50,
      },
    });
  });

  it('the week before, P: o1 matured and was introduced; o1-q1 ended without taking', async () => {
    expect(await connectionsOver('2026-06-01T12:00:00Z', at('2026-06-08T12:00:00Z'))).toEqual({
      // Nobody joined in P; o1 (joined May 20) is the one whose window ended in it (Jun 3): 1/1.
      joined: 0,
      measured: 1,
      introduced: 1,
      rate: 100,
      // None made in P; o1-q1's window ended Jun 5 and q1 was first active Jun 6: 0/1.
      introductions: { made: 0, measured: 1, took: 0, rate: 0 },
    });
  });

  it('four weeks: every matured window once, the open ones still left out', async () => {
    expect(await connectionsOver('2026-05-18T12:00:00Z')).toEqual({
      // o1 p1 p2 n1 n2 joined; o1 p1 p2 matured; o1 and p1 were introduced in time: 2/3.
      joined: 5,
      measured: 3,
      introduced: 2,
      rate: 67,
      // All four made in the period; o1-q1, p1-q1, q1-q2 ended in it, only p1-q1 took: 1/3.
      introductions: { made: 4, measured: 3, took: 1, rate: 33 },
    });
  });

  it("the digest shows W's rate beside P's", async () => {
    const digest = await digestReport(models, { now: NOW, zone: 'UTC' });
    expect(digest.figures.connection_rate).toEqual({ value: 50, previous: 100, change: -50 });
  });
});
