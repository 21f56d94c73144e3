// The record store of real runs: MongoDB (or FerretDB) through the mongoose models.

import type { UpdateQuery } from 'mongoose';
import type { EventRecord } from '../../compiler/records.js';
import { upsertRacing, type MemberDoc, type Models } from '../../db/index.js';
import type { MemberUpdate } from '../members/memberUpdate.js';
import { enterInIndex } from '../memberIndex/enter.js';
import { applicationFrom } from '../members/applications.js';
import { noteJoin } from '../members/newestMembers.js';
import { enterMemberWords } from '../members/nameWords.js';
import { keyEmail, keyedMember, memberByEmail } from '../members/memberByEmail.js';
import { recordActivities, refreshFacts } from '../memberActivity/record.js';
import { findMember, loadRecords, type RecordModels } from './loadRecords.js';
import type { MemberEventWrite, RecordStore } from './recordStore.js';
import { toEventRecord } from './toRecords.js';

/** The collections the store reads and writes. */
export type MongoRecordModels = RecordModels &
  Pick<
    Models,
    | 'surveyResponses'
    | 'activities'
    | 'introductions'
    | 'memberIndex'
    | 'memberEmails'
    | 'applications'
    | 'joinFeed'
    | 'nameWords'
  >;

export function createMongoRecordStore(models: MongoRecordModels): RecordStore {
  return {
    loadRecords: (input, now) => loadRecords(models, input, now),
    findMember: (memberId, now, needs) => findMember(models, memberId, now, needs),
    async updateMember(memberId, update) {
      const filter = { _id: String(memberId) };
      const write = mongoWrite(update);
      let found = true;
      if (Object.keys(write).length > 0) {
        const result = await models.members.updateOne(filter, write, { runValidators: true }).exec();
        found = result.matchedCount > 0;
      }
      if (update.removeTags.length > 0) {
        // A separate update: MongoDB refuses two operators on one field in one update. $pullAll, not
        // `$pull: { $in }`, which FerretDB 1.24 accepts and silently ignores.
        await models.members.updateOne(filter, { $pullAll: { tags: update.removeTags } }).exec();
      }
      if (found)
        await keepBeside(models, String(memberId), {
          application: changesApplication(update.set),
          words: changesWords(update.set),
        });
      return found;
    },

    async memberStatus(memberId) {
      const doc = await models.members.findById(String(memberId), { status: 1 }).lean().exec();
      return doc?.status ?? null;
    },
    async findEvent(eventId) {
      const doc = await models.events.findById(eventId).lean().exec();
      return doc === null ? null : toEventRecord(doc);
    },
    async findMemberIdByEmail(email) {
      return (await memberByEmail(models, email))?._id ?? null;
    },
    async createMemberByEmail(email, newId) {
      // A member who has the address already is found by its key; only a new address costs the upsert by
      // `email` (a scan on FerretDB: members the host platform wrote have no key).
      const keyed = await keyedMember(models, email);
      if (keyed !== null) return keyed._id;
      const create = () =>
        models.members
          .findOneAndUpdate(
            { email },
            { $setOnInsert: { _id: newId, email, status: 'applied' } },
            { upsert: true, returnDocument: 'after' },
          )
          .lean()
          .exec();
      // Two deliveries may race to create the same member; the loser finds the winner's record.
      const member = await upsertRacing(create);
      if (member === null) return null;
      await keyEmail(models, email, member._id);
      await keepBeside(models, member._id, { application: true, words: true });
      return member._id;
    },
    async writeMember(memberId, write) {
      // One write naming the member by _id alone: FerretDB serves only _id filters from an index and scans
      // for anything else, so conditions go into the update ($min, $max).
      const update = memberEventWrite(write);
      if (Object.keys(update).length > 0) await models.members.updateOne({ _id: memberId }, update).exec();
      await keepBeside(models, memberId, {
        application: changesApplication(write.set) || write.earliest !== undefined,
        words: changesWords(write.set),
        joined: write.earliest === undefined ? undefined : new Date(write.earliest.joinedAt),
      });
    },
    async writeRsvp({ eventId, memberId, createdAt, ...fields }) {
      const rsvp = await upsertRacing(() =>
        models.rsvps
          .findOneAndUpdate(
            { eventId, memberId },
            { $set: fields, $setOnInsert: { createdAt: new Date(createdAt) } },
            // No projection: FerretDB 1.24 refuses one on findAndModify.
            { upsert: true, returnDocument: 'after' },
          )
          .lean<{ _id: unknown; createdAt?: Date }>()
          .exec(),
      );
      // After the write, which gives the `_id`; a retried application enters it then (db/memberIndex.ts).
      if (rsvp !== null)
        await enterInIndex(models, memberId, {
          rsvps: [{ id: rsvp._id, at: rsvp.createdAt ?? new Date(createdAt) }],
        });
    },
    async writeEvent(eventId, fields, newStatus) {
      const insert = fields.status === undefined ? { $setOnInsert: { status: newStatus } } : {};
      await upsertRacing(() =>
        models.events
          .updateOne({ _id: eventId }, { $set: eventDoc(fields), ...insert }, { upsert: true })
          .exec(),
      );
    },
    async writeSurveyResponse({ memberId, eventId, respondedAt, ...fields }) {
      const answer = await upsertRacing(() =>
        models.surveyResponses
          .findOneAndUpdate(
            { memberId, eventId },
            { $set: { ...fields, respondedAt: new Date(respondedAt) } },
            { upsert: true, returnDocument: 'after' },
          )
          .lean<{ _id: unknown }>()
          .exec(),
      );
      if (answer !== null)
        await enterInIndex(models, memberId, { surveys: [{ id: answer._id, at: new Date(respondedAt) }] });
    },
    recordActivities: (activities) => recordActivities(models, activities),
    refreshFacts: (memberId) => refreshFacts(models, memberId),
  };
}

