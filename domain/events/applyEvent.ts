// Applying the event types the engine knows to the records, so that a form, a webhook or the platform alone keeps
// them current. One rule over any record store (domain/records/): the ingest activity applies events to
// MongoDB, `tend preview` its scripted events to the records it holds in memory. Two phases, so that applying
// is exactly-once even when it is retried:
//
//   prepareEvent  reads (and, for member.applied, creates the member by email): resolves the member and, for
//                 event.updated, works out `data.changed` against the record as it is before the update.
//   applyEvent    writes what the prepared event says, and records what the member did in their activity
//                 history with the facts it changes (domain/memberActivity/). Every write sets values (never
//                 increments), so applying the same prepared event twice leaves the records as applying it once.
//
// The caller stores the prepared event before applying it and reuses the stored one on a retry: `changed`
// computed again after the update would be empty.

import { Value } from '@sinclair/typebox/value';
import type { Static, TSchema } from '@sinclair/typebox';
import type { RoutedEvent } from '../../compiler/events.js';
import type { EventRecord, RsvpRecord } from '../../compiler/records.js';
import type { AcceptedEvent } from '../../contract/events.js';
import { isFactKind } from '../memberActivity/facts.js';
import { activitiesOf } from '../memberActivity/fromEvent.js';
import type { RecordStore } from '../records/recordStore.js';
import {
  EVENT_DATE_FIELDS,
  EventFields,
  MemberFields,
  PreferencesData,
  RsvpData,
  SurveyData,
  UnsubscribeData,
  isKnownEventType,
} from './knownEvents.js';
import { newId } from './newId.js';

/** An event whose `data` does not fit its type: the API refuses these, so this is a bug, not bad input. */
export class UnappliableEvent extends Error {
  override name = 'UnappliableEvent';
}

export interface PreparedEvent {
  event: RoutedEvent;
  /** Whether the member the event names exists (false also when it names none). */
  memberFound: boolean;
}

export async function prepareEvent(store: RecordStore, accepted: AcceptedEvent): Promise<PreparedEvent> {
  const { event } = accepted;
  const found = await resolveMember(store, accepted);
  const routed: RoutedEvent = {
    id: event.id,
    type: event.type,
    // An event may name a member Tend does not know (a custom event of the platform's): routed as named.
    memberId: found ?? event.memberId ?? null,
    eventId: event.eventId ?? null,
    data: event.data ?? {},
    occurredAt: event.occurredAt ?? accepted.receivedAt,
  };
  return { event: await withChangedFields(store, routed), memberFound: found !== null };
}

/** An event.updated with `data.changed`: the fields it changes, compared with the record as it is now. */
export async function withChangedFields(store: RecordStore, event: RoutedEvent): Promise<RoutedEvent> {
  if (event.type !== 'event.updated' || event.eventId === null) return event;
  const current: Partial<EventRecord> = (await store.findEvent(event.eventId)) ?? {};
  const fields = eventRecordFields(known(EventFields, event.data, event.type));
  const changed = Object.entries(fields)
    .filter(([name, value]) => readField(current, name) !== value)
    .map(([name]) => name);
  return { ...event, data: { ...event.data, changed } };
}

/**
 * Works out `data.changed` and applies the event at once, returning it as routed: for `tend preview`, which
 * has no retries to survive between the two phases.
 */
export async function prepareAndApply(store: RecordStore, event: RoutedEvent): Promise<RoutedEvent> {
  const prepared = await withChangedFields(store, event);
  await applyEvent(store, prepared);
  return prepared;
}

export async function applyEvent(store: RecordStore, event: RoutedEvent): Promise<void> {
  await applyRecords(store, event);
  await applyActivity(store, event);
}

/** Records what the member did in the history and refreshes the facts it changes (domain/memberActivity/). */
async function applyActivity(store: RecordStore, event: RoutedEvent): Promise<void> {
  const activities = activitiesOf(event, madeGoing(event));
  if (activities.length === 0 || event.memberId === null) return;
  await store.recordActivities(activities);
  if (activities.some((activity) => isFactKind(activity.kind))) await store.refreshFacts(event.memberId);
}

/** An RSVP created as `going`, or updated naming `going`: not an update that only marks attendance. */
function madeGoing(event: RoutedEvent): boolean {
  if (event.type === 'rsvp.created') return rsvpStatusOf(event) === 'going';
  if (event.type === 'rsvp.updated') return known(RsvpData, event.data, event.type).status === 'going';
  return false;
}

/** The status an RSVP event leaves the RSVP in: the one it names, else what its type implies. */
function rsvpStatusOf(event: RoutedEvent): RsvpRecord['status'] {
  const { status } = known(RsvpData, event.data, event.type);
  return status ?? (event.type === 'rsvp.cancelled' ? 'cancelled' : 'going');
}

