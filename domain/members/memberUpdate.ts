// updateMember: what an `update_member` step writes. The fields a playbook may write, and what each takes
// (null removes the field, where removing makes sense):
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

import { IANAZone } from 'luxon';
import type { UpdateQuery } from 'mongoose';
import { MEMBER_STATUSES } from '../../compiler/records.js';
import type { MemberDoc, Models } from '../../db/index.js';
import { invalidInput } from '../../contract/errors.js';
import type { ActivityLogger } from '../../contract/logger.js';
import type { UpdateMemberInput } from '../../contract/activityPayloads.js';
import { assertSafeData, isSafeName } from './safeData.js';

const TEXT_FIELDS = new Set(['name', 'firstName', 'subgroup']);
const DATE_FIELDS = new Set(['joinedAt', 'approvedAt', 'lastActiveAt']);
const LIST_FIELDS = new Set(['interests', 'tags']);
const FREE_FORM_FIELDS = new Set(['profile', 'attributes']);
const WRITABLE =
  'name, firstName, subgroup, timezone, status, joinedAt, approvedAt, lastActiveAt, interests, tags, profile, attributes';

export function createUpdateMember(deps: { models: Pick<Models, 'members'>; logger: ActivityLogger }) {
  return async function updateMember({ memberId, request }: UpdateMemberInput): Promise<void> {
    const update = memberUpdate(request.set, request.addTags, request.removeTags);
    const filter = { _id: String(memberId) };
    const { members } = deps.models;
    if (Object.keys(update.write).length > 0) {
      const result = await members.updateOne(filter, update.write, { runValidators: true }).exec();
      if (result.matchedCount === 0)
        deps.logger.warn({ memberId, stepId: request.stepId }, 'member not found');
    }
    if (update.removeTags.length > 0) {
      // A separate update: MongoDB refuses two operators on one field in one update. $pullAll, not
      // `$pull: { $in }`, which FerretDB 1.24 accepts and silently ignores.
      await members.updateOne(filter, { $pullAll: { tags: update.removeTags } }).exec();
    }
  };
}

function memberUpdate(
  set: Record<string, unknown>,
  addTags: string[],
  removeTags: string[],
): { write: UpdateQuery<MemberDoc>; removeTags: string[] } {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  for (const [path, value] of Object.entries(set)) {
    const stored = storedValue(path, value);
    if (stored === null) $unset[path] = '';
    else $set[path] = stored;
  }
  const add = tagList(addTags, 'add_tags');
  const remove = tagList(removeTags, 'remove_tags');
  if ('tags' in $set && (add.length > 0 || remove.length > 0)) {
    throw invalidInput('update_member: set tags, or add_tags/remove_tags, not both');
  }
  const write: UpdateQuery<MemberDoc> = {
    ...(Object.keys($set).length > 0 ? { $set } : {}),
    ...(Object.keys($unset).length > 0 ? { $unset } : {}),
    ...(add.length > 0 ? { $addToSet: { tags: { $each: add } } } : {}),
  };
  return { write, removeTags: remove };
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
    if (value !== null && (typeof value !== 'string' || !IANAZone.isValidZone(value))) {
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
