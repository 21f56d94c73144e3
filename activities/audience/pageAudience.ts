// pageAudience: one page of the members an audience selects, for the fan-out that starts their runs. Pages
// are ranges of member ids (`_id > afterId`, ascending), so a page costs the same at member 100,000 as at the
// first, and members joining mid-way are neither skipped nor repeated. The condition becomes a MongoDB query
// through the operator allowlist: nothing else (`$where`, `$expr`, ...) reaches the database.

import type { Models } from '../../db/index.js';
import { toMongoQuery } from '../../compiler/conditions/mongoQuery.js';
import { ConditionError } from '../../compiler/conditions/allowlist.js';
import { invalidInput } from '../../contract/errors.js';
import type { AudiencePage, PageAudienceInput } from '../../contract/activityPayloads.js';

/** More than this per page would make one activity result (and the fan-out's history) too large. */
export const MAX_PAGE_SIZE = 5_000;

export function createPageAudience(deps: { models: Pick<Models, 'members' | 'rsvps'> }) {
  const { members, rsvps } = deps.models;

  return async function pageAudience(input: PageAudienceInput): Promise<AudiencePage> {
    const { audience, afterId, now } = input;
    const limit = pageSize(input.limit);
    const where = selection(audience.where, now);
    let memberIds: string[];
    if (audience.source === 'members') {
      const after = afterId === null ? [] : [{ _id: { $gt: String(afterId) } }];
      const docs = await members
        .find({ $and: [where, ...after] })
        .sort({ _id: 1 })
        .limit(limit)
        .select({ _id: 1 })
        .lean()
        .exec();
      memberIds = docs.map((doc) => doc._id);
    } else {
      if (input.eventId === null)
        throw invalidInput('an rsvps audience needs the trigger to name an eventId');
      const after = afterId === null ? [] : [{ memberId: { $gt: String(afterId) } }];
      const docs = await rsvps
        .find({ $and: [where, { eventId: String(input.eventId) }, ...after] })
        .sort({ memberId: 1 })
        .limit(limit)
        .select({ memberId: 1, _id: 0 })
        .lean()
        .exec();
      memberIds = docs.map((doc) => doc.memberId);
    }
    const last = memberIds.at(-1);
    return { memberIds, nextAfterId: memberIds.length === limit && last !== undefined ? last : null };
  };
}

function pageSize(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalidInput(`audience page size must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${limit}`);
  }
  return limit;
}

function selection(where: PageAudienceInput['audience']['where'], now: number): Record<string, unknown> {
  try {
    return toMongoQuery(where, new Date(now));
  } catch (error) {
    if (error instanceof ConditionError) throw invalidInput(`audience: ${error.message}`);
    throw error;
  }
}
