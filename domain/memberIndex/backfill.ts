// The members' indexes (db/memberIndex.ts), their addresses' keys (db/memberEmails.ts), the waiting
// applications (db/applications.ts), the join feed (db/joinFeed.ts) and the words of names (db/nameWords.ts)
// from the records already written: run after upgrading to a Tend with them, as part of `tend backfill`. Idempotent (entries are added to sets), and safe while Tend
// runs: what a writer enters meanwhile is entered by the writer too.
//
// Each collection is read once with a cursor, and every member's entries are gathered in memory before one
// update per member is written (50 to a command): one update per record would cost a round trip for each
// of, at 20,000 members, some 300,000 records. What is held is one small entry per record (about 100 bytes),
// and, from the one pass over the members, a key and a few words each.

import {
  JOIN_FEED_ENTRIES,
  upsertInPages,
  type JoinFeedDoc,
  type MemberDoc,
  type Models,
} from '../../db/index.js';
import { applicationFrom, syncApplication } from '../members/applications.js';
import { enterWords, memberWords } from '../members/nameWords.js';
import { enterForMembers, type IndexEntries } from './enter.js';

export type MemberIndexBackfillModels = Pick<
  Models,
  | 'runs'
  | 'deliveries'
  | 'rsvps'
  | 'surveyResponses'
  | 'activities'
  | 'memberIndex'
  | 'members'
  | 'memberEmails'
  | 'applications'
  | 'joinFeed'
  | 'nameWords'
>;

export interface MemberIndexBackfillResult {
  /** Records entered (already in the index, or added now). */
  records: number;
  /** Members whose index was written. */
  members: number;
  /** Addresses keyed to their member (db/memberEmails.ts). */
  addresses: number;
  /** Applications waiting (db/applications.ts). */
  applications: number;
  /** Members entered in the join feed (db/joinFeed.ts): the last to join. */
  joined: number;
  /** Words of names and addresses entered (db/nameWords.ts). */
  words: number;
}

export async function backfillMemberIndex(
  models: MemberIndexBackfillModels,
): Promise<MemberIndexBackfillResult> {
  const byMember = new Map<string, Required<IndexEntries>>();
  let records = 0;
  const entriesOf = (memberId: string): Required<IndexEntries> => {
    let entries = byMember.get(memberId);
    if (entries === undefined) {
      entries = { runs: [], deliveries: [], rsvps: [], surveys: [], activities: [] };
      byMember.set(memberId, entries);
    }
    records += 1;
    return entries;
  };

  for await (const run of models.runs
    .find({ memberId: { $ne: null } })
    .select({ memberId: 1, startedAt: 1 })
    .lean()
    .cursor()) {
    if (run.memberId !== null) entriesOf(run.memberId).runs.push({ id: run._id, at: run.startedAt });
  }
  for await (const row of models.deliveries
    .find({ memberId: { $ne: null } })
    .select({ memberId: 1, claimedAt: 1 })
    .lean()
    .cursor()) {
    if (row.memberId !== null) entriesOf(row.memberId).deliveries.push({ id: row._id, at: row.claimedAt });
  }
  for await (const rsvp of models.rsvps.find({}).select({ memberId: 1, createdAt: 1 }).lean().cursor()) {
    // An RSVP written without a time sorts as the oldest.
    entriesOf(rsvp.memberId).rsvps.push({ id: rsvp._id, at: rsvp.createdAt ?? new Date(0) });
  }
  for await (const answer of models.surveyResponses
    .find({})
    .select({ memberId: 1, respondedAt: 1 })
    .lean()
    .cursor()) {
    entriesOf(answer.memberId).surveys.push({ id: answer._id, at: answer.respondedAt });
  }
  for await (const { _id, memberId, kind, at, eventId, ref } of models.activities.find({}).lean().cursor()) {
    entriesOf(memberId).activities.push({ id: _id, kind, at, eventId, ref });
  }

  await enterForMembers(models, byMember);
  return { records, members: byMember.size, ...(await fromMembers(models)) };
}

/**
 * One pass over the members for what is kept beside them: their addresses' keys (correcting stale ones),
 * their applications, the words they are found by, and the newest joins; then the applications of members
 * no longer waiting are removed.
 */
async function fromMembers(
  models: MemberIndexBackfillModels,
): Promise<Pick<MemberIndexBackfillResult, 'addresses' | 'applications' | 'joined' | 'words'>> {
  const keys: { updateOne: { filter: { _id: string }; update: object; upsert: true } }[] = [];
  const applied = new Set<string>();
  const byWord = new Map<string, string[]>();
  const joins: JoinFeedDoc[] = [];
  for await (const member of models.members
    .find({})
    .select({ email: 1, status: 1, joinedAt: 1, name: 1, firstName: 1 })
    .lean<MemberDoc>()
    .cursor()) {
    keys.push({
      updateOne: { filter: { _id: member.email }, update: { $set: { memberId: member._id } }, upsert: true },
    });
    if (member.status === 'applied') {
      await applicationFrom(models, member._id, member);
      applied.add(member._id);
    }
    for (const word of memberWords(member)) {
      const ids = byWord.get(word);
      if (ids === undefined) byWord.set(word, [member._id]);
      else ids.push(member._id);
    }
    if (member.joinedAt) joins.push({ memberId: member._id, at: member.joinedAt });
  }
  await upsertInPages(models.memberEmails, keys);
  await enterWords(models, byWord);
  // The feed's order is the order written: the earliest of the newest first.
  const newest = joins.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, JOIN_FEED_ENTRIES);
  if (newest.length > 0) await models.joinFeed.insertMany(newest.reverse());
  // Read again before removing: the member may have applied since the pass went by.
  for await (const application of models.applications.find({}).lean().cursor())
    if (!applied.has(application._id)) await syncApplication(models, application._id);
  return { addresses: keys.length, applications: applied.size, joined: newest.length, words: byWord.size };
}
