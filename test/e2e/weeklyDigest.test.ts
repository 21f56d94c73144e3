// playbooks/weekly-digest.yaml end to end: a community playbook (a schedule without an audience). A firing on
// Monday 09:00 starts one run about no member, which reads `report` (the health report of the last 7 days
// beside the 7 before, the at-risk members, the coming week's events, the applications waiting) and sends it
// once to the managers of community.yaml. Every figure below is worked out by hand from the seeded records.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { playbookFunnel } from '../../domain/journal/funnel.js';
import type { fanOut } from '../../workflows/fanOut.js';
import { DAY, HOUR, expectEmails, nextMondayAt } from './support/journeyTime.js';
import { useJourneyWorld } from './support/journeyWorld.js';

const ORGANISERS = 'organisers@riverside.example';
const TREASURER = 'treasurer@riverside.example';
const shippedCommunity = await readFile('playbooks/community.yaml', 'utf8');
const world = useJourneyWorld({
  community: shippedCommunity.replace(`managers: [${ORGANISERS}]`, `managers: [${ORGANISERS}, ${TREASURER}]`),
});

/**
 * The community on Monday `start` (W: the 7 days before it, P: the 7 days before W):
 * - 30-day retention: Ann and Bob reach day 30 in W, only Ann was active in days 1-30 (50%); Cat reaches it
 *   in P and was active (100%). Nobody reaches day 90 in either week (not enough data).
 * - Attendance: the W event had 4 going, 3 attended (75%); the P event 2 going, 1 attended (50%).
 * - Connection rate, over the members whose first 14 days ended in the week: in W, Max (joined 18 days ago,
 *   introduced on day 3, before W began) and Fay (joined 16 days ago, never introduced): 1 of 2, 50%; in P,
 *   Gus (joined 25 days ago, introduced on day 3): 1 of 1, 100%. Dan joined in W and was introduced the next
 *   day, but his 14 days are still open: counted in neither week (he alone made W read 100% before).
 * - NPS: W has 10, 9 and 6 (2 promoters, 1 detractor of 3: 33); P has 10 and 3 (0).
 * - At risk: Cat (last seen 35 days ago) and Bob (joined 34 days ago, never seen), oldest first.
 * - Coming up: the 10k in 2 days (2 going, a cancelled RSVP not counted), the quiz in 5 days (1 going); the
 *   relay in 10 days is beyond the week.
 * - Waiting: Kay and an applicant who gave no name.
 */
async function seedCommunity(start: number): Promise<void> {
  const ago = (days: number) => new Date(start - days * DAY);
  const { members, events, rsvps, surveyResponses, introductions } = world.models;
  const regular = { status: 'active' as const, joinedAt: ago(400), lastActiveAt: ago(1) };
  await members.create([
    {
      _id: 'm-ann',
      email: 'ann@example.org',
      name: 'Ann Avery',
      status: 'active',
      joinedAt: ago(33),
      lastActiveAt: ago(20),
    },
    { _id: 'm-bob', email: 'bob@example.org', name: 'Bob Byrne', status: 'active', joinedAt: ago(34) },
    {
      _id: 'm-cat',
      email: 'cat@example.org',
      name: 'Cat Cole',
      status: 'active',
      joinedAt: ago(40),
      lastActiveAt: ago(35),
    },
    {
      _id: 'm-dan',
      email: 'dan@example.org',
      name: 'Dan Dale',
      status: 'active',
      joinedAt: ago(5),
      lastActiveAt: ago(1),
    },
    {
      _id: 'm-fay',
      email: 'fay@example.org',
      name: 'Fay Ford',
      status: 'active',
      joinedAt: ago(16),
      lastActiveAt: ago(1),
    },
    {
      _id: 'm-gus',
      email: 'gus@example.org',
      name: 'Gus Gray',
      status: 'active',
      joinedAt: ago(25),
      lastActiveAt: ago(1),
    },
    {
      _id: 'm-max',
      email: 'max@example.org',
      name: 'Max Moss',
      status: 'active',
      joinedAt: ago(18),
      lastActiveAt: ago(1),
    },
    { _id: 'm-eve', email: 'eve@example.org', name: 'Eve Ellis', ...regular },
    { _id: 'm-hal', email: 'hal@example.org', name: 'Hal Hart', ...regular },
    { _id: 'm-ivy', email: 'ivy@example.org', name: 'Ivy Irwin', ...regular },
    { _id: 'm-jo', email: 'jo@example.org', name: 'Jo James', ...regular },
    { _id: 'm-kay', email: 'kay@example.org', name: 'Kay Park', status: 'applied' },
    { _id: 'm-lee', email: 'lee@example.org', status: 'applied' },
  ]);
  const published = (id: string, title: string, startsAt: number) => ({
    _id: id,
    title,
    status: 'published' as const,
    startsAt: new Date(startsAt),
    endsAt: new Date(startsAt + 2 * HOUR),
  });
  await events.create([
    published('ev-week', 'Hill repeats', start - 3 * DAY),
    published('ev-before', 'Track night', start - 10 * DAY),
    published('ev-10k', 'Riverside 10k', start + 2 * DAY),
    published('ev-quiz', 'Pub quiz', start + 5 * DAY),
    published('ev-relay', 'Relay', start + 10 * DAY),
  ]);
  const rsvp = (eventId: string, memberId: string, status: 'going' | 'cancelled', attended?: boolean) => ({
    eventId,
    memberId,
    status,
    ...(attended === undefined ? {} : { attended }),
  });
  await rsvps.create([
    rsvp('ev-week', 'm-eve', 'going', true),
    rsvp('ev-week', 'm-hal', 'going', true),
    rsvp('ev-week', 'm-ivy', 'going', true),
    rsvp('ev-week', 'm-jo', 'going', false),
    rsvp('ev-before', 'm-eve', 'going', true),
    rsvp('ev-before', 'm-hal', 'going', false),
    rsvp('ev-10k', 'm-ann', 'going'),
    rsvp('ev-10k', 'm-eve', 'going'),
    rsvp('ev-10k', 'm-hal', 'cancelled'),
    rsvp('ev-quiz', 'm-ivy', 'going'),
  ]);
  const response = (memberId: string, eventId: string, score: number, days: number) => ({
    memberId,
    eventId,
    score,
    respondedAt: ago(days),
  });
  await surveyResponses.create([
    response('m-eve', 'ev-week', 10, 2),
    response('m-hal', 'ev-week', 9, 2),
    response('m-ivy', 'ev-week', 6, 2),
    response('m-eve', 'ev-before', 10, 9),
    response('m-jo', 'ev-before', 3, 9),
  ]);
  const introduction = (memberId: string, peerId: string, days: number) => ({
    pairKey: `${memberId}|${peerId}`,
    memberIds: [memberId, peerId],
    memberId,
    peerId,
    runId: `run:onboarding:${memberId}`,
    stepId: 'first-introduction',
    playbook: 'onboarding',
    createdAt: ago(days),
  });
  await introductions.create([
    introduction('m-dan', 'm-eve', 4),
    introduction('m-max', 'm-ivy', 15),
    introduction('m-gus', 'm-hal', 22),
  ]);
}

