// community.yaml's delivery rules in real runs: quiet hours hold a send to the member's morning, the
// frequency cap holds a fourth email in 7 days until its window opens, and an unsubscribed category is
// skipped with its reason. The status query shows each decision while it is in force.
import { describe, expect, it } from 'vitest';
import { atLocalTime, DAY, expectEmails, HOUR, LONDON, nextMondayAt } from './support/journeyTime.js';
import { useJourneyWorld } from './support/journeyWorld.js';

const world = useJourneyWorld();
const CLUB = 'Riverside Running Club';
const NEW_YORK = 'America/New_York';

describe('delivery policy', () => {
  it('holds a 22:00 send to a member in quiet hours until 08:00 their time', async () => {
    await world.models.members.create({
      _id: 'm-nia',
      email: 'nia@example.org',
      status: 'applied',
      timezone: NEW_YORK,
      profile: { bio: 'Track Tuesdays.' },
    });
    const evening = atLocalTime(nextMondayAt(await world.now(), 10, NEW_YORK), '22:00', NEW_YORK);
    const morning = atLocalTime(evening + DAY, '08:00', NEW_YORK);
    await world.sleepUntil(evening);
    await world.ingest({ type: 'member.approved', memberId: 'm-nia' });

    await world.sleepUntil(evening + HOUR);
    const held = await world.status('run:onboarding:m-nia');
    expect(held).toMatchObject({ status: 'waiting', currentStep: 'welcome', nextWakeAt: morning });
    expect(held.steps.at(-1)).toMatchObject({
      stepId: 'welcome',
      outcome: 'held',
      detail: `welcome to member: quiet hours until ${new Date(morning).toISOString()}`,
    });
    expect(await world.emailsTo('nia@example.org')).toEqual([]);

    await world.sleepUntil(morning + HOUR);
    expectEmails(
      await world.emailsTo('nia@example.org'),
      [{ to: 'nia@example.org', subject: `Welcome to ${CLUB}`, at: morning }],
      NEW_YORK,
    );
    expect(await world.cancel('run:onboarding:m-nia')).toMatchObject({ kind: 'exited', reason: 'cancelled' });
    await world.recordHistory('onboarding.quiet-hours', 'run:onboarding:m-nia');
  });

  it('holds a fourth email in 7 days until the oldest leaves the window, then sends it', async () => {
    const start = nextMondayAt(await world.now(), 10);
    await world.models.members.create([
      {
        _id: 'm-oli',
        email: 'oli@example.org',
        firstName: 'Oli',
        status: 'applied',
        timezone: LONDON,
        interests: ['hills'],
        lastActiveAt: new Date(start - 40 * DAY),
      },
      { _id: 'm-pia', email: 'pia@example.org', firstName: 'Pia', status: 'active', interests: ['hills'] },
    ]);
    await world.sleepUntil(start);
    await world.ingest({ type: 'member.approved', memberId: 'm-oli' });
    // A second playbook writes to the same member: the cap counts email across all playbooks.
    await world.sleepUntil(start + DAY);
    await world.fireSchedule('re-engagement');

    await world.sleepUntil(start + 6 * DAY);
    const [welcome] = await world.emailsTo('oli@example.org');
    const windowOpens = (welcome?.at ?? Number.NaN) + 7 * DAY;
    const held = await world.status('run:onboarding:m-oli');
    expect(held).toMatchObject({
      status: 'waiting',
      currentStep: 'first-introduction',
      nextWakeAt: windowOpens,
    });
    expect(held.steps.at(-1)).toMatchObject({
      outcome: 'held',
      detail: `peer-introduction to member: frequency cap until ${new Date(windowOpens).toISOString()}`,
    });

    await world.sleepUntil(start + 7 * DAY + HOUR);
    expectEmails(await world.emailsTo('oli@example.org'), [
      { to: 'oli@example.org', subject: `Welcome to ${CLUB}`, at: start },
      { to: 'oli@example.org', subject: `We miss you at ${CLUB}`, at: start + DAY },
      { to: 'oli@example.org', subject: 'Tell the club a little about yourself', at: start + 2 * DAY },
      { to: 'oli@example.org', subject: `Introducing Pia from ${CLUB}`, at: windowOpens },
    ]);
    expectEmails(await world.emailsTo('pia@example.org'), [
      { to: 'pia@example.org', subject: `Introducing Oli from ${CLUB}`, at: windowOpens },
    ]);
    for (const run of ['run:onboarding:m-oli', 'run:re-engagement:m-oli']) {
      expect(await world.cancel(run)).toMatchObject({ kind: 'exited', reason: 'cancelled' });
    }
    await world.recordHistory('onboarding.frequency-cap', 'run:onboarding:m-oli');
  });

  it('skips email of a category the member unsubscribed from, and says so', async () => {
    await world.models.members.create({ _id: 'm-ray', email: 'ray@example.org', status: 'applied' });
    await world.ingest({ type: 'email.unsubscribed', memberId: 'm-ray', data: { category: 'community' } });
    await world.ingest({ type: 'member.approved', memberId: 'm-ray' });

    await world.sleepUntil((await world.now()) + HOUR);
    const state = await world.status('run:onboarding:m-ray');
    expect(state.steps[0]).toMatchObject({
      stepId: 'welcome',
      outcome: 'skipped',
      detail: 'welcome to member: unsubscribed from community',
    });
    expect(await world.emailsTo('ray@example.org')).toEqual([]);
    await world.cancel('run:onboarding:m-ray');
  });
});
