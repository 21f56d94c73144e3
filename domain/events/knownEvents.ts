// What each event type the engine knows needs to carry, as schemas that are also the types applyEvent reads.
// The API checks an event against these before accepting it (a 422 names what is missing), so an accepted
// event can always be applied: nothing a client sent can make the ingest activity fail forever.

import { FormatRegistry, Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { DateTime } from 'luxon';
import { isTimeZone } from '../../compiler/isTimeZone.js';
import type { KnownEventType, TendEvent } from '../../compiler/events.js';
import { KNOWN_EVENT_TYPES } from '../../compiler/events.js';
import { CATEGORIES } from '../../compiler/plan.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
// Date.parse would take 2025-02-30 as 2 March; luxon knows how many days a month has.
FormatRegistry.Set('date-time', (value) => ISO_DATE_TIME.test(value) && DateTime.fromISO(value).isValid);
FormatRegistry.Set('iana-zone', (value) => isTimeZone(value));

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const IsoDateTime = Type.String({ format: 'date-time' });
const Words = Type.Array(Text(100), { maxItems: 100 });
const FreeForm = Type.Record(Type.String(), Type.Unknown());

/** Member fields an event's `data` may set (member.* events); other keys in `data` are left alone. */
export const MemberFields = Type.Object({
  name: Type.Optional(Text(200)),
  firstName: Type.Optional(Text(100)),
  timezone: Type.Optional(Type.String({ format: 'iana-zone' })),
  interests: Type.Optional(Words),
  tags: Type.Optional(Words),
  subgroup: Type.Optional(Text(100)),
  profile: Type.Optional(FreeForm),
  attributes: Type.Optional(FreeForm),
});
export type MemberFields = Static<typeof MemberFields>;

export const RsvpData = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('going'), Type.Literal('maybe'), Type.Literal('cancelled')]),
  ),
  attended: Type.Optional(Type.Boolean()),
});

/** Community event fields `event.updated` may set. */
export const EventFields = Type.Object({
  title: Type.Optional(Text(300)),
  description: Type.Optional(Type.String({ maxLength: 10_000 })),
  startsAt: Type.Optional(IsoDateTime),
  endsAt: Type.Optional(IsoDateTime),
  timezone: Type.Optional(Type.String({ format: 'iana-zone' })),
  location: Type.Optional(Text(500)),
  url: Type.Optional(Text(2000)),
  status: Type.Optional(
    Type.Union([
      Type.Literal('draft'),
      Type.Literal('published'),
      Type.Literal('cancelled'),
      Type.Literal('ended'),
    ]),
  ),
});
export type EventFields = Static<typeof EventFields>;
export const EVENT_DATE_FIELDS = ['startsAt', 'endsAt'] as const;

export const SurveyData = Type.Object({
  score: Type.Integer({ minimum: 0, maximum: 10 }),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
});

/** `transactional` mail (RSVP confirmations, decisions) cannot be unsubscribed from. */
export const UNSUBSCRIBABLE = CATEGORIES.filter((category) => category !== 'transactional');
export const UnsubscribeData = Type.Object({
  category: Type.Union(UNSUBSCRIBABLE.map((category) => Type.Literal(category))),
});

/** The whole list of categories the member is unsubscribed from, as the preferences page saves it. */
export const PreferencesData = Type.Object({
  unsubscribed: Type.Array(Type.Union(UNSUBSCRIBABLE.map((category) => Type.Literal(category))), {
    maxItems: UNSUBSCRIBABLE.length,
  }),
});

/** A human click on a tracked link (domain/clicks/recordClick.ts makes it; a platform may send its own). */
export const ClickData = Type.Object({
  url: Text(2000),
  template: Type.Optional(Text(200)),
  playbook: Type.Optional(Text(200)),
  stepId: Type.Optional(Text(200)),
  runId: Type.Optional(Text(400)),
  runStartedAt: Type.Optional(IsoDateTime),
});

interface Needs {
  /** `email`: must carry an email (to create the member); `member`: memberId or email; `none`. */
  member: 'email' | 'member' | 'none';
  eventId: boolean;
  data: TSchema | null;
}

