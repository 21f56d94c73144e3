// updateMember: what an `update_member` step writes. Only these fields are writable by a playbook:
//
//   name, firstName, subgroup      text, or null to remove
//   timezone                       an IANA zone, or null to remove
//   interests, tags                lists of text
//   profile.<path>, attributes.<path>   any plain JSON value, or null to remove
//
// Never `_id` or `email` (the member's identity), nor `status`, `unsubscribed`, `emailStatus` or the dates:
// those record what happened (an approval, an unsubscribe, a bounce) and change only through events, so that
// every playbook waiting for those events hears of it. A request naming anything else fails without retrying.
// `add_tags` and `remove_tags` add and remove single tags without rewriting the list; a tag in both ends up
// removed.

import { IANAZone } from 'luxon';
import type { UpdateQuery } from 'mongoose';
import type { MemberDoc, Models } from '../../db/index.js';
import { invalidInput } from '../errors.js';
import type { ActivityLogger } from '../logger.js';
import type { UpdateMemberInput } from '../types.js';
import { assertSafeData, isSafeName } from './safeData.js';

const TEXT_FIELDS = new Set(['name', 'firstName', 'subgroup']);
const LIST_FIELDS = new Set(['interests', 'tags']);
const FREE_FORM_FIELDS = new Set(['profile', 'attributes']);

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
    checkField(path, value);
    if (value === null) $unset[path] = '';
    else $set[path] = value;
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

function checkField(path: string, value: unknown): void {
  const [field = '', ...rest] = path.split('.');
  if (FREE_FORM_FIELDS.has(field)) {
    if (rest.length === 0 || !rest.every(isSafeName)) {
      throw invalidInput(
        `update_member: write ${field}.<field> (letters, digits, _ and - only), not "${path}"`,
      );
    }
    assertSafeData(value, `update_member ${path}`);
    return;
  }
  if (rest.length > 0) throw invalidInput(`update_member: "${path}" is not a field a playbook can write`);
  if (TEXT_FIELDS.has(field)) {
    if (value !== null && typeof value !== 'string')
      throw invalidInput(`update_member: ${field} must be text`);
    return;
  }
  if (field === 'timezone') {
    if (value !== null && (typeof value !== 'string' || !IANAZone.isValidZone(value))) {
      throw invalidInput(
        `update_member: timezone must be a time zone like Europe/London, not ${JSON.stringify(value)}`,
      );
    }
    return;
  }
  if (LIST_FIELDS.has(field)) {
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw invalidInput(`update_member: ${field} must be a list of text`);
    }
    return;
  }
  throw invalidInput(
    `update_member: "${path}" is not a field a playbook can write (writable: name, firstName, subgroup, timezone, interests, tags, profile.*, attributes.*)`,
  );
}

function tagList(tags: unknown, where: string): string[] {
  if (!Array.isArray(tags)) throw invalidInput(`update_member: ${where} must be a list of tags`);
  const valid = tags.filter((tag): tag is string => typeof tag === 'string' && tag.length > 0);
  if (valid.length !== tags.length) throw invalidInput(`update_member: ${where} must be a list of tags`);
  return valid;
}