/**
 * Brings what is kept beside a member in step after a write to them, reading the member once: their
 * application (db/applications.ts), the join feed when an approval set `joined` as their earliest
 * `joinedAt` (a later one leaves the earliest: db/joinFeed.ts), the words they are found by (db/nameWords.ts).
 */
async function keepBeside(
  models: MongoRecordModels,
  memberId: string,
  changed: { application: boolean; words: boolean; joined?: Date },
): Promise<void> {
  if (!changed.application && !changed.words) return;
  const member = await models.members
    .findById(memberId, { status: 1, joinedAt: 1, name: 1, firstName: 1, email: 1 })
    .lean<MemberDoc>()
    .exec();
  if (changed.application) await applicationFrom(models, memberId, member);
  if (changed.joined !== undefined && member?.joinedAt?.getTime() === changed.joined.getTime())
    await noteJoin(models, memberId, changed.joined);
  if (changed.words && member !== null) await enterMemberWords(models, member);
}

/** Whether a write can change the words the member is found by (db/nameWords.ts). */
function changesWords(set: Record<string, unknown>): boolean {
  return 'name' in set || 'firstName' in set || 'email' in set;
}

/** Whether a write can list or unlist the member's application (db/applications.ts). */
function changesApplication(set: Record<string, unknown>): boolean {
  return 'status' in set || 'joinedAt' in set;
}

const MEMBER_DATE_FIELDS = new Set(['joinedAt', 'approvedAt', 'lastActiveAt', 'leftAt']);

/** What an event writes to a member, as one MongoDB update (times as Dates). */
function memberEventWrite({
  set,
  earliest,
  latest,
  unsubscribe = [],
}: MemberEventWrite): UpdateQuery<MemberDoc> {
  const $set = Object.fromEntries(
    Object.entries(set).map(([path, value]) => [
      path,
      MEMBER_DATE_FIELDS.has(path) && typeof value === 'string' ? new Date(value) : value,
    ]),
  );
  return {
    ...(Object.keys($set).length > 0 ? { $set } : {}),
    ...(earliest === undefined ? {} : { $min: { joinedAt: new Date(earliest.joinedAt) } }),
    ...(latest === undefined ? {} : { $max: { lastActiveAt: new Date(latest.lastActiveAt) } }),
    ...(unsubscribe.length > 0 ? { $addToSet: { unsubscribed: { $each: unsubscribe } } } : {}),
  };
}

/** Event record fields as the events collection stores them (times as Dates). */
function eventDoc(fields: Partial<EventRecord>): Record<string, unknown> {
  const { startsAt, endsAt, ...plain } = fields;
  return {
    ...plain,
    ...(startsAt === undefined ? {} : { startsAt: new Date(startsAt) }),
    ...(endsAt === undefined ? {} : { endsAt: new Date(endsAt) }),
  };
}

/** The update as one MongoDB write (tags to remove go in a second one). */
function mongoWrite(update: MemberUpdate): UpdateQuery<MemberDoc> {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  for (const [path, value] of Object.entries(update.set)) {
    if (value === null) $unset[path] = '';
    else $set[path] = value;
  }
  return {
    ...(Object.keys($set).length > 0 ? { $set } : {}),
    ...(Object.keys($unset).length > 0 ? { $unset } : {}),
    ...(update.addTags.length > 0 ? { $addToSet: { tags: { $each: update.addTags } } } : {}),
  };
}
