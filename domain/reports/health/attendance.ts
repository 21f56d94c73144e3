// Attendance (../shared/docs/reports.md): for events that ended in the period, attended ÷ RSVPs `going`,
// per event and pooled. Only RSVPs still `going` count (a member who cancelled before the start did not
// promise to come; the records keep no time of cancellation), and attended counts those of them marked
// attended (a walk-in without a going RSVP is not a show of someone who promised). An event where nobody
// was marked at all, true or false, is "not recorded": its rates are null and the pooled figure leaves it
// out. Cancelled events are not listed.

import type { EventDoc } from '../../../db/index.js';
import { percent } from './figures.js';
import type { MemberScope, ReportModels } from './scope.js';
import type { Attendance, EventAttendance, HealthReport } from './types.js';

export async function attendance(
  models: ReportModels,
  scope: MemberScope,
  period: { from: number; to: number; now: number },
): Promise<HealthReport['attendance']> {
  const end = new Date(Math.min(period.to, period.now));
  const from = new Date(period.from);
  const ended = await models.events
    .find({
      status: { $ne: 'cancelled' },
      $or: [{ endsAt: { $gte: from, $lt: end } }, { endsAt: null, startsAt: { $gte: from, $lt: end } }],
    })
    .select({ title: 1, startsAt: 1, endsAt: 1 })
    .lean<EventDoc[]>()
    .exec();
  const tallies = new Map(ended.map((event) => [event._id, { going: 0, attended: 0, recorded: false }]));
  if (tallies.size > 0) {
    for await (const rsvp of models.rsvps
      .find({ eventId: { $in: [...tallies.keys()] } })
      .select({ eventId: 1, memberId: 1, status: 1, attended: 1 })
      .lean()
      .cursor()) {
      const tally = tallies.get(rsvp.eventId);
      if (tally === undefined) continue;
      if (typeof rsvp.attended === 'boolean') tally.recorded = true;
      if (!scope.has(rsvp.memberId) || rsvp.status !== 'going') continue;
      tally.going += 1;
      if (rsvp.attended === true) tally.attended += 1;
    }
  }
  const events: EventAttendance[] = ended
    .map((event) => {
      const tally = tallies.get(event._id) ?? { going: 0, attended: 0, recorded: false };
      const endedAt = event.endsAt ?? event.startsAt ?? end;
      return {
        eventId: event._id,
        title: event.title ?? null,
        endedAt: endedAt.toISOString(),
        recorded: tally.recorded,
        ...rates(tally.recorded ? tally : null, tally.going),
      };
    })
    .sort((a, b) => a.endedAt.localeCompare(b.endedAt) || a.eventId.localeCompare(b.eventId));
  const recorded = events.filter((event) => event.recorded);
  const going = recorded.reduce((sum, event) => sum + event.going, 0);
  const attended = recorded.reduce((sum, event) => sum + event.attended, 0);
  return {
    pooled: {
      events: recorded.length,
      notRecorded: events.length - recorded.length,
      ...rates({ going, attended }, going),
    },
    events,
  };
}

/** Counts and rates; rates null when attendance was not recorded or nobody was going. */
function rates(tally: { going: number; attended: number } | null, going: number): Attendance {
  const attended = tally?.attended ?? 0;
  const rate = tally === null ? null : percent(attended, going);
  return { going, attended, rate, noShowRate: rate === null ? null : 100 - rate };
}
