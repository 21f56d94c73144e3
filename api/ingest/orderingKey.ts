// Which events must take effect in the order they were accepted: those about one member, and those about one
// community event. The key names the eventQueue workflow (`events:<key>`) that ingests them one after the
// other. A member is named by its email when the event carries one (a join form and the platform's approval
// of it both do), else by its id; two events that name one member differently (one by email, one by id) are
// ordered only by the hold on a member who does not exist yet. Emails are hashed: workflow ids are shown in
// Temporal's UI and logs, and need not carry personal data.
//
// A request's own order matters too (an RSVP that starts a run, then an update of the event that must reach
// it). A request whose events share one key joins that key's queue; one whose events span several keys is
// ingested as a whole, in its order, by a queue of its own, named after its events' ids (a repeat of the
// request finds it). Such a request is ordered against other requests only by that hold.

import { createHash } from 'node:crypto';
import type { TendEvent } from '../../compiler/events.js';

export function orderingKey(event: TendEvent & { id: string }): string {
  if (event.email !== undefined) return `member-email:${sha256(event.email.trim().toLowerCase())}`;
  if (event.memberId !== undefined) return `member:${event.memberId}`;
  if (event.eventId !== undefined) return `event:${event.eventId}`;
  // About nobody in particular: nothing to keep it in order with.
  return `single:${event.id}`;
}

/** The key of the queue that takes a request's events (all of them, in order). */
export function requestQueueKey(events: readonly (TendEvent & { id: string })[]): string {
  const keys = new Set(events.map(orderingKey));
  const [only] = keys;
  if (keys.size === 1 && only !== undefined) return only;
  return `request:${sha256(events.map((event) => event.id).join('\n'))}`;
}

/** The workflow id of the queue for a key. */
export function eventQueueId(key: string): string {
  return `events:${key}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
