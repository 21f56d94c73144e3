// The records a preview run reads and writes, held in memory: nothing a preview does reaches the database.
// Scripted events change them as the API changes MongoDB before it routes an event (a `member.left` sets the
// member's status, an `event.updated` moves the event and says what changed), so waits that follow a record
// and exit conditions behave in a preview as they do in a real run.

import { Value } from '@sinclair/typebox/value';
import type { RoutedEvent } from '../compiler/events.js';
import { EVENT_DATE_FIELDS, EventFields, RsvpData, UnsubscribeData } from '../domain/events/knownEvents.js';
import type { MemoryRecords } from '../domain/records/memoryRecordStore.js';
import { activityAfter } from './previewActivity.js';

/** The preview's records: the in-memory record store's (domain/records/memoryRecordStore.ts). */
export type PreviewWorld = MemoryRecords;

/**
 * Applies an event to the records, as the API does before it routes it, `member.activity` included; returns
 * it as routed (an `event.updated` gains `data.changed`).
 */
export function applyEvent(world: PreviewWorld, event: RoutedEvent): RoutedEvent {
  const rsvpBefore = world.rsvp === null ? null : { ...world.rsvp };
  const routed = applyToRecords(world, event);
  world.member.activity = activityAfter(world.member, event, rsvpBefore, world.rsvp);
  return routed;
}

function applyToRecords(world: PreviewWorld, event: RoutedEvent): RoutedEvent {
  const at = event.occurredAt;
  const member = world.member;
  switch (event.type) {
    case 'member.applied':
      if (member.status !== 'active' && member.status !== 'banned') member.status = 'applied';
      return event;
    case 'member.approved':
      Object.assign(member, { status: 'active', approvedAt: at });
      return event;
    case 'member.declined':
      member.status = 'declined';
      return event;
    case 'member.left':
      member.status = 'left';
      return event;
    case 'member.active':
      member.lastActiveAt = at;
      return event;
    case 'email.unsubscribed':
      if (Value.Check(UnsubscribeData, event.data)) {
        member.unsubscribed = [...new Set([...(member.unsubscribed ?? []), event.data.category])];
      }
      return event;
    case 'rsvp.created':
    case 'rsvp.updated':
    case 'rsvp.cancelled': {
      const data = Value.Check(RsvpData, event.data) ? event.data : {};
      const status = data.status ?? (event.type === 'rsvp.cancelled' ? 'cancelled' : 'going');
      const rsvp = world.rsvp ?? {
        eventId: event.eventId ?? '',
        memberId: member._id,
        status,
        createdAt: at,
      };
      world.rsvp = { ...rsvp, status, ...(data.attended === undefined ? {} : { attended: data.attended }) };
      return event;
    }
    case 'event.updated':
      return updateEvent(world, event);
    case 'event.cancelled':
    case 'event.ended':
      if (world.event) world.event.status = event.type === 'event.cancelled' ? 'cancelled' : 'ended';
      return event;
    default:
      return event;
  }
}

function updateEvent(world: PreviewWorld, event: RoutedEvent): RoutedEvent {
  const current = world.event;
  if (current === null || !Value.Check(EventFields, event.data)) return event;
  // Stored dates are instants: `18:30:00Z` and `18:30:00.000Z` are the same time, not a change.
  const fields = { ...event.data };
  for (const name of EVENT_DATE_FIELDS) {
    const value = fields[name];
    if (value !== undefined) fields[name] = new Date(value).toISOString();
  }
  const changed = Object.entries(fields)
    .filter(([name, value]) => readField(current, name) !== value)
    .map(([name]) => name);
  world.event = { ...current, ...fields };
  world.upcomingEvents = world.upcomingEvents.map((upcoming) =>
    upcoming._id === current._id && world.event ? world.event : upcoming,
  );
  return { ...event, data: { ...event.data, changed } };
}

function readField(record: object, name: string): unknown {
  return Object.hasOwn(record, name)
    ? (Object.getOwnPropertyDescriptor(record, name)?.value as unknown)
    : undefined;
}
