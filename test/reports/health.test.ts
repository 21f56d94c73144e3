// The health report over a seeded community (support/seededCommunity.ts) on a real MongoDB-wire server
// (FerretDB in the suite), every figure worked out by hand below. Times are UTC; "day n" counts 24 hours
// from the moment of joining.

import { beforeAll, describe, expect, it } from 'vitest';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { backfillActivity } from '../../domain/memberActivity/backfill.js';
import { healthReport, type HealthReport } from '../../domain/reports/health/index.js';
import { useTestDatabase } from '../support/mongo.js';
import { NOW, seedCommunity } from './support/seededCommunity.js';

const db = useTestDatabase();
let models: Models;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  await seedCommunity(models);
});

/** Jan 5 12:00 to now: 161 days, exactly 23 weeks. */
const FROM = new Date('2026-01-05T12:00:00Z');
const report = (options: { zone: string; subgroup?: string }) =>
  healthReport(models, {
    from: FROM,
    to: NOW,
    now: NOW,
    subgroup: options.subgroup ?? null,
    zone: options.zone,
  });

const pending = { status: 'pending' } as const;
const measured = (retained: number, rate: number | null) => ({ status: 'measured', retained, rate }) as const;

describe('the whole community (cohorts in New York)', () => {
  let health: HealthReport;
  beforeAll(async () => {
    health = await report({ zone: 'America/New_York' });
  });

  it("retention: cohorts that retain, churn and are pending, by the zone's months", () => {
    expect(health.retention.cohorts).toEqual([
      // j1, j2, j4 active in days 1-30; j3 left on day 16. Days 61-90: j1 (Mar 20), j4 (Apr 15, left after day 90).
      { month: '2026-01', members: 4, day30: measured(3, 75), day90: measured(2, 50) },
      // f1 never active; f2 (Feb 28 23:00 in New York) active on day 6 and day 66.
      { month: '2026-02', members: 2, day30: measured(1, 50), day90: measured(1, 50) },
      // Day 90 of the month's last member (Mar 31) is Jun 29: pending, not 0%.
      { month: '2026-03', members: 2, day30: measured(2, 100), day90: pending },
      { month: '2026-04', members: 1, day30: measured(1, 100), day90: pending },
      { month: '2026-05', members: 1, day30: pending, day90: pending },
      { month: '2026-06', members: 1, day30: pending, day90: pending },
    ]);
    // Day 30 fell in the period for j1 j2 j3 j4 f1 f2 m1 m2 a1; all but j3 and f1 stayed: 7/9.
    expect(health.retention.day30).toEqual({ members: 9, retained: 7, rate: 78 });
    // Day 90 fell in it for j1 j2 j3 j4 f1 f2 m1 (Jun 3); j1 j4 f2 m1 were active in days 61-90: 4/7.
    expect(health.retention.day90).toEqual({ members: 7, retained: 4, rate: 57 });
  });

  it('attendance: per event and pooled, with the event nobody marked shown as not recorded', () => {
    expect(health.attendance.events).toEqual([
      // j1 came, j2 marked absent, j3 unmarked; j4's walk-in on a maybe does not count.
      {
        eventId: 'e1',
        title: 'January Social',
        endedAt: '2026-01-25T21:00:00.000Z',
        recorded: true,
        going: 3,
        attended: 1,
        rate: 33,
        noShowRate: 67,
      },
      {
        eventId: 'e6',
        title: 'February Quiz',
        endedAt: '2026-02-20T22:00:00.000Z',
        recorded: true,
        going: 1,
        attended: 1,
        rate: 100,
        noShowRate: 0,
      },
      {
        eventId: 'e2',
        title: 'March Run',
        endedAt: '2026-03-10T12:00:00.000Z',
        recorded: false,
        going: 2,
        attended: 0,
        rate: null,
        noShowRate: null,
      },
      {
        eventId: 'e3',
        title: 'May Picnic',
        endedAt: '2026-05-05T18:00:00.000Z',
        recorded: true,
        going: 3,
        attended: 1,
        rate: 33,
        noShowRate: 67,
      },
    ]);
    expect(health.attendance.pooled).toEqual({
      events: 3,
      notRecorded: 1,
      going: 7,
      attended: 3,
      rate: 43,
      noShowRate: 57,
    });
  });

  it('connections: over the 14-day windows that ended in the period, members and introductions', () => {
    expect(health.connections).toEqual({
      // Joined in the period: j1 j2 j3 j4 f1 f2 m1 m2 a1 y1 u1 = 11 (k1 joined in 2025).
      joined: 11,
      // First 14 days ended in the period (Jan 5 12:00 to Jun 15 12:00), joinedAt + 14 d:
      // j1 Jan 24, j2 Jan 29, j3 Feb 3, j4 Feb 15, f1 Feb 24, f2 Mar 15, m1 Mar 19, m2 Apr 14, a1 Apr 24,
      // y1 Jun 3 = 10. u1's ends Jun 24, after now: left out although already introduced.
      measured: 10,
      // Introduced within them: j1 and j2 (Jan 20), f2 and m1 (Mar 6), a1 (Apr 20) = 5; y1's introduction
      // (Jun 11) came after y1's window closed on Jun 3. 5/10 = 50%.
      introduced: 5,
      rate: 50,
      // All 4 made in the period. Windows (made + 14 d) ended in it: j1-j2 (Feb 3), f2-m1 (Mar 20),
      // a1-k1 (May 4) = 3; u1-y1's ends Jun 25. Took: f2-m1 only (m1 active Mar 20 10:00, f2 RSVP Mar 7);
      // after j1-j2 j2 did nothing, after a1-k1 neither did (a1's survey May 6 is after May 4). 1/3 = 33%.
      introductions: { made: 4, measured: 3, took: 1, rate: 33 },
    });
  });

  it('NPS: per event and pooled, with counts, the response rate and low confidence under 10', () => {
    expect(health.nps.pooled).toEqual({
      responses: 12,
      promoters: 7,
      passives: 2,
      detractors: 3,
      score: 33,
      lowConfidence: false,
      surveysSent: 16,
      responseRate: 75,
    });
    expect(health.nps.events).toEqual([
      {
        eventId: 'e3',
        title: 'May Picnic',
        responses: 10,
        promoters: 6,
        passives: 2,
        detractors: 2,
        score: 40,
        lowConfidence: false,
      },
      {
        eventId: 'e6',
        title: 'February Quiz',
        responses: 2,
        promoters: 1,
        passives: 0,
        detractors: 1,
        score: 0,
        lowConfidence: true,
      },
    ]);
  });

  it('at risk: active members quiet for 30 days, oldest first, with re-engagement in flight', () => {
    const quietSince = '2026-05-06T10:00:00.000Z';
    const entry = (memberId: string, joinedAt: string, lastActivityAt: string | null, inFlight = false) => ({
      memberId,
      name: `${memberId} Runner`,
      email: `${memberId}@example.org`,
      lastActivityAt,
      joinedAt,
      reEngagementInFlight: inFlight,
    });
    expect(health.atRisk).toEqual({
      days: 30,
      count: 7,
      members: [
        entry('f1', '2026-02-10T15:00:00.000Z', null),
        entry('a1', '2026-04-10T15:00:00.000Z', quietSince),
        entry('f2', '2026-03-01T04:00:00.000Z', quietSince),
        entry('j1', '2026-01-10T15:00:00.000Z', quietSince),
        entry('j2', '2026-01-15T15:00:00.000Z', quietSince, true),
        entry('k1', '2025-09-01T12:00:00.000Z', quietSince),
        entry('m1', '2026-03-05T15:00:00.000Z', quietSince),
      ],
    });
  });

  it('email pressure: per member per week, and unsubscribes per 1,000 sends by category', () => {
    // 10 active members received 1,2,2,2,2,2,2,3,3,4 emails over 23 weeks. The cap held j1's and f2's
    // emails in the period; j2's was held by quiet hours, k1's before the period.
    expect(health.emailPressure).toEqual({
      members: 10,
      sent: 28,
      perMemberPerWeek: { median: 0.1, p90: 0.1, max: 0.2 },
      heldByCap: 2,
      unsubscribes: [
        { category: 'transactional', sent: 0, unsubscribes: 0, per1000: null },
        { category: 'events', sent: 0, unsubscribes: 0, per1000: null },
        { category: 'community', sent: 12, unsubscribes: 1, per1000: 83.3 },
        { category: 'surveys', sent: 16, unsubscribes: 1, per1000: 62.5 },
      ],
    });
  });
});