describe('weekly digest', () => {
  it("sends the managers the week's four numbers with their change, who is at risk, what is coming and who waits, once", async () => {
    const start = nextMondayAt(await world.now(), 9);
    await seedCommunity(start);
    await world.sleepUntil(start);

    const fanOutId = await world.fireSchedule('weekly-digest');
    const firing = world.env.client.workflow.getHandle<typeof fanOut>(fanOutId);
    expect(await firing.result()).toEqual({ started: 1, duplicate: 0, 'not-eligible': 0 });
    // The firing's time, as Temporal appends it to the fan-out's id, names the run.
    const firedAt = fanOutId.slice('fanout:weekly-digest-'.length);
    const runId = `run:weekly-digest@${firedAt}`;
    expect(await world.outcome(runId)).toMatchObject({ kind: 'completed' });

    for (const manager of [ORGANISERS, TREASURER]) {
      expectEmails(await world.emailsTo(manager), [
        { to: `${ORGANISERS}, ${TREASURER}`, subject: 'Your week at Riverside Running Club', at: start },
      ]);
    }
    // The text part, one table cell or list item a line.
    const text = world.mailbox.messages()[0]?.text ?? '';
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const section = (from: string, to: string) => lines.slice(lines.indexOf(from) + 1, lines.indexOf(to));
    // Each figure's row: this week, the week before, the change.
    expect(section('Change (points)', 'Members to check on')).toEqual([
      ...['Still here after 30 days', '50%', '100%', '-50'],
      ...['Still here after 90 days', 'not enough data', '–', '–'],
      ...['Came to events they said yes to', '75%', '50%', '25'],
      ...['New members introduced to someone', '50%', '100%', '-50'],
      ...['Net Promoter Score', '33', '0', '33'],
    ]);
    expect(section('Members to check on', 'Coming up this week').slice(-2)).toEqual([
      ' * Cat Cole <cat@example.org>, last seen Monday 2 November',
      ' * Bob Byrne <bob@example.org>, not seen yet',
    ]);
    expect(section('Coming up this week', 'Waiting to join')).toEqual([
      ' * Riverside 10k, Wednesday 9 December at 09:00: 2 going',
      ' * Pub quiz, Saturday 12 December at 09:00: 1 going',
    ]);
    expect(
      section('Waiting to join', lines.find((line) => line.startsWith('Thank you')) ?? '').slice(-2),
    ).toEqual([' * Kay Park <kay@example.org>', ' * (no name given) <lee@example.org>']);

    // The same firing's fan-out started again (a retried schedule action) finds the run: nothing twice.
    const again = await world.fireSchedule('weekly-digest', firedAt);
    expect(await world.env.client.workflow.getHandle<typeof fanOut>(again).result()).toEqual({
      started: 0,
      duplicate: 1,
      'not-eligible': 0,
    });
    await world.sleepUntil(start + DAY);
    expect(world.mailbox.messages()).toHaveLength(1);

    // The ledger, the run record and the funnel hold the run about no member.
    expect(await world.models.deliveries.find({ playbook: 'weekly-digest' }).lean().exec()).toMatchObject([
      {
        memberId: null,
        recipientKind: 'manager',
        to: [ORGANISERS, TREASURER],
        status: 'sent',
        stepId: 'digest',
        workflowId: runId,
      },
    ]);
    expect(await world.models.runs.find({ playbook: 'weekly-digest' }).lean().exec()).toMatchObject([
      { workflowId: runId, memberId: null, key: firedAt, status: 'completed' },
    ]);
    const funnel = await playbookFunnel(
      world.models,
      { playbook: 'weekly-digest', version: null, from: null, to: null },
      await world.now(),
    );
    expect(funnel.runs).toEqual({
      started: 1,
      completed: 1,
      exited: 0,
      failed: 0,
      inFlight: 0,
      members: 0,
      reentries: 0,
    });
    expect(funnel.steps.find((step) => step.stepId === 'digest')).toMatchObject({ entered: 1, sent: 1 });
    await world.recordHistory('weekly-digest', runId);
  });
});
