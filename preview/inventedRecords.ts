// The records a preview makes up because it was given none, each named where the timeline begins, with what
// to pass to use real ones: a manager must never mistake an invented event for one of theirs.

import { DateTime } from 'luxon';
import type { EventRecord, RsvpRecord } from '../compiler/records.js';
import type { TimelineEntry } from './simulationRuntime.js';

export class InventedRecords {
  private readonly made: Array<{ name: string; note: string }> = [];

  constructor(private readonly start: number) {}

  event(event: EventRecord): EventRecord {
    this.add('event', `the run's event ${describe(event)}; pass --event event.json for yours`);
    return event;
  }

  rsvp(rsvp: RsvpRecord): RsvpRecord {
    this.add('rsvp', `the member's RSVP (${rsvp.status}) to that event`);
    return rsvp;
  }

  upcoming(event: EventRecord): EventRecord[] {
    this.add(
      'upcoming events',
      `upcoming_events, one event: ${describe(event)}; pass --event events.json with a list for yours`,
    );
    return [event];
  }

  eventForScripted(event: EventRecord): EventRecord {
    this.add(
      'event',
      `the event the --events RSVPs and responses are about ${describe(event)}; the playbook itself has none`,
    );
    return event;
  }

  /** For the header: `event`, `rsvp`, `upcoming events`. */
  names(): string[] {
    return [...new Set(this.made.map((record) => record.name))];
  }

  notes(): TimelineEntry[] {
    return this.made.map(({ note }) => ({
      kind: 'note',
      at: this.start,
      stepId: null,
      text: `made up for this preview: ${note}`,
    }));
  }

  private add(name: string, note: string): void {
    this.made.push({ name, note });
  }
}

function describe(event: EventRecord): string {
  const when =
    event.startsAt === undefined
      ? ''
      : `, ${DateTime.fromISO(event.startsAt, { zone: event.timezone ?? 'UTC' }).toFormat('ccc d LLL HH:mm ZZZZ')}`;
  return `"${event.title ?? event._id}" (${event._id}${when})`;
}
