// A preview of a stored member: the member (and, with an event id, the event and the member's RSVP to it) as
// they are in the database now. Read once, through the same record mapping a run uses; the preview never
// writes to the database. `tend preview --member` (cli/preview/databaseRecords.ts connects) and the console's
// preview page read this way.

import type { ContextNeeds } from '../compiler/plan.js';
import type { MemberRecord } from '../compiler/records.js';
import type { Models } from '../db/index.js';
import { loadRecords } from '../domain/records/loadRecords.js';
import { countsEmails } from '../domain/records/recordStore.js';
import { toMemberRecord } from '../domain/records/toRecords.js';
import { emailsReceived } from '../domain/memberActivity/emailsReceived.js';
import type { LoadedRecords } from '../contract/runtime.js';
import { PreviewInputError } from './previewInputError.js';

export interface DatabaseQuery {
  /** A member id, or an email address (it has an @). */
  member: string;
  eventId: string | null;
  needs: ContextNeeds;
  now: number;
  /** The community's zone. */
  zone: string;
}

/** The member (and event, RSVP) by id or email, over connected models; `tend preview` and the console. */
export async function readStoredRecords(
  models: Models,
  query: DatabaseQuery,
): Promise<LoadedRecords & { member: MemberRecord }> {
  const filter = query.member.includes('@')
    ? { email: query.member.trim().toLowerCase() }
    : { _id: query.member };
  const doc = await models.members.findOne(filter).lean().exec();
  if (doc === null) throw new PreviewInputError(`no member ${query.member} in the database`);
  const emails7d = countsEmails(query.needs) ? await emailsReceived(models, doc._id, query.now) : null;
  const member = toMemberRecord(doc, emails7d);
  const records = await loadRecords(
    models,
    { memberId: member._id, eventId: query.eventId, needs: query.needs, zone: query.zone },
    query.now,
  );
  if (query.eventId !== null && records.event === null) {
    throw new PreviewInputError(`no event ${query.eventId} in the database`);
  }
  return { ...records, member };
}
