// playbooks/onboarding.yaml end to end, over its real 35 days: welcome, the profile nudge when there is no
// bio, an introduction to both sides when a peer shares an interest, the first-week check-in when the member
// did nothing, and the thirty-day survey. A second member who has a bio, has no peer and is active gets
// only the welcome and the survey, and the status query says why.
import { describe, expect, it } from 'vitest';
import { DAY, expectEmails, HOUR, LONDON, nextMondayAt, SEND_LATENCY_MS } from './support/journeyTime.js';
import { useJourneyWorld } from './support/journeyWorld.js';

const world = useJourneyWorld();
const CLUB = 'Riverside Running Club';

describe('onboarding', () => {
  it('welcomes, nudges, introduces, checks in and surveys a new member over 35 days', async () => {
    await world.models.members.create([
      {
        _id: 'm-ada',
        email: 'ada@example.org',
        name: 'Ada Lovelace',
        firstName: 'Ada',
        status: 'applied',
        timezone: LONDON,
        interests: ['trail', 'parkrun'],
      },
      { _id: 'm-ben', email: 'ben@example.org', firstName: 'Ben', status: 'active', interests: ['trail'] },
    ]);
    const start = nextMondayAt(await world.now(), 10);
    await world.sleepUntil(start);
    const { runsStarted } = await world.ingest({ type: 'member.approved', memberId: 'm-ada' });
    expect(runsStarted).toEqual(['run:onboarding:m-ada']);

    await world.sleepUntil(start + DAY);
    const waiting = await world.status('run:onboarding:m-ada');
    expect(waiting).toMatchObject({
      playbook: 'onboarding',
      version: world.plan('onboarding').version,
      memberId: 'm-ada',
      status: 'waiting',
      currentStep: 'steps.1',
    });
    expect(waiting.nextWakeAt).toBeGreaterThanOrEqual(start + 2 * DAY);
    expect(waiting.nextWakeAt).toBeLessThan(start + 2 * DAY + SEND_LATENCY_MS);
    expect(waiting.steps.map((step) => `${step.stepId}: ${step.outcome} (${step.detail})`)).toEqual([
      'welcome: sent (welcome to member)',
    ]);

    await world.sleepUntil(start + 36 * DAY);

    const introduced = start + 5 * DAY;
    expectEmails(await world.emailsTo('ada@example.org'), [
      { to: 'ada@example.org', subject: `Welcome to ${CLUB}`, at: start },
      { to: 'ada@example.org', subject: 'Tell the club a little about yourself', at: start + 2 * DAY },
      { to: 'ada@example.org', subject: `Introducing Ben from ${CLUB}`, at: introduced },
      { to: 'ada@example.org', subject: "How's your first week been?", at: introduced + 7 * DAY },
      { to: 'ada@example.org', subject: 'One month in – how are we doing?', at: introduced + 30 * DAY },
    ]);
    expectEmails(await world.emailsTo('ben@example.org'), [
      { to: 'ben@example.org', subject: `Introducing Ada from ${CLUB}`, at: introduced },
    ]);
    const introductions = await world.models.introductions.countDocuments().exec();
    expect(introductions).toBe(1);

    const state = await world.status('run:onboarding:m-ada');
    expect(state).toMatchObject({ playbook: 'onboarding', memberId: 'm-ada', status: 'completed' });
    expect(state.version).toBe(world.plan('onboarding').version);
    expect(state.steps.map((step) => `${step.stepId}: ${step.outcome}`)).toEqual([
      'welcome: sent',
      'steps.1: waited',
      'profile-nudge: branch-then',
      'profile-nudge.then.0: sent',
      'steps.3: waited',
      'first-introduction: introduced',
      'first-introduction: sent',
      'first-introduction: sent',
      'first-week: timeout',
      'first-week.on_timeout.0: sent',
      'steps.6: waited',
      'thirty-day-survey: sent',
    ]);
    await world.recordHistory('onboarding', 'run:onboarding:m-ada');
  });

  it('skips the nudge, the introduction and the check-in for an active member with a bio and no peer', async () => {
    await world.models.members.create({
      _id: 'm-cleo',
      email: 'cleo@example.org',
      firstName: 'Cleo',
      status: 'applied',
      interests: ['chess'],
      profile: { bio: 'Sunday long runs, slowly.' },
    });
    const start = nextMondayAt(await world.now(), 10);
    await world.sleepUntil(start);
    await world.ingest({ type: 'member.approved', memberId: 'm-cleo' });

    const active = start + 6 * DAY;
    await world.sleepUntil(active);
    await world.ingest({ type: 'member.active', memberId: 'm-cleo' });
    await world.sleepUntil(active + 24 * DAY);

    expectEmails(await world.emailsTo('cleo@example.org'), [
      { to: 'cleo@example.org', subject: `Welcome to ${CLUB}`, at: start },
      { to: 'cleo@example.org', subject: 'One month in – how are we doing?', at: active + 23 * DAY },
    ]);
    const { status, steps } = await world.status('run:onboarding:m-cleo');
    expect(status).toBe('completed');
    expect(steps.find((step) => step.stepId === 'profile-nudge')?.outcome).toBe('branch-else');
    expect(steps.find((step) => step.stepId === 'first-introduction')).toMatchObject({ outcome: 'skipped' });
    expect(steps.find((step) => step.stepId === 'first-week')).toMatchObject({
      outcome: 'event',
      detail: 'member.active arrived',
    });
    expect(steps.some((step) => step.at > active + HOUR && step.at < active + 23 * DAY)).toBe(false);
    await world.recordHistory('onboarding.active-member', 'run:onboarding:m-cleo');
  });
});
