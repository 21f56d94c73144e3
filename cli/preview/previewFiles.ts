// The JSON files a manager hands `tend preview`: a member, a community event, the members an introduction may
// pick. Each is checked against a schema built from the fields the API accepts, and every problem is named
// with its file and field, so a typo in a hand-written file is told, not simulated.

import { readFile } from 'node:fs/promises';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describeValueError, EventFields, MemberFields } from '../../domain/events/knownEvents.js';
import {
  MEMBER_STATUSES,
  type EventRecord,
  type MemberRecord,
  type MemberStatus,
} from '../../compiler/records.js';

const DateTime = Type.String({ format: 'date-time' });
const Id = Type.String({ minLength: 1, maxLength: 128 });

const MemberFile = Type.Composite([
  MemberFields,
  Type.Object({
    _id: Type.Optional(Id),
    email: Type.String({ minLength: 3, maxLength: 320 }),
    status: Type.Optional(Type.Union(MEMBER_STATUSES.map((status) => Type.Literal(status)))),
    joinedAt: Type.Optional(DateTime),
    approvedAt: Type.Optional(DateTime),
    lastActiveAt: Type.Optional(DateTime),
    unsubscribed: Type.Optional(Type.Array(Type.String())),
    emailStatus: Type.Optional(
      Type.Union([Type.Literal('ok'), Type.Literal('bounced'), Type.Literal('complained')]),
    ),
  }),
]);
type MemberFile = Static<typeof MemberFile>;

const EventFile = Type.Composite([EventFields, Type.Object({ _id: Type.Optional(Id) })]);

export class PreviewInputError extends Error {
  override name = 'PreviewInputError';
}

/** A member from a JSON file; without `_id` it is `preview-member`, without `status` it has `status`. */
export async function readMemberFile(file: string, status: MemberStatus): Promise<MemberRecord> {
  return memberRecord(await readJson(file, MemberFile), 'preview-member', status);
}

/** The members an introduction may pick from: a JSON array of members. */
export async function readPeersFile(file: string): Promise<MemberRecord[]> {
  const peers = await readJson(file, Type.Array(MemberFile, { minItems: 1 }));
  return peers.map((peer, index) => memberRecord(peer, `preview-peer-${index + 1}`, 'active'));
}

/** A community event from a JSON file; without `status` it is published. */
export async function readEventFile(file: string): Promise<EventRecord> {
  const event = await readJson(file, EventFile);
  return { ...event, _id: event._id ?? 'preview-event', status: event.status ?? 'published' };
}

function memberRecord(member: MemberFile, defaultId: string, status: MemberStatus): MemberRecord {
  return { ...member, _id: member._id ?? defaultId, status: member.status ?? status };
}

async function readJson<T extends TSchema>(file: string, schema: T): Promise<Static<T>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PreviewInputError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (Value.Check(schema, value)) return value;
  // Each field that does not fit, once: what it must be (as the API says it) and what the file has.
  const seen = new Set<string>();
  const problems = [...Value.Errors(schema, value)]
    .filter((error) => !seen.has(error.path) && seen.add(error.path))
    .slice(0, 10)
    .map((error) => {
      const field = error.path === '' ? '(the file)' : error.path.slice(1).replaceAll('/', '.');
      const found = error.value === undefined ? '' : ` (found ${shown(error.value)})`;
      return `${file}: ${field} ${describeValueError(error)}${found}`;
    });
  throw new PreviewInputError(problems.join('\n'));
}

/** A value as JSON, cut short: each problem stays one line. */
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}
