// The members who joined last, from the join feed (db/joinFeed.ts): each entry is checked against the member
// it names, so an entry whose member has gone or whose `joinedAt` has moved is passed over.

import type { MemberDoc, Models } from '../../db/index.js';
import { eachById } from '../memberIndex/read.js';

export type JoinFeedModels = Pick<Models, 'members' | 'joinFeed'>;

/** Enters that the member joined at `joinedAt`. */
export async function noteJoin(models: JoinFeedModels, memberId: string, joinedAt: Date): Promise<void> {
  await models.joinFeed.create({ memberId: String(memberId), at: joinedAt });
}

/** Up to `limit` members, the last to join first. */
export async function newestMembers(models: JoinFeedModels, limit: number): Promise<MemberDoc[]> {
  const latest = new Map<string, Date>();
  for (const { memberId, at } of await models.joinFeed.find({}).lean().exec()) {
    const seen = latest.get(memberId);
    if (seen === undefined || seen < at) latest.set(memberId, at);
  }
  const newest = [...latest].sort(([, a], [, b]) => b.getTime() - a.getTime()).slice(0, limit);
  const members = await eachById(newest, ([memberId]) =>
    models.members.findById(memberId).lean<MemberDoc>().exec(),
  );
  return members.filter(
    (member, index): member is MemberDoc =>
      member !== null && member.joinedAt?.getTime() === newest[index]?.[1].getTime(),
  );
}
