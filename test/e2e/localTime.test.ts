// wait_until: { local_time, days } end to end: a member in New York active on a Monday gets the email at
// 10:00 on Saturday on their own clock, through the real worker, activities, FerretDB and SMTP, in the
// time-skipping server.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dedent } from '../compiler/sources.js';
import { DAY, HOUR, expectEmails, nextMondayAt } from './support/journeyTime.js';
import { useJourneyWorld } from './support/journeyWorld.js';

const NEW_YORK = 'America/New_York';
const world = useJourneyWorld({
  playbooks: {
    'weekend-welcome.yaml': dedent`
      name: Weekend welcome
      trigger: { event: member.active }
      steps:
        - id: saturday-morning
          wait_until: { local_time: "10:00", days: [sat] }
        - id: welcome
          send_email: welcome
    `,
  },
});

describe('wait_until local_time', () => {
  it("sends at 10:00 on Saturday in the member's zone", async () => {
    const start = nextMondayAt(await world.now(), 12, NEW_YORK);
    await world.models.members.create({
      _id: 'm-nyc',
      email: 'nia@example.org',
      firstName: 'Nia',
      status: 'active',
      timezone: NEW_YORK,
    });
    await world.sleepUntil(start);
    await world.ingest({ type: 'member.active', memberId: 'm-nyc' });

    const saturday = DateTime.fromMillis(start, { zone: NEW_YORK })
      .plus({ days: 5 })
      .set({ hour: 10, minute: 0 })
      .toMillis();
    const runId = 'run:weekend-welcome:m-nyc';
    await world.sleepUntil(start + HOUR);
    expect(await world.status(runId)).toMatchObject({ status: 'waiting', currentStep: 'saturday-morning' });
    expect((await world.outcome(runId)).kind).toBe('completed');
    await world.sleepUntil(start + 6 * DAY);
    const club = 'Welcome to Riverside Running Club';
    expectEmails(
      await world.emailsTo('nia@example.org'),
      [{ to: 'nia@example.org', subject: club, at: saturday }],
      NEW_YORK,
    );
  });
});
