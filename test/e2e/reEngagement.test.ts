// playbooks/re-engagement.yaml end to end: a firing of its schedule selects the members quiet for a month;
// each gets three sends over 14 days (two to the member, the last to the organisers), and a member who
// becomes active in the middle of a 7-day wait leaves the run at once and gets nothing more.
import { describe, expect, it } from 'vitest';
import { DAY, expectEmails, nextMondayAt, SEND_LATENCY_MS } from './support/journeyTime.js';
import { useJourneyWorld } from './support/journeyWorld.js';

const world = useJourneyWorld();
const CLUB = 'Riverside Running Club';
const ORGANISERS = 'organisers@riverside.example';

describe('re-engagement', () => {
  it('nudges quiet members over 14 days and stops at once for one who comes back', async () => {
    const start = nextMondayAt(await world.now(), 10);
    const quietSince = new Date(start - 40 * DAY);
    await world.models.members.create([
      {
        _id: 'm-ivy',
        email: 'ivy@example.org',
        name: 'Ivy Quinn',
        status: 'active',
        lastActiveAt: quietSince,
      },
      {
        _id: 'm-kim',
        email: 'kim@example.org',
        name: 'Kim Lowe',
        status: 'active',
        lastActiveAt: quietSince,
      },
      { _id: 'm-jon', email: 'jon@example.org', status: 'active', lastActiveAt: new Date(start - 5 * DAY) },
    ]);
    await world.sleepUntil(start);
    await world.fireSchedule('re-engagement');

    const back = start + 3 * DAY;
    await world.sleepUntil(back);
    expect(await world.status('run:re-engagement:m-kim')).toMatchObject({
      status: 'waiting',
      currentStep: 'steps.1',
    });
    const { runsSignalled } = await world.ingest({ type: 'member.active', memberId: 'm-kim' });
    expect(runsSignalled).toEqual(['run:re-engagement:m-kim']);
    const kim = 'run:re-engagement:m-kim';
    expect(await world.outcome(kim)).toMatchObject({ kind: 'exited', reason: 'event member.active' });
    const { closeTime } = await world.env.client.workflow.getHandle(kim).describe();
    expect(closeTime?.getTime()).toBeLessThan(back + SEND_LATENCY_MS);

    await world.sleepUntil(start + 15 * DAY);

    expectEmails(await world.emailsTo('ivy@example.org'), [
      { to: 'ivy@example.org', subject: `We miss you at ${CLUB}`, at: start },
      { to: 'ivy@example.org', subject: `What's coming up at ${CLUB}`, at: start + 7 * DAY },
    ]);
    expectEmails(await world.emailsTo('kim@example.org'), [
      { to: 'kim@example.org', subject: `We miss you at ${CLUB}`, at: start },
    ]);
    expect(await world.emailsTo('jon@example.org')).toEqual([]);
    expectEmails(await world.emailsTo(ORGANISERS), [
      { to: ORGANISERS, subject: 'Ivy Quinn has gone quiet', at: start + 14 * DAY },
    ]);
    expect(await world.status('run:re-engagement:m-kim')).toMatchObject({
      status: 'exited',
      exitReason: 'event member.active',
    });
    await world.recordHistory('re-engagement', 'run:re-engagement:m-ivy');
    await world.recordHistory('re-engagement.exited', 'run:re-engagement:m-kim');
  });
});
