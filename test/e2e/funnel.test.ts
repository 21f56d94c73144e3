// The funnel of playbooks/onboarding.yaml after real runs in the time-skipping server: three members who take
// different ways through it (the full journey with a nudge, an introduction and a check-in; a member with a
// bio and no peer who shows up in week one; a member who leaves on day 3). Every figure is stated from the
// playbook and the members' story, then checked against the records it sums: the delivery ledger, the run
// records and the journal itself.
import { describe, expect, it } from 'vitest';
import { playbookFunnel, type PlaybookFunnel, type StepFunnel } from '../../domain/journal/funnel.js';
import { DAY, HOUR, LONDON, nextMondayAt, SEND_LATENCY_MS } from './support/journeyTime.js';
import { useJourneyWorld } from './support/journeyWorld.js';

const world = useJourneyWorld();

function step(funnel: PlaybookFunnel, stepId: string): StepFunnel {
  const found = funnel.steps.find((row) => row.stepId === stepId);
  if (!found) throw new Error(`no row for ${stepId}`);
  return found;
}

const nothing = { total: 0, byReason: {} };

describe('the onboarding funnel', () => {
  it('counts every step of three different journeys exactly, as the ledger and the run records do', async () => {
    await world.models.members.create([
      {
        _id: 'f-ada',
        email: 'ada@example.org',
        firstName: 'Ada',
        status: 'applied',
        timezone: LONDON,
        interests: ['trail'],
      },
      { _id: 'f-ben', email: 'ben@example.org', firstName: 'Ben', status: 'active', interests: ['trail'] },
      {
        _id: 'f-cleo',
        email: 'cleo@example.org',
        firstName: 'Cleo',
        status: 'applied',
        interests: ['chess'],
        profile: { bio: 'Sunday long runs.' },
      },
      { _id: 'f-dan', email: 'dan@example.org', firstName: 'Dan', status: 'applied', interests: ['chess'] },
    ]);
    const plan = world.plan('onboarding');
    const start = nextMondayAt(await world.now(), 10);
    await world.sleepUntil(start);
    for (const memberId of ['f-ada', 'f-cleo', 'f-dan'])
      await world.ingest({ type: 'member.approved', memberId });

    // Day 1: all three wait in the two-day wait, and the funnel says so, with the wake-up.
    await world.sleepUntil(start + DAY);
    const early = await playbookFunnel(world.models, query(plan.version), await world.now());
    expect(step(early, 'welcome')).toMatchObject({ entered: 3, sent: 3 });
    const parked = step(early, 'steps.1').waiting;
    expect(parked.runs).toBe(3);
    const wake = Date.parse(parked.nextWakeAt ?? '');
    expect(wake).toBeGreaterThanOrEqual(start + 2 * DAY);
    expect(wake).toBeLessThan(start + 2 * DAY + SEND_LATENCY_MS);
    expect(early.runs).toMatchObject({ started: 3, inFlight: 3, completed: 0 });

    await world.sleepUntil(start + 3 * DAY);
    await world.ingest({ type: 'member.left', memberId: 'f-dan' });
    await world.sleepUntil(start + 6 * DAY);
    await world.ingest({ type: 'member.active', memberId: 'f-cleo' });
    await world.sleepUntil(start + 36 * DAY + HOUR);

    const funnel = await playbookFunnel(world.models, query(plan.version), await world.now());
    expect(funnel.runs).toEqual({
      started: 3,
      completed: 2,
      exited: 1,
      failed: 0,
      inFlight: 0,
      members: 3,
      reentries: 0,
    });
    expect(funnel.steps.map((row) => `${'  '.repeat(row.depth)}${row.stepId}`)).toEqual([
      'welcome',
      'steps.1',
      'profile-nudge',
      '  profile-nudge.then.0',
      'steps.3',
      'first-introduction',
      'first-week',
      '  first-week.on_timeout.0',
      'steps.6',
      'thirty-day-survey',
    ]);
    const counts = (stepId: string) => {
      const { entered, branches, sent, held, failed, exited, waiting } = step(funnel, stepId);
      return { entered, branches, sent, held: held.sends, failed, exited, waiting: waiting.runs };
    };
    const none = { branches: null, sent: 0, held: 0, failed: nothing, exited: nothing, waiting: 0 };
    expect(counts('welcome')).toEqual({ ...none, entered: 3, sent: 3 });
    expect(counts('steps.1')).toEqual({ ...none, entered: 3 });
    expect(counts('profile-nudge')).toEqual({ ...none, entered: 3, branches: { then: 2, else: 1 } });
    expect(counts('profile-nudge.then.0')).toEqual({ ...none, entered: 2, sent: 2 });
    expect(counts('steps.3')).toEqual({
      ...none,
      entered: 3,
      exited: { total: 1, byReason: { 'event member.left': 1 } },
    });
    // Ada is introduced to Ben (an email to each); nobody shares Cleo's interest.
    expect(counts('first-introduction')).toEqual({ ...none, entered: 2, sent: 2 });
    const introSkips = step(funnel, 'first-introduction').skipped;
    expect(introSkips.total).toBe(1);
    expect(Object.keys(introSkips.byReason)).toEqual([expect.stringMatching(/^nobody fits/)]);
    expect(counts('first-week')).toEqual({ ...none, entered: 2 });
    expect(counts('first-week.on_timeout.0')).toEqual({ ...none, entered: 1, sent: 1 });
    expect(counts('steps.6')).toEqual({ ...none, entered: 2 });
    expect(counts('thirty-day-survey')).toEqual({ ...none, entered: 2, sent: 2 });
    for (const row of funnel.steps)
      if (row.stepId !== 'first-introduction') expect(row.skipped).toEqual(nothing);

    // Every figure equals the records it sums.
    for (const row of funnel.steps) {
      const ledgerSent = await world.models.deliveries
        .countDocuments({ playbook: 'onboarding', version: plan.version, stepId: row.stepId, status: 'sent' })
        .exec();
      expect(row.sent, `sent at ${row.stepId}`).toBe(ledgerSent);
    }
    expect(funnel.runs.started).toBe(
      await world.models.runs.countDocuments({ playbook: 'onboarding' }).exec(),
    );
    const records = await world.models.runs.find({ playbook: 'onboarding' }).lean().exec();
    expect(records.map((record) => `${record.memberId}: ${record.status}`).sort()).toEqual([
      'f-ada: completed',
      'f-cleo: completed',
      'f-dan: exited',
    ]);
    // All versions sum the one version there is.
    const all = await playbookFunnel(
      world.models,
      { ...query(plan.version), version: null },
      await world.now(),
    );
    expect({ ...all, version: plan.version }).toEqual(funnel);

    // The journal holds each run's notes once, numbered 0..n-1 without a gap.
    const entries = await world.models.journal.find({ playbook: 'onboarding' }).lean().exec();
    const runs = [...new Set(entries.map((entry) => entry.workflowId))].sort();
    expect(runs).toEqual(['run:onboarding:f-ada', 'run:onboarding:f-cleo', 'run:onboarding:f-dan']);
    for (const run of runs) {
      const seqs = entries
        .filter((entry) => entry.workflowId === run)
        .map((entry) => entry.seq)
        .sort((a, b) => a - b);
      expect(seqs).toEqual(seqs.map((_, index) => index));
    }
  });
});

function query(version: string) {
  return { playbook: 'onboarding', version, from: null, to: null };
}
