// playbooks/event-feedback.yaml end to end: `event.ended` fans out over the attendees; each gets the survey
// two hours later, and a reminder three days after that unless their answer came first. Members who did not
// attend get nothing.
import { describe, expect, it } from 'vitest';
import { atLocalTime, DAY, expectEmails, HOUR, nextMondayAt } from './support/journeyTime.js';
import { useJourneyWorld } from './support/journeyWorld.js';

const world = useJourneyWorld();

describe('event feedback', () => {
  it('surveys the attendees two hours after the event and reminds those who did not answer', async () => {
    const start = nextMondayAt(await world.now(), 10);
    const endedAt = atLocalTime(start, '14:00');
    await world.models.members.create([
      { _id: 'm-fay', email: 'fay@example.org', status: 'active' },
      { _id: 'm-gus', email: 'gus@example.org', status: 'active' },
      { _id: 'm-hal', email: 'hal@example.org', status: 'active' },
    ]);
    // The platform wrote the event and who came (as it may: the same records events would write).
    await world.models.events.create({
      _id: 'ev-social',
      title: 'Summer social',
      startsAt: new Date(endedAt - 3 * HOUR),
      status: 'published',
    });
    await world.models.rsvps.create([
      { eventId: 'ev-social', memberId: 'm-fay', status: 'going', attended: true },
      { eventId: 'ev-social', memberId: 'm-gus', status: 'going', attended: true },
      { eventId: 'ev-social', memberId: 'm-hal', status: 'going', attended: false },
    ]);

    await world.sleepUntil(endedAt);
    const { runsStarted } = await world.ingest({ type: 'event.ended', eventId: 'ev-social' });
    expect(runsStarted).toEqual(['fanout:event-feedback:ev-social']);

    const surveyed = endedAt + 2 * HOUR;
    await world.sleepUntil(surveyed + DAY);
    const { runsSignalled } = await world.ingest({
      type: 'survey.responded',
      memberId: 'm-gus',
      eventId: 'ev-social',
      data: { score: 9 },
    });
    expect(runsSignalled).toEqual(['run:event-feedback:m-gus:ev-social']);
    await world.sleepUntil(surveyed + 5 * DAY);

    expectEmails(await world.emailsTo('fay@example.org'), [
      { to: 'fay@example.org', subject: 'How was Summer social?', at: surveyed },
      { to: 'fay@example.org', subject: 'Last chance: how was Summer social?', at: surveyed + 3 * DAY },
    ]);
    expectEmails(await world.emailsTo('gus@example.org'), [
      { to: 'gus@example.org', subject: 'How was Summer social?', at: surveyed },
    ]);
    expect(await world.emailsTo('hal@example.org')).toEqual([]);
    const gus = await world.status('run:event-feedback:m-gus:ev-social');
    expect(gus.status).toBe('completed');
    expect(gus.steps.find((step) => step.stepId === 'survey-answered')).toMatchObject({ outcome: 'event' });
    await world.recordHistory('event-feedback', 'run:event-feedback:m-fay:ev-social');
    await world.recordHistory('event-feedback.answered', 'run:event-feedback:m-gus:ev-social');
  });
});
