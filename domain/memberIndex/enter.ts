// Entering records in members' indexes (db/memberIndex.ts). One update per member, naming the member by
// `_id` alone (the filter FerretDB serves from an index), upserted: a member's first record makes their index.

import { upsertInPages, type Models } from '../../db/index.js';
import type { IndexedActivity, IndexedRecord, MemberIndexList } from '../../db/index.js';

export type MemberIndexModels = Pick<Models, 'memberIndex'>;

/** What to enter for one member: entries per list. */
export type IndexEntries = Partial<Record<Exclude<MemberIndexList, 'activities'>, IndexedRecord[]>> & {
  activities?: IndexedActivity[];
};

/** Enters one member's records. A member id of null (a community playbook's email) has no index. */
export async function enterInIndex(
  models: MemberIndexModels,
  memberId: string | null,
  entries: IndexEntries,
): Promise<void> {
  if (memberId === null) return;
  await enterForMembers(models, new Map([[String(memberId), entries]]));
}

/** Enters many members' records, 50 members to a command. */
export async function enterForMembers(
  models: MemberIndexModels,
  byMember: ReadonlyMap<string, IndexEntries>,
): Promise<void> {
  const updates = [...byMember].flatMap(([memberId, entries]) => {
    const addToSet = Object.fromEntries(
      Object.entries(entries)
        .filter(([, list]) => list !== undefined && list.length > 0)
        .map(([name, list]) => [name, { $each: list }]),
    );
    if (Object.keys(addToSet).length === 0) return [];
    return [{ updateOne: { filter: { _id: memberId }, update: { $addToSet: addToSet }, upsert: true } }];
  });
  await upsertInPages(models.memberIndex, updates);
}
