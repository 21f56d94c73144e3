// playbooks/application-review.yaml end to end: an application is acknowledged and put to the organisers,
// who are reminded after two days without a decision; a decline answers the applicant, then ends the run.
import { describe, expect, it } from 'vitest';
import { DAY, expectEmails, nextMondayAt } from './support/journeyTime.js';
import { useJourneyWorld } from './support/journeyWorld.js';

const world = useJourneyWorld();
const CLUB = 'Riverside Running Club';
const ORGANISERS = 'organisers@riverside.example';

describe('application review', () => {
  it('acknowledges, asks the organisers, reminds them, and answers a decline before exiting', async () => {
    const start = nextMondayAt(await world.now(), 10);
    await world.sleepUntil(start);
    const applied = await world.ingest({
      type: 'member.applied',
      email: 'lee@example.org',
      data: { name: 'Lee Park', interests: ['trail'] },
    });
    const member = await world.models.members.findOne({ email: 'lee@example.org' }).lean().exec();
    expect(member?.status).toBe('applied');
    const run = `run:application-review:${member?._id}`;
    expect(applied.runsStarted).toEqual([run]);

    const declined = start + 3 * DAY;
    await world.sleepUntil(declined);
    const { runsSignalled } = await world.ingest({ type: 'member.declined', email: 'lee@example.org' });
    expect(runsSignalled).toEqual([run]);
    const outcome = await world.outcome(run);
    expect(outcome).toMatchObject({ kind: 'exited', reason: 'event member.declined' });

    expectEmails(await world.emailsTo('lee@example.org'), [
      { to: 'lee@example.org', subject: `We've got your application to ${CLUB}`, at: start },
      { to: 'lee@example.org', subject: `About your application to ${CLUB}`, at: declined },
    ]);
    expectEmails(await world.emailsTo(ORGANISERS), [
      { to: ORGANISERS, subject: 'New join request: Lee Park', at: start },
      { to: ORGANISERS, subject: "Still waiting: Lee Park's join request", at: start + 2 * DAY },
    ]);
    const state = await world.status(run);
    expect(state).toMatchObject({ status: 'exited', exitReason: 'event member.declined', nextWakeAt: null });
    // The handler answers the applicant first; then the run ends where it was waiting.
    expect(state.steps.map((step) => `${step.stepId}: ${step.outcome}`)).toEqual([
      'acknowledge: sent',
      'ask-organisers: sent',
      'decision: timeout',
      'decision.on_timeout.0: sent',
      'decision.on_timeout.1: event',
      'declined: sent',
      'decision.on_timeout.1: exited',
    ]);
    await world.recordHistory('application-review', run);
  });
});
