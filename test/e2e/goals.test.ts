// Goals on real runs in the time-skipping server: a playbook whose goal is `member.active` within 30 days,
// `exit: true`, over a two-week run. A member active on day 20 converts a run that ended on day 14; a member
// active on day 3 converts and ends their waiting run with the reason `goal`; a member never active does not
// convert, and counts in the rate once the window has closed.
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../compiler/plan.js';
import { playbookFunnel } from '../../domain/journal/funnel.js';
import { storePlan } from '../worker/support/storePlan.js';
import { DAY, MINUTE, nextMondayAt } from './support/journeyTime.js';
import { useJourneyWorld } from './support/journeyWorld.js';

const world = useJourneyWorld();

function fortnightPlan(): Plan {
  const onboarding = world.plan('onboarding');
  const welcome = onboarding.steps.find((step) => step.id === 'welcome');
  if (!welcome) throw new Error('onboarding has no welcome step');
  return {
    ...onboarding,
    id: 'first-fortnight',
    name: 'First fortnight',
    version: '0f0f0f0f0f0f0f0f',
    exit: { events: [], conditions: [] },
    on: {},
    steps: [welcome, { kind: 'wait', id: 'fortnight', authoredId: true, ms: 14 * DAY }],
    goal: { name: 'Came back', event: 'member.active', condition: null, withinMs: 30 * DAY, exit: true },
  };
}

describe('goals', () => {
  it('converts a finished run on day 20, ends a waiting run with exit: true, and reports the rate', async () => {
    const plan = fortnightPlan();
    await storePlan(world.models, plan);
    for (const id of ['g-late', 'g-early', 'g-never'])
      await world.models.members.create({
        _id: id,
        email: `${id}@example.org`,
        firstName: id,
        status: 'applied',
      });
    const start = nextMondayAt(await world.now(), 10);
    await world.sleepUntil(start);
    for (const memberId of ['g-late', 'g-early', 'g-never'])
      await world.ingest({ type: 'member.approved', memberId });

    await world.sleepUntil(start + 3 * DAY);
    await world.ingest({ type: 'member.active', memberId: 'g-early' });
    const early = await world.outcome('run:first-fortnight:g-early');
    expect(early).toMatchObject({ kind: 'exited', reason: 'goal' });

    await world.sleepUntil(start + 20 * DAY);
    expect((await world.status('run:first-fortnight:g-late')).status).toBe('completed');
    await world.ingest({ type: 'member.active', memberId: 'g-late' });
    // The same goal event again converts nothing more: a run converts once.
    await world.sleepUntil(start + 21 * DAY);
    await world.ingest({ type: 'member.active', memberId: 'g-late' });

    await world.sleepUntil(start + 31 * DAY);
    const funnel = await playbookFunnel(
      world.models,
      { playbook: plan.id, version: plan.version, from: null, to: null },
      await world.now(),
    );
    expect(funnel.runs).toMatchObject({ started: 3, completed: 2, exited: 1, inFlight: 0 });
    const fortnight = funnel.steps.find((row) => row.stepId === 'fortnight');
    expect(fortnight?.exited).toEqual({ total: 1, byReason: { goal: 1 } });
    expect(fortnight?.entered).toBe(3);
    const goal = funnel.goal;
    expect(goal).toMatchObject({
      name: 'Came back',
      event: 'member.active',
      conversions: 2,
      decided: 3,
      lastEmail: [{ stepId: 'welcome', template: 'welcome', conversions: 2 }],
    });
    expect(goal?.rate).toBeCloseTo(2 / 3, 10);
    // Converted 3 and 20 days after their starts: the median is 11.5 days (each start a moment after `start`).
    expect(goal?.medianTimeToConvertMs).toBeGreaterThan(11.5 * DAY - MINUTE);
    expect(goal?.medianTimeToConvertMs).toBeLessThanOrEqual(11.5 * DAY);
    const conversions = await world.models.journal
      .find({ playbook: plan.id, kind: 'converted' })
      .lean()
      .exec();
    expect(conversions.map((entry) => entry.memberId).sort()).toEqual(['g-early', 'g-late']);
  });
});