describe('one subgroup (north: f2, m2, u1)', () => {
  it("computes every figure over the subgroup's members only", async () => {
    const north = await report({ zone: 'America/New_York', subgroup: 'north' });
    expect(north.period).toEqual({
      from: FROM.toISOString(),
      to: NOW.toISOString(),
      zone: 'America/New_York',
      subgroup: 'north',
      generatedAt: NOW.toISOString(),
    });
    expect(north.retention).toEqual({
      day30: { members: 2, retained: 2, rate: 100 },
      day90: { members: 1, retained: 1, rate: 100 },
      cohorts: [
        { month: '2026-01', members: 0, day30: measured(0, null), day90: measured(0, null) },
        { month: '2026-02', members: 1, day30: measured(1, 100), day90: measured(1, 100) },
        { month: '2026-03', members: 1, day30: measured(1, 100), day90: pending },
        { month: '2026-04', members: 0, day30: measured(0, null), day90: pending },
        { month: '2026-05', members: 0, day30: pending, day90: pending },
        { month: '2026-06', members: 1, day30: pending, day90: pending },
      ],
    });
    expect(north.attendance.pooled).toEqual({
      events: 3,
      notRecorded: 1,
      going: 1,
      attended: 1,
      rate: 100,
      noShowRate: 0,
    });
    expect(
      north.attendance.events.map((event) => [event.eventId, event.going, event.attended, event.rate]),
    ).toEqual([
      ['e1', 0, 0, null],
      ['e6', 0, 0, null],
      ['e2', 1, 0, null],
      ['e3', 1, 1, 100],
    ]);
    // f2 (window ended Mar 15, introduced Mar 6) and m2 (Apr 14, never introduced) matured; u1's window is
    // open (Jun 24): 1/2 = 50%. Introductions touching north: f2-m1 (ended Mar 20, took) and u1-y1 (open).
    expect(north.connections).toEqual({
      joined: 3,
      measured: 2,
      introduced: 1,
      rate: 50,
      introductions: { made: 2, measured: 1, took: 1, rate: 100 },
    });
    // Two responses: one promoter, one detractor: 0, low confidence, shown with its count.
    expect(north.nps).toEqual({
      pooled: {
        responses: 2,
        promoters: 1,
        passives: 0,
        detractors: 1,
        score: 0,
        lowConfidence: true,
        surveysSent: 2,
        responseRate: 100,
      },
      events: [
        {
          eventId: 'e3',
          title: 'May Picnic',
          responses: 2,
          promoters: 1,
          passives: 0,
          detractors: 1,
          score: 0,
          lowConfidence: true,
        },
      ],
    });
    expect(north.atRisk.members.map((member) => member.memberId)).toEqual(['f2']);
    expect(north.emailPressure).toMatchObject({
      members: 3,
      sent: 5,
      perMemberPerWeek: { median: 0.1, p90: 0.1, max: 0.1 },
      heldByCap: 1,
    });
    expect(north.emailPressure.unsubscribes.map((row) => row.per1000)).toEqual([null, null, 0, 0]);
  });
});