async function applyRecords(store: RecordStore, event: RoutedEvent): Promise<void> {
  if (!isKnownEventType(event.type)) return;
  const at = new Date(event.occurredAt).toISOString();
  const { memberId, eventId } = event;
  switch (event.type) {
    case 'member.applied':
    case 'member.approved':
    case 'member.declined':
    case 'member.active':
    case 'member.left':
      if (memberId !== null) await applyMemberEvent(store, memberId, event.type, at, event.data);
      return;
    case 'rsvp.created':
    case 'rsvp.updated':
    case 'rsvp.cancelled': {
      if (memberId === null || eventId === null) return;
      const { attended } = known(RsvpData, event.data, event.type);
      await store.writeRsvp({
        eventId,
        memberId,
        status: rsvpStatusOf(event),
        ...(attended === undefined ? {} : { attended }),
        createdAt: at,
      });
      return;
    }
    case 'event.updated': {
      if (eventId === null) return;
      const fields = eventRecordFields(known(EventFields, event.data, event.type));
      await store.writeEvent(eventId, fields, 'published');
      return;
    }
    case 'event.cancelled':
    case 'event.ended': {
      if (eventId === null) return;
      const status = event.type === 'event.cancelled' ? 'cancelled' : 'ended';
      await store.writeEvent(eventId, { status }, status);
      return;
    }
    case 'survey.responded': {
      if (memberId === null || eventId === null) return;
      const { score, comment } = known(SurveyData, event.data, event.type);
      await store.writeSurveyResponse({
        memberId,
        eventId,
        score,
        respondedAt: at,
        ...(comment === undefined ? {} : { comment }),
      });
      return;
    }
    case 'email.unsubscribed': {
      if (memberId === null) return;
      const { category } = known(UnsubscribeData, event.data, event.type);
      await store.writeMember(memberId, { set: {}, unsubscribe: [category] });
      return;
    }
    case 'email.preferences_saved': {
      // The whole list, so that a category can be joined again (email.unsubscribed only adds).
      if (memberId === null) return;
      const { unsubscribed } = known(PreferencesData, event.data, event.type);
      await store.writeMember(memberId, { set: { unsubscribed } });
      return;
    }
    case 'email.clicked':
      // A click changes no record: it is activity (applyActivity) and, for its run, an event to act on.
      return;
    default: {
      const unhandled: never = event.type;
      throw new Error(`no way to apply ${String(unhandled)}`);
    }
  }
}

async function applyMemberEvent(
  store: RecordStore,
  memberId: string,
  type: 'member.applied' | 'member.approved' | 'member.declined' | 'member.active' | 'member.left',
  at: string,
  data: Record<string, unknown>,
): Promise<void> {
  const fields = memberRecordFields(known(MemberFields, data, type));
  switch (type) {
    case 'member.applied': {
      // Applying again never demotes an active member, nor lets a banned one back in.
      const current = await store.memberStatus(memberId);
      const keeps = current === 'active' || current === 'banned';
      const set = { ...fields, ...(keeps ? {} : { status: 'applied' }) };
      if (Object.keys(set).length > 0) await store.writeMember(memberId, { set });
      return;
    }
    case 'member.approved':
      // approvedAt is the latest approval; joinedAt the first.
      await store.writeMember(memberId, {
        set: { ...fields, status: 'active', approvedAt: at },
        earliest: { joinedAt: at },
      });
      return;
    case 'member.declined':
      await store.writeMember(memberId, { set: { ...fields, status: 'declined' } });
      return;
    case 'member.left':
      // leftAt lets retention count a member who left after day 30 as retained at day 30.
      await store.writeMember(memberId, { set: { ...fields, status: 'left', leftAt: at } });
      return;
    case 'member.active':
      await store.writeMember(memberId, { set: fields, latest: { lastActiveAt: at } });
      return;
  }
}

/**
 * The member the event is about: `memberId` when that member exists, else the member with `email`. For
 * member.applied a member is created by email (idempotently: the store finds the one member on a retry).
 * Null when the event names nobody Tend knows.
 */
async function resolveMember(store: RecordStore, { event }: AcceptedEvent): Promise<string | null> {
  if (event.memberId !== undefined && (await store.memberStatus(event.memberId)) !== null) {
    return event.memberId;
  }
  if (event.email === undefined) return null;
  const email = event.email.trim().toLowerCase();
  if (event.type !== 'member.applied') return store.findMemberIdByEmail(email);
  return store.createMemberByEmail(email, event.memberId ?? `mem_${newId()}`);
}

/** The event's fields as records carry them: times as ISO text, so that 18:30:00Z and 18:30:00.000Z agree. */
function eventRecordFields(fields: EventFields): Partial<EventRecord> {
  const record: Partial<EventRecord> = { ...fields };
  for (const name of EVENT_DATE_FIELDS) {
    const value = fields[name];
    if (value !== undefined) record[name] = new Date(value).toISOString();
  }
  return record;
}

/** Member fields as paths: `profile` and `attributes` are merged key by key, not replaced. */
function memberRecordFields(fields: MemberFields): Record<string, unknown> {
  const { profile, attributes, ...plain } = fields;
  const nested = (prefix: string, value: Record<string, unknown> | undefined) =>
    Object.entries(value ?? {}).map(([key, item]) => [`${prefix}.${key}`, item] as const);
  return {
    ...plain,
    ...Object.fromEntries([...nested('profile', profile), ...nested('attributes', attributes)]),
  };
}

function readField(record: object, name: string): unknown {
  return Object.hasOwn(record, name)
    ? (Object.getOwnPropertyDescriptor(record, name)?.value as unknown)
    : undefined;
}

/** The fields of `data` the schema knows, typed; anything else in `data` is for routing and templates only. */
function known<T extends TSchema>(schema: T, data: Record<string, unknown>, type: string): Static<T> {
  const fields = Value.Clean(schema, Value.Clone(data));
  if (!Value.Check(schema, fields)) throw new UnappliableEvent(`${type}: data does not fit the event type`);
  return fields;
}
