// What an `update_member` step writes, checked once for every record store (domain/records/): the updateMember
// activity writes it to MongoDB, `tend preview` to the member it holds in memory. The fields a playbook may
// write, and what each takes (null removes the field, where removing makes sense):
//
//   name, firstName, subgroup           text, or null
//   timezone                            an IANA zone, or null
//   status                              applied, active, declined, left or banned
//   joinedAt, approvedAt, lastActiveAt  an ISO 8601 time, or null
//   interests, tags                     lists of text
//   profile, attributes                 an object of plain JSON, or null
//   profile.<path>, attributes.<path>   any plain JSON value, or null
//
// Never `_id` or `email` (the member's identity), `unsubscribed` (the member's own choice) or `emailStatus`
// (what the mail system reported); the compiler refuses them too, and maps any other name to
// `attributes.<name>`. A request naming anything else, or a value of the wrong kind, fails without retrying:
// it is a plan that cannot be right, not a moment's trouble. `add_tags` and `remove_tags` add and remove
// single tags without rewriting the list; a tag in both ends up removed.

import { isTimeZone } from '../../compiler/isTimeZone.js';
import { MEMBER_STATUSES, type MemberRecord } from '../../compiler/records.js';
import { invalidInput } from '../../contract/errors.js';
import type { UpdateMemberRequest } from '../../contract/runtime.js';
import { assertSafeData, isSafeName } from './safeData.js';

const TEXT_FIELDS = new Set(['name', 'firstName', 'subgroup']);
const DATE_FIELDS = new Set(['joinedAt', 'approvedAt', 'lastActiveAt']);
const LIST_FIELDS = new Set(['interests', 'tags']);
const FREE_FORM_FIELDS = new Set(['profile', 'attributes']);
const WRITABLE =
  'name, firstName, subgroup, timezone, status, joinedAt, approvedAt, lastActiveAt, interests, tags, profile, attributes';

/** A checked member update: values to store by path (null: remove the field), tags to add and remove. */
export interface MemberUpdate {
  set: Record<string, unknown>;
  addTags: string[];
  removeTags: string[];
}

/** Checks an update_member request; a non-retryable error says what is wrong with it. */
export function memberUpdate(
  request: Pick<UpdateMemberRequest, 'set' | 'addTags' | 'removeTags'>,
): MemberUpdate {
  const set = Object.fromEntries(
    Object.entries(request.set).map(([path, value]) => [path, storedValue(path, value)] as const),
  );
  const addTags = tagList(request.addTags, 'add_tags');
  const removeTags = tagList(request.removeTags, 'remove_tags');
  if ('tags' in set && (addTags.length > 0 || removeTags.length > 0)) {
    throw invalidInput('update_member: set tags, or add_tags/remove_tags, not both');
  }
  return { set, addTags, removeTags };
}

/** The update applied to a member held in memory (times as ISO 8601 text, as records carry them). */
export function applyMemberUpdate(member: MemberRecord, update: MemberUpdate): void {
  for (const [path, value] of Object.entries(update.set)) {
    writePath(member, path.split('.'), value instanceof Date ? value.toISOString() : value);
  }
  if (update.addTags.length > 0 || update.removeTags.length > 0) {
    const tags = new Set([...(member.tags ?? []), ...update.addTags]);
    for (const tag of update.removeTags) tags.delete(tag);
    member.tags = [...tags];
  }
}

/** Sets (or, for null, removes) the value at a checked path, copying the objects on the way. */
function writePath(node: object, [name = '', ...rest]: string[], value: unknown): void {
  if (rest.length === 0) {
    if (value === null) Reflect.deleteProperty(node, name);
    else Reflect.set(node, name, value);
    return;
  }
  const child: unknown = Reflect.get(node, name);
  const copy: object = isRecord(child) ? { ...child } : {};
  Reflect.set(node, name, copy);
  writePath(copy, rest, value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value to store at `path` (null: remove the field), or a non-retryable error saying what is wrong. */
function storedValue(path: string, value: unknown): unknown {
  const [field = '', ...rest] = path.split('.');
  const refuse = (what: string) =>
    invalidInput(`update_member: ${field} must be ${what}, not ${JSON.stringify(value)}`);
  if (FREE_FORM_FIELDS.has(field)) {
    if (!rest.every(isSafeName)) throw invalidInput(`update_member: "${path}" is not a field name`);
    if (rest.length === 0 && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      throw refuse('an object');
    }
    assertSafeData(value, `update_member ${path}`);
    return value;
  }
  if (rest.length > 0) throw invalidInput(`update_member: "${path}" is not a field a playbook can write`);
  if (TEXT_FIELDS.has(field)) {
    if (value !== null && typeof value !== 'string') throw refuse('text');
    return value;
  }
  if (field === 'timezone') {
    if (value !== null && (typeof value !== 'string' || !isTimeZone(value))) {
      throw refuse('a time zone like Europe/London');
    }
    return value;
  }
  if (field === 'status') {
    if (!MEMBER_STATUSES.some((status) => status === value))
      throw refuse(`one of ${MEMBER_STATUSES.join(', ')}`);
    return value;
  }
  if (DATE_FIELDS.has(field)) {
    if (value === null) return null;
    const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time)) throw refuse('a time like 2026-03-14T18:30:00Z');
    return new Date(time);
  }
  if (LIST_FIELDS.has(field)) {
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
      throw refuse('a list of text');
    return value;
  }
  throw invalidInput(`update_member: "${path}" is not a field a playbook can write (writable: ${WRITABLE})`);
}

function tagList(tags: unknown, where: string): string[] {
  if (!Array.isArray(tags)) throw invalidInput(`update_member: ${where} must be a list of tags`);
  const valid = tags.filter((tag): tag is string => typeof tag === 'string' && tag.length > 0);
  if (valid.length !== tags.length) throw invalidInput(`update_member: ${where} must be a list of tags`);
  return valid;
}
