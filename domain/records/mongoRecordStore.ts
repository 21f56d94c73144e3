// The record store of real runs: MongoDB (or FerretDB) through the mongoose models.

import type { UpdateQuery } from 'mongoose';
import type { MemberDoc } from '../../db/index.js';
import type { MemberUpdate } from '../members/memberUpdate.js';
import { findMember, loadRecords, type RecordModels } from './loadRecords.js';
import type { RecordStore } from './recordStore.js';

export function createMongoRecordStore(models: RecordModels): RecordStore {
  return {
    loadRecords: (input, now) => loadRecords(models, input, now),
    findMember: (memberId, now) => findMember(models, memberId, now),
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
      return found;
    },
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
