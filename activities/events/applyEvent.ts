// Applying the event types the engine knows to MongoDB, so that a form, a webhook or the platform alone keeps
// the records current. Two phases, so that applying is exactly-once even when it is retried:
//
//   prepareEvent  reads (and, for member.applied, creates the member by email): resolves the member and, for
//                 event.updated, works out `data.changed` against the record as it is before the update.
//   applyEvent    writes what the prepared event says. Every write sets values (never increments), so
//                 applying the same prepared event twice leaves the records as applying it once.
//
// The caller stores the prepared event before applying it and reuses the stored one on a retry: `changed`
// computed again after the update would be empty.

import { Value } from '@sinclair/typebox/value';
import type { Static, TSchema } from '@sinclair/typebox';
import type { RoutedEvent } from '../../compiler/events.js';
import { isDuplicateKeyError, type Models, type RsvpStatus } from '../../db/index.js';
import { isFactKind } from '../../domain/memberActivity/facts.js';
import { activitiesOf } from '../../domain/memberActivity/fromEvent.js';
import { recordActivities, refreshFacts } from '../../domain/memberActivity/record.js';
import {
  EVENT_DATE_FIELDS,
  EventFields,
  MemberFields,
  RsvpData,
  SurveyData,
  UnsubscribeData,
  isKnownEventType,
} from '../../domain/events/knownEvents.js';
import { newId } from '../../domain/events/newId.js';
import type { AcceptedEvent } from '../../contract/events.js';

export type ApplyModels = Pick<
  Models,
  'members' | 'events' | 'rsvps' | 'surveyResponses' | 'activities' | 'introductions'
>;

/** An event whose `data` does not fit its type: the API refuses these, so this is a bug, not bad input. */
export class UnappliableEvent extends Error {
  override name = 'UnappliableEvent';
}

export interface PreparedEvent {
  event: RoutedEvent;
  /** Whether the member the event names exists (false also when it names none). */
  memberFound: boolean;
}

export async function prepareEvent(models: ApplyModels, accepted: AcceptedEvent): Promise<PreparedEvent> {
  const { event } = accepted;
  const data = event.data ?? {};
  const found = await resolveMember(models, accepted);
  const routed: RoutedEvent = {
    id: event.id,
    type: event.type,
    // An event may name a member Tend does not know (a custom event of the platform's): routed as named.
    memberId: found ?? event.memberId ?? null,
    eventId: event.eventId ?? null,
    data,
    occurredAt: event.occurredAt ?? accepted.receivedAt,
  };
  const memberFound = found !== null;
  if (event.type === 'event.updated' && routed.eventId !== null) {
    const changed = await changedEventFields(models, routed.eventId, known(EventFields, data, event.type));
    return { event: { ...routed, data: { ...data, changed } }, memberFound };
  }
  return { event: routed, memberFound };
}

export async function applyEvent(models: ApplyModels, event: RoutedEvent): Promise<void> {
  await applyRecords(models, event);
  await applyActivity(models, event);
}

/** Records what the member did in the history and refreshes the facts it changes (domain/memberActivity/). */
async function applyActivity(models: ApplyModels, event: RoutedEvent): Promise<void> {
  const activities = activitiesOf(event, madeGoing(event));
  if (activities.length === 0 || event.memberId === null) return;
  await recordActivities(models, activities);
  if (activities.some((activity) => isFactKind(activity.kind))) await refreshFacts(models, event.memberId);
}

/** An RSVP created as `going`, or updated naming `going`: not an update that only marks attendance. */
function madeGoing(event: RoutedEvent): boolean {
  if (event.type === 'rsvp.created') return rsvpStatusOf(event) === 'going';
  if (event.type === 'rsvp.updated') return known(RsvpData, event.data, event.type).status === 'going';
  return false;
}

/** The status an RSVP event leaves the RSVP in: the one it names, else what its type implies. */
function rsvpStatusOf(event: RoutedEvent): RsvpStatus {
  const { status } = known(RsvpData, event.data, event.type);
  return status ?? (event.type === 'rsvp.cancelled' ? 'cancelled' : 'going');
}

