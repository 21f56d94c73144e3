// playbooks/event-reminders.yaml end to end: the RSVP confirmation, then reminders a week, a day and an hour
// before the event, at the right times; and when the event is moved while the reminders wait, the member is
// told at once and every reminder moves with it.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { atLocalTime, DAY, expectEmails, HOUR, LONDON, nextMondayAt } from './support/journeyTime.js';
import { useJourneyWorld } from './support/journeyWorld.js';

const world = useJourneyWorld();

/** How a manager reads a date and a time in a London member's email. */
const dateText = (at: number) => DateTime.fromMillis(at, { zone: LONDON }).toFormat('cccc d LLLL');
const timeText = (at: number) => DateTime.fromMillis(at, { zone: LONDON }).toFormat('HH:mm');

async function scheduleEvent(eventId: string, title: string, startsAt: number): Promise<void> {
  await world.ingest({
    type: 'event.updated',
    eventId,
    data: { title, startsAt: new Date(startsAt).toISOString(), location: 'Riverside Park' },
  });
}

function reminders(to: string, title: string, startsAt: number) {
  return [
    { to, subject: `Reminder: ${title} on ${dateText(startsAt)}`, at: startsAt - 7 * DAY },
    { to, subject: `Reminder: ${title} on ${dateText(startsAt)}`, at: startsAt - DAY },
    { to, subject: `${title} starts at ${timeText(startsAt)}`, at: startsAt - HOUR },
  ];
}

describe('event reminders', () => {
  it('confirms the RSVP and reminds a week, a day and an hour before', async () => {
    await world.models.members.create({ _id: 'm-dee', email: 'dee@example.org', status: 'active' });
    const start = nextMondayAt(await world.now(), 10);
    const startsAt = atLocalTime(start + 10 * DAY, '19:00');
    await world.sleepUntil(start);
    await scheduleEvent('ev-10k', 'Riverside 10k', startsAt);
    const { runsStarted } = await world.ingest({
      type: 'rsvp.created',
      memberId: 'm-dee',
      eventId: 'ev-10k',
    });
    expect(runsStarted).toEqual(['run:event-reminders:m-dee:ev-10k']);

    await world.sleepUntil(startsAt);

    expectEmails(await world.emailsTo('dee@example.org'), [
      { to: 'dee@example.org', subject: `You're going: Riverside 10k, ${dateText(startsAt)}`, at: start },
      ...reminders('dee@example.org', 'Riverside 10k', startsAt),
    ]);
    const state = await world.status('run:event-reminders:m-dee:ev-10k');
    expect(state).toMatchObject({ status: 'completed', key: 'ev-10k' });
    await world.recordHistory('event-reminders', 'run:event-reminders:m-dee:ev-10k');
  });

  it('tells the member when the event moves, and moves the reminders with it', async () => {
    await world.models.members.create({ _id: 'm-eve', email: 'eve@example.org', status: 'active' });
    const start = nextMondayAt(await world.now(), 10);
    const planned = atLocalTime(start + 10 * DAY, '19:00');
    const moved = planned + 2 * DAY;
    await world.sleepUntil(start);
    await scheduleEvent('ev-relay', 'Relay night', planned);
    await world.ingest({ type: 'rsvp.created', memberId: 'm-eve', eventId: 'ev-relay' });

    const run = 'run:event-reminders:m-eve:ev-relay';
    await world.sleepUntil(start + DAY);
    expect((await world.status(run)).nextWakeAt).toBe(planned - 7 * DAY);
    const { runsSignalled } = await world.ingest({
      type: 'event.updated',
      eventId: 'ev-relay',
      data: { startsAt: new Date(moved).toISOString() },
    });
    expect(runsSignalled).toEqual([run]);

    await world.sleepUntil(moved);

    const newTime = DateTime.fromMillis(moved, { zone: LONDON }).toFormat("cccc d LLLL 'at' HH:mm");
    expectEmails(await world.emailsTo('eve@example.org'), [
      { to: 'eve@example.org', subject: `You're going: Relay night, ${dateText(planned)}`, at: start },
      { to: 'eve@example.org', subject: `Time change: Relay night is now ${newTime}`, at: start + DAY },
      ...reminders('eve@example.org', 'Relay night', moved),
    ]);
    await world.recordHistory('event-reminders.moved', run);
  });
});
