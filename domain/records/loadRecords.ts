// loadRecords: the fresh records a run reads before every condition and every send. Only what the plan needs
// is read (a run that never names `event` never queries events, and one that cannot read
// `member.activity.emails7d` never counts the deliveries, a full scan on FerretDB 1.24).

import type { Models } from '../../db/index.js';
import type { EventRecord, MemberRecord } from '../../compiler/records.js';
import type { LoadedRecords } from '../../contract/runtime.js';
import type { LoadRecordsInput } from '../../contract/activityPayloads.js';
import { emailsReceived } from '../memberActivity/emailsReceived.js';
import { digestReport } from '../reports/digest/digestReport.js';
import type { ReportModels } from '../reports/health/index.js';
import { countsEmails, EVERY_RECORD, type EmailsNeed } from './recordStore.js';
import { toEventRecord, toMemberRecord, toRsvpRecord } from './toRecords.js';

/** How many events `upcoming_events` lists: enough for a digest, few enough to read in one email. */
export const UPCOMING_EVENTS_LIMIT = 10;

/** What loading a run's records reads: its records, and for `report` what the health report reads. */
export type RecordModels = Pick<Models, 'members' | 'events' | 'rsvps' | 'deliveries'> & ReportModels;

/**
 * The member as a run sees them at `now`: `member.activity.emails7d` counts back from it when the plan's
 * `needs` say it can be read (without `needs`, as for a goal's condition at ingestion, it is counted).
 */
export async function findMember(
  models: Pick<Models, 'members' | 'deliveries'>,
  memberId: string,
  now: number,
  needs: EmailsNeed = EVERY_RECORD,
): Promise<MemberRecord | null> {
  const [doc, emails7d] = await Promise.all([
    models.members.findById(String(memberId)).lean().exec(),
    countsEmails(needs) ? emailsReceived(models, memberId, now) : null,
  ]);
  return doc === null ? null : toMemberRecord(doc, emails7d);
}

/** The next published events that start after `now`, soonest first. */
export async function upcomingEvents(models: Pick<Models, 'events'>, now: number): Promise<EventRecord[]> {
  const docs = await models.events
    .find({ status: 'published', startsAt: { $gt: new Date(now) } })
    .sort({ startsAt: 1, _id: 1 })
    .limit(UPCOMING_EVENTS_LIMIT)
    .lean()
    .exec();
  return docs.map(toEventRecord);
}

export async function loadRecords(
  models: RecordModels,
  { memberId, eventId, needs, zone }: LoadRecordsInput,
  now: number,
): Promise<LoadedRecords> {
  const event = eventId === null ? null : String(eventId);
  const [member, eventDoc, rsvpDoc, upcoming, report] = await Promise.all([
    memberId === null ? null : findMember(models, memberId, now, needs),
    needs.event && event !== null ? models.events.findById(event).lean().exec() : null,
    needs.rsvp && event !== null
      ? models.rsvps
          .findOne({ eventId: event, memberId: String(memberId) })
          .lean()
          .exec()
      : null,
    needs.upcomingEvents ? upcomingEvents(models, now) : [],
    // `needs.report` is absent from plans compiled before community playbooks existed.
    needs.report === true ? digestReport(models, { now: new Date(now), zone }) : null,
  ]);
  return {
    member,
    event: eventDoc === null ? null : toEventRecord(eventDoc),
    rsvp: rsvpDoc === null ? null : toRsvpRecord(rsvpDoc),
    upcomingEvents: upcoming,
    report,
  };
}