async function applyRecords(models: ApplyModels, event: RoutedEvent): Promise<void> {
  if (!isKnownEventType(event.type)) return;
  const at = new Date(event.occurredAt);
  const { memberId, eventId } = event;
  switch (event.type) {
    case 'member.applied':
    case 'member.approved':
    case 'member.declined':
    case 'member.active':
    case 'member.left':
      if (memberId !== null) await applyMemberEvent(models, memberId, event.type, at, event.data);
      return;
    case 'rsvp.created':
    case 'rsvp.updated':
    case 'rsvp.cancelled': {
      if (memberId === null || eventId === null) return;
      const { attended } = known(RsvpData, event.data, event.type);
      await models.rsvps
        .updateOne(
          { eventId, memberId },
          {
            $set: {
              status: rsvpStatusOf(event),
              ...defined({ attended }),
            },
            $setOnInsert: { createdAt: at },
          },
          { upsert: true },
        )
        .exec();
      return;
    }
    case 'event.updated': {
      if (eventId === null) return;
      const fields = eventRecordFields(known(EventFields, event.data, event.type));
      const insertStatus = fields.status === undefined ? { $setOnInsert: { status: 'published' } } : {};
      await models.events
        .updateOne({ _id: eventId }, { $set: fields, ...insertStatus }, { upsert: true })
        .exec();
      return;
    }
    case 'event.cancelled':
    case 'event.ended':
      if (eventId === null) return;
      await models.events
        .updateOne(
          { _id: eventId },
          { $set: { status: event.type === 'event.cancelled' ? 'cancelled' : 'ended' } },
          { upsert: true },
        )
        .exec();
      return;
    case 'survey.responded': {
      if (memberId === null || eventId === null) return;
      const { score, comment } = known(SurveyData, event.data, event.type);
      await models.surveyResponses
        .updateOne(
          { memberId, eventId },
          { $set: { score, respondedAt: at, ...defined({ comment }) } },
          { upsert: true },
        )
        .exec();
      return;
    }
    case 'email.unsubscribed': {
      if (memberId === null) return;
      const { category } = known(UnsubscribeData, event.data, event.type);
      await models.members.updateOne({ _id: memberId }, { $addToSet: { unsubscribed: category } }).exec();
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
  models: ApplyModels,
  memberId: string,
  type: 'member.applied' | 'member.approved' | 'member.declined' | 'member.active' | 'member.left',
  at: Date,
  data: Record<string, unknown>,
): Promise<void> {
  const fields = memberRecordFields(known(MemberFields, data, type));
  // One write per event, naming the member by _id alone: FerretDB serves only _id filters from an index and
  // scans for anything else, so conditions go into the update ($min, $max) or are read first.
  const write = async (update: Record<string, unknown>) => {
    await models.members.updateOne({ _id: memberId }, update).exec();
  };
  switch (type) {
    case 'member.applied': {
      // Applying again never demotes an active member, nor lets a banned one back in.
      const current = await models.members.findById(memberId, { status: 1 }).lean().exec();
      const keeps = current?.status === 'active' || current?.status === 'banned';
      const set = { ...fields, ...(keeps ? {} : { status: 'applied' }) };
      if (Object.keys(set).length > 0) await write({ $set: set });
      return;
    }
    case 'member.approved':
      // approvedAt is the latest approval; joinedAt the first.
      await write({ $set: { ...fields, status: 'active', approvedAt: at }, $min: { joinedAt: at } });
      return;
    case 'member.declined':
      await write({ $set: { ...fields, status: 'declined' } });
      return;
    case 'member.left':
      // leftAt lets retention count a member who left after day 30 as retained at day 30.
      await write({ $set: { ...fields, status: 'left', leftAt: at } });
      return;
    case 'member.active':
      // Events may arrive out of order: the latest activity wins, not the latest delivery.
      await write({
        ...(Object.keys(fields).length > 0 ? { $set: fields } : {}),
        $max: { lastActiveAt: at },
      });
      return;
  }
}

/**
 * The member the event is about: `memberId` when that member exists, else the member with `email`. For
 * member.applied a member is created by email (idempotent: email is unique, so concurrent deliveries and
 * retries find the one member). Null when the event names nobody Tend knows.
 */
async function resolveMember(models: ApplyModels, { event }: AcceptedEvent): Promise<string | null> {
  if (
    event.memberId !== undefined &&
    (await models.members.exists({ _id: event.memberId }).exec()) !== null
  ) {
    return event.memberId;
  }
  if (event.email === undefined) return null;
  const email = event.email.trim().toLowerCase();
  if (event.type !== 'member.applied') {
    const found = await models.members.findOne({ email }, { _id: 1 }).lean().exec();
    return found?._id ?? null;
  }
  const create = () =>
    models.members
      .findOneAndUpdate(
        { email },
        { $setOnInsert: { _id: event.memberId ?? `mem_${newId()}`, email, status: 'applied' } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean()
      .exec();
  try {
    return (await create())?._id ?? null;
  } catch (error) {
    // Two deliveries raced to create the same member; the loser finds the winner's record.
    if (!isDuplicateKeyError(error)) throw error;
    return (await create())?._id ?? null;
  }
}

/** Names of the fields whose values an event.updated changes, compared with the record as it is now. */
async function changedEventFields(
  models: ApplyModels,
  eventId: string,
  fields: EventFields,
): Promise<string[]> {
  const current = await models.events.findById(eventId).lean().exec();
  const before: Record<string, unknown> = { ...current };
  return Object.entries(eventRecordFields(fields))
    .filter(([name, value]) => !sameValue(before[name], value))
    .map(([name]) => name);
}

function sameValue(before: unknown, after: unknown): boolean {
  if (before instanceof Date && after instanceof Date) return before.getTime() === after.getTime();
  return before === after;
}

/** The event's fields as the events collection stores them (dates as Dates). */
function eventRecordFields(fields: EventFields): Record<string, unknown> {
  const record: Record<string, unknown> = { ...fields };
  for (const name of EVENT_DATE_FIELDS) {
    const value = fields[name];
    if (value !== undefined) record[name] = new Date(value);
  }
  return record;
}

/** Member fields as `$set` paths: `profile` and `attributes` are merged key by key, not replaced. */
function memberRecordFields(fields: MemberFields): Record<string, unknown> {
  const { profile, attributes, ...plain } = fields;
  const nested = (prefix: string, value: Record<string, unknown> | undefined) =>
    Object.entries(value ?? {}).map(([key, item]) => [`${prefix}.${key}`, item] as const);
  return {
    ...plain,
    ...Object.fromEntries([...nested('profile', profile), ...nested('attributes', attributes)]),
  };
}

/** The fields of `data` the schema knows, typed; anything else in `data` is for routing and templates only. */
function known<T extends TSchema>(schema: T, data: Record<string, unknown>, type: string): Static<T> {
  const fields = Value.Clean(schema, Value.Clone(data));
  if (!Value.Check(schema, fields)) throw new UnappliableEvent(`${type}: data does not fit the event type`);
  return fields;
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
