// The members' indexes (db/memberIndex.ts), their addresses' keys (db/memberEmails.ts), the waiting
// applications (db/applications.ts), the join feed (db/joinFeed.ts) and the words of names (db/nameWords.ts)
// from the records already written: run after upgrading to a Tend
// with the index, as part of `tend backfill`. Idempotent (entries are added to sets), and safe while Tend
// runs: what a writer enters meanwhile is entered by the writer too.
//
// Each collection is read once with a cursor, and every member's entries are gathered in memory before one
// update per member is written (50 to a command): one update per record would cost a round trip for each
// of, at 20,000 members, some 300,000 records. What is held is one small entry per record (about 100 bytes).

import { JOIN_FEED_ENTRIES, upsertRacing, type Models } from '../../db/index.js';
import { syncApplication } from '../members/applications.js';
import { noteJoin } from '../members/newestMembers.js';
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

/** Keys written to a command, as the indexes' updates (domain/memberIndex/enter.ts). */
const KEYS_PER_WRITE = 50;

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
  const addresses = await keyAllEmails(models);
  const applications = await listApplications(models);
  const joined = await feedNewestJoins(models);
  return {
    records,
    members: byMember.size,
    addresses,
    applications,
    joined,
    words: await enterAllWords(models),
  };
}

/** Enters every member under the words of their name and address. */
async function enterAllWords(models: MemberIndexBackfillModels): Promise<number> {
  const byWord = new Map<string, string[]>();
  for await (const member of models.members
    .find({})
    .select({ name: 1, firstName: 1, email: 1 })
    .lean()
    .cursor())
    for (const word of memberWords(member)) {
      const ids = byWord.get(word);
      if (ids === undefined) byWord.set(word, [member._id]);
      else ids.push(member._id);
    }
  await enterWords(models, byWord);
  return byWord.size;
}

/** Enters the members who joined last in the join feed, the earliest of them first (the feed's order). */
async function feedNewestJoins(models: MemberIndexBackfillModels): Promise<number> {
  const newest = await models.members
    .find({ joinedAt: { $ne: null } })
    .select({ joinedAt: 1 })
    .sort({ joinedAt: -1 })
    .limit(JOIN_FEED_ENTRIES)
    .lean()
    .exec();
  for (const member of newest.reverse())
    if (member.joinedAt) await noteJoin(models, member._id, member.joinedAt);
  return newest.length;
}

/** Lists every applicant's application, and removes those of members no longer waiting. */
async function listApplications(models: MemberIndexBackfillModels): Promise<number> {
  let listed = 0;
  for await (const member of models.members.find({ status: 'applied' }).select({ _id: 1 }).lean().cursor()) {
    await syncApplication(models, member._id);
    listed += 1;
  }
  for await (const application of models.applications.find({}).lean().cursor())
    await syncApplication(models, application._id);
  return listed;
}

/** Keys every member's address to them (db/memberEmails.ts), correcting stale keys. */
async function keyAllEmails(models: MemberIndexBackfillModels): Promise<number> {
  let keyed = 0;
  let writes: { updateOne: { filter: { _id: string }; update: object; upsert: true } }[] = [];
  const flush = async () => {
    const page = writes;
    writes = [];
    if (page.length > 0) await upsertRacing(() => models.memberEmails.bulkWrite(page, { ordered: false }));
    keyed += page.length;
  };
  for await (const member of models.members.find({}).select({ email: 1 }).lean().cursor()) {
    writes.push({
      updateOne: { filter: { _id: member.email }, update: { $set: { memberId: member._id } }, upsert: true },
    });
    if (writes.length >= KEYS_PER_WRITE) await flush();
  }
  await flush();
  return keyed;
}