const NEEDS: Record<KnownEventType, Needs> = {
  'member.applied': { member: 'email', eventId: false, data: MemberFields },
  'member.approved': { member: 'member', eventId: false, data: MemberFields },
  'member.declined': { member: 'member', eventId: false, data: MemberFields },
  'member.active': { member: 'member', eventId: false, data: MemberFields },
  'member.left': { member: 'member', eventId: false, data: MemberFields },
  'rsvp.created': { member: 'member', eventId: true, data: RsvpData },
  'rsvp.updated': { member: 'member', eventId: true, data: RsvpData },
  'rsvp.cancelled': { member: 'member', eventId: true, data: RsvpData },
  'event.updated': { member: 'none', eventId: true, data: EventFields },
  'event.cancelled': { member: 'none', eventId: true, data: null },
  'event.ended': { member: 'none', eventId: true, data: null },
  'survey.responded': { member: 'member', eventId: true, data: SurveyData },
  'email.unsubscribed': { member: 'member', eventId: false, data: UnsubscribeData },
  'email.preferences_saved': { member: 'member', eventId: false, data: PreferencesData },
  'email.clicked': { member: 'member', eventId: false, data: ClickData },
};

export function isKnownEventType(type: string): type is KnownEventType {
  return (KNOWN_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * Whether an event of this type is about a member who must already exist for it to take effect: every
 * member event but member.applied, which creates the member. Ingestion holds such an event until its member
 * appears rather than apply it to nobody.
 */
export function needsExistingMember(type: string): boolean {
  return isKnownEventType(type) && NEEDS[type].member === 'member';
}

/** Whether an event of this type creates its member (member.applied, by email). */
export function createsMember(type: string): boolean {
  return isKnownEventType(type) && NEEDS[type].member === 'email';
}

/** What is wrong with an event of a known type, as `{ field, message }` (field relative to the event). */
export function knownEventProblem(event: TendEvent): { field: string; message: string } | null {
  if (!isKnownEventType(event.type)) return null;
  const needs = NEEDS[event.type];
  if (needs.member === 'email' && event.email === undefined) {
    return { field: 'email', message: `is required: ${event.type} creates the member by email` };
  }
  if (needs.member === 'member' && event.memberId === undefined && event.email === undefined) {
    return { field: 'memberId', message: `or email is required: ${event.type} is about a member` };
  }
  if (needs.eventId && event.eventId === undefined) {
    return { field: 'eventId', message: `is required: ${event.type} is about a community event` };
  }
  if (needs.data === null) return null;
  const error = Value.Errors(needs.data, event.data ?? {}).First();
  if (error === undefined) return null;
  return { field: `data${error.path.replaceAll('/', '.')}`, message: describeValueError(error) };
}

const FORMAT_MEANINGS: Record<string, string> = {
  'date-time': 'must be an ISO 8601 date and time, e.g. 2025-06-01T18:30:00Z',
  'iana-zone': 'must be an IANA time zone, e.g. Europe/London',
};

/** What a value must be, in words, from TypeBox's finding: `must be one of: active, left`. */
export function describeValueError(error: ValueError): string {
  const { schema } = error;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.StringFormat:
      return FORMAT_MEANINGS[String(schema.format)] ?? `must be ${String(schema.format)}`;
    case ValueErrorType.Union:
      return `must be one of: ${Value.Check(LiteralUnion, schema) ? schema.anyOf.map((item) => item.const).join(', ') : 'the allowed values'}`;
    case ValueErrorType.String:
      return 'must be a string';
    case ValueErrorType.Number:
      return 'must be a number';
    case ValueErrorType.Boolean:
      return 'must be true or false';
    case ValueErrorType.Array:
      return 'must be an array';
    case ValueErrorType.Object:
      return 'must be an object';
    case ValueErrorType.Integer:
      return 'must be a whole number';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.IntegerMaximum:
      return `must be a whole number from ${String(schema.minimum)} to ${String(schema.maximum)}`;
    case ValueErrorType.StringMinLength:
      return 'must not be empty';
    case ValueErrorType.StringMaxLength:
      return `must be at most ${String(schema.maxLength)} characters`;
    default:
      return error.message.replace(/^Expected /, 'must be ');
  }
}

/** The shape of a union of literals, to list its values in a message. */
const LiteralUnion = Type.Object({ anyOf: Type.Array(Type.Object({ const: Type.String() })) });
