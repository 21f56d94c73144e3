// The JSON files a manager hands `tend preview`: a member, a community event, the members an introduction may
// pick. Each is checked against a schema built from the fields the API accepts, and every problem is named
// with its file and field, so a typo in a hand-written file is told, not simulated.

import { readFile } from 'node:fs/promises';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ValueError } from '@sinclair/typebox/errors';
import {
  describeValueError,
  EventFields,
  MemberFields,
  UNSUBSCRIBABLE,
} from '../../domain/events/knownEvents.js';
import { NO_ACTIVITY } from '../../domain/memberActivity/memoryFacts.js';
import {
  MEMBER_STATUSES,
  type EventRecord,
  type MemberRecord,
  type MemberStatus,
} from '../../compiler/records.js';
import { PreviewInputError } from '../../preview/previewInputError.js';

const DateTime = Type.String({ format: 'date-time' });
const Id = Type.String({ minLength: 1, maxLength: 128 });
const Count = Type.Integer({ minimum: 0, description: 'a count: 0 or more' });

const MemberFile = Type.Composite([
  MemberFields,
  Type.Object({
    _id: Type.Optional(Id),
    email: Type.String({ minLength: 3, maxLength: 320 }),
    status: Type.Optional(Type.Union(MEMBER_STATUSES.map((status) => Type.Literal(status)))),
    joinedAt: Type.Optional(DateTime),
    approvedAt: Type.Optional(DateTime),
    lastActiveAt: Type.Optional(DateTime),
    unsubscribed: Type.Optional(
      Type.Array(Type.Union(UNSUBSCRIBABLE.map((category) => Type.Literal(category))), {
        description: `a list of the categories the member has unsubscribed from, like ["events"] (${UNSUBSCRIBABLE.join(', ')})`,
      }),
    ),
    activity: Type.Optional(
      Type.Object(
        {
          rsvps: Type.Optional(Count),
          attended: Type.Optional(Count),
          lastRsvpAt: Type.Optional(DateTime),
          lastAttendedAt: Type.Optional(DateTime),
          surveys: Type.Optional(Count),
          introductions: Type.Optional(Count),
          emails7d: Type.Optional(Count),
        },
        { additionalProperties: false },
      ),
    ),
    emailStatus: Type.Optional(
      Type.Union([Type.Literal('ok'), Type.Literal('bounced'), Type.Literal('complained')]),
    ),
  }),
]);
type MemberFile = Static<typeof MemberFile>;

const EventFile = Type.Composite([EventFields, Type.Object({ _id: Type.Optional(Id) })]);

/** A member from a JSON file; without `_id` it is `preview-member`, without `status` it has `status`. */
export async function readMemberFile(file: string, status: MemberStatus): Promise<MemberRecord> {
  return memberRecord(await readJson(file, MemberFile), 'preview-member', status);
}

/** The members an introduction may pick from: a JSON array of members. */
export async function readPeersFile(file: string): Promise<MemberRecord[]> {
  const peers = await readJson(file, Type.Array(MemberFile, { minItems: 1 }));
  return peers.map((peer, index) => memberRecord(peer, `preview-peer-${index + 1}`, 'active'));
}

/**
 * Community events from a JSON file: one event, or an array of them (the next events, `upcoming_events`, the
 * first of which is the run's event when it has one). Without `status` an event is published.
 */
export async function readEventsFile(file: string): Promise<EventRecord[]> {
  const read = await readJson(file, Type.Union([EventFile, Type.Array(EventFile, { minItems: 1 })]), {
    single: EventFile,
    list: Type.Array(EventFile, { minItems: 1 }),
  });
  const events = Array.isArray(read) ? read : [read];
  return events.map((event, index) => ({
    ...event,
    _id: event._id ?? (events.length === 1 ? 'preview-event' : `preview-event-${index + 1}`),
    status: event.status ?? 'published',
  }));
}

function memberRecord(member: MemberFile, defaultId: string, status: MemberStatus): MemberRecord {
  const { activity, ...fields } = member;
  return {
    ...fields,
    _id: member._id ?? defaultId,
    status: member.status ?? status,
    activity: { ...NO_ACTIVITY, ...activity },
  };
}

/**
 * A JSON file checked against `schema`. For a file that may be one thing or a list of them (`forms`), the
 * problems are told for the form the file has, field by field, not as "the file does not match".
 */
async function readJson<T extends TSchema>(
  file: string,
  schema: T,
  forms?: { single: TSchema; list: TSchema },
): Promise<Static<T>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PreviewInputError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (Value.Check(schema, value)) return value;
  const checked = forms === undefined ? schema : Array.isArray(value) ? forms.list : forms.single;
  // Each field that does not fit, once: what it must be and what the file has.
  const seen = new Set<string>();
  const problems = [...Value.Errors(checked, value)]
    .filter((error) => !seen.has(error.path) && seen.add(error.path))
    .slice(0, 10)
    .map((error) => {
      const found = error.value === undefined ? '' : ` (found ${shown(error.value)})`;
      return `${file}: ${fieldName(error.path)} ${problemText(error)}${found}`;
    });
  throw new PreviewInputError(problems.join('\n'));
}

/** `/2/startsAt` -> `[2].startsAt` (the third event's), `` -> `(the file)`. */
function fieldName(path: string): string {
  if (path === '') return '(the file)';
  return path
    .slice(1)
    .split('/')
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`))
    .join('');
}

/** The schema's own description says what to write where it has one; otherwise the check's meaning. */
function problemText(error: ValueError): string {
  const description: unknown = error.schema.description;
  return typeof description === 'string' ? `must be ${description}` : describeValueError(error);
}

/** A value as JSON, cut short: each problem stays one line. */
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}