describe('time zones at month boundaries', () => {
  it("puts members who joined near midnight into the zone's month (London, in summer time from Mar 29)", async () => {
    const london = await report({ zone: 'Europe/London' });
    expect(london.retention.cohorts).toEqual([
      { month: '2026-01', members: 3, day30: measured(2, 67), day90: measured(1, 33) },
      // j4 (Feb 1 03:00) is February here, f2 (Mar 1 04:00) March, m2 (Mar 31 23:00 = Apr 1 00:00 BST) April.
      { month: '2026-02', members: 2, day30: measured(1, 50), day90: measured(1, 50) },
      { month: '2026-03', members: 2, day30: measured(2, 100), day90: pending },
      { month: '2026-04', members: 2, day30: measured(2, 100), day90: pending },
      { month: '2026-05', members: 1, day30: pending, day90: pending },
      { month: '2026-06', members: 1, day30: pending, day90: pending },
    ]);
    // The headline counts members by their own day 30 and 90, whatever the zone.
    expect(london.retention.day30).toEqual({ members: 9, retained: 7, rate: 78 });
    expect(london.retention.day90).toEqual({ members: 7, retained: 4, rate: 57 });
  });
});

describe('the backfill', () => {
  it('finds every activity the records hold already in the history, so the report does not change', async () => {
    const before = await models.activities.countDocuments();
    const reportBefore = await report({ zone: 'America/New_York' });
    const first = await backfillActivity(models);
    const second = await backfillActivity(models);
    expect(await models.activities.countDocuments()).toBe(before);
    expect(second).toEqual(first);
    expect(first.members).toBe(13);
    expect(await report({ zone: 'America/New_York' })).toEqual(reportBefore);
  });
});
