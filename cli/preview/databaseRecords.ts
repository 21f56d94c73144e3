// `tend preview --member <id | email>` with MONGODB_URI set: the member (and, with `--event <id>`, the event
// and the member's RSVP to it) as they are in the database now. Read once, through the same record mapping a
// run uses; the preview never writes to the database.

import type { ContextNeeds } from '../../compiler/plan.js';
import type { MemberRecord } from '../../compiler/records.js';
import { createModels } from '../../db/index.js';
import { loadRecords } from '../../domain/records/loadRecords.js';
import { toMemberRecord } from '../../domain/records/toRecords.js';
import type { LoadedRecords } from '../../contract/runtime.js';
import { connectDatabase } from '../servers.js';
import { PreviewInputError } from './previewFiles.js';

export interface DatabaseQuery {
  /** A member id, or an email address (it has an @). */
  member: string;
  eventId: string | null;
  needs: ContextNeeds;
  now: number;
}

export async function readDatabaseRecords(
  uri: string,
  query: DatabaseQuery,
): Promise<LoadedRecords & { member: MemberRecord }> {
  const connection = await connectDatabase(uri);
  try {
    const models = createModels(connection);
    const filter = query.member.includes('@')
      ? { email: query.member.trim().toLowerCase() }
      : { _id: query.member };
    const doc = await models.members.findOne(filter).lean().exec();
    if (doc === null) throw new PreviewInputError(`no member ${query.member} in the database`);
    const member = toMemberRecord(doc);
    const records = await loadRecords(
      models,
      { memberId: member._id, eventId: query.eventId, needs: query.needs },
      query.now,
    );
    if (query.eventId !== null && records.event === null) {
      throw new PreviewInputError(`no event ${query.eventId} in the database`);
    }
    return { ...records, member };
  } finally {
    await connection.close();
  }
}
