// The backfill: records in the history what the existing records already say, then recomputes every
// member's facts. Run after upgrading to a Tend with the history, and any time the facts are in doubt (a
// platform that wrote MongoDB directly): it is idempotent, and safe while events are being applied (an
// event applied meanwhile refreshes its member's facts again).
//
//   lastActiveAt              -> `active` at that time (earlier member.active events are not in any record)
//   RSVPs with status going   -> `rsvp` at the RSVP's createdAt
//   RSVPs marked attended     -> `attended` at the event's end (its start, else the RSVP's createdAt)
//   survey responses          -> `survey` at respondedAt
//
// Every collection is streamed with a cursor and written in batches; what is held in memory is one batch,
// the events' times (one date per event) and, for the facts, the distinct events per member.

import type { ActivityDoc, EventDoc, Models, RsvpDoc } from '../../db/index.js';
import { activityId } from './activityId.js';
import { FACT_KINDS, FactsFold } from './facts.js';
import { recordActivities } from './record.js';

export type BackfillModels = Pick<
  Models,
  'members' | 'events' | 'rsvps' | 'surveyResponses' | 'introductions' | 'activities' | 'memberIndex'
>;

export interface BackfillResult {
  /** Activities found in the records (inserted now, or already in the history). */
  activities: number;
  /** Members whose facts were written. */
  members: number;
}

const BATCH = 500;
/**
 * Members' facts are written 50 updates to a command: FerretDB 1.24 on SQLite stood still
 * on one `update` command of 100 updates of members, where 90 went through (a backfill of more than a few dozen
 * members never finished; see bench/RESULTS.md, the health report).
 */
const FACTS_PER_WRITE = 50;

export async function backfillActivity(models: BackfillModels): Promise<BackfillResult> {
  const batch = new ActivityBatch(models);
  for await (const member of models.members
    .find({ lastActiveAt: { $ne: null } })
    .select({ lastActiveAt: 1 })
    .lean()
    .cursor()) {
    if (member.lastActiveAt)
      await batch.add(activity('active', member._id, null, member.lastActiveAt, 'members'));
  }

  const eventTimes = await attendanceTimes(models);
  for await (const rsvp of models.rsvps.find({}).lean<RsvpDoc[]>().cursor()) {
    if (rsvp.status === 'going' && rsvp.createdAt) {
      await batch.add(activity('rsvp', rsvp.memberId, rsvp.eventId, rsvp.createdAt, 'rsvps'));
    }
    const attendedAt = eventTimes.get(rsvp.eventId) ?? rsvp.createdAt;
    if (rsvp.attended === true && attendedAt) {
      await batch.add(activity('attended', rsvp.memberId, rsvp.eventId, attendedAt, 'rsvps'));
    }
  }

  for await (const response of models.surveyResponses.find({}).lean().cursor()) {
    await batch.add(
      activity('survey', response.memberId, response.eventId, response.respondedAt, 'surveyResponses'),
    );
  }
  await batch.flush();

  return { activities: batch.count, members: await writeAllFacts(models) };
}

/** Folds the whole history and the introductions into facts, and sets them on every member. */
async function writeAllFacts(models: BackfillModels): Promise<number> {
  const folds = new Map<string, FactsFold>();
  const foldOf = (memberId: string) => {
    const existing = folds.get(memberId);
    if (existing) return existing;
    const fold = new FactsFold();
    folds.set(memberId, fold);
    return fold;
  };
  for await (const item of models.activities
    .find({ kind: { $in: [...FACT_KINDS] } })
    .select({ memberId: 1, kind: 1, eventId: 1, at: 1 })
    .lean<ActivityDoc[]>()
    .cursor()) {
    foldOf(item.memberId).add(item);
  }
  for await (const intro of models.introductions.find({}).select({ memberIds: 1 }).lean().cursor()) {
    for (const memberId of intro.memberIds) foldOf(memberId).addIntroductions(1);
  }

  let written = 0;
  let writes: { updateOne: { filter: { _id: string }; update: Record<string, unknown> } }[] = [];
  const flush = async () => {
    if (writes.length > 0) await models.members.bulkWrite(writes, { ordered: false });
    written += writes.length;
    writes = [];
  };
  for await (const member of models.members.find({}).select({ _id: 1 }).lean().cursor()) {
    const facts = (folds.get(member._id) ?? new FactsFold()).facts();
    writes.push({ updateOne: { filter: { _id: member._id }, update: { $set: { activity: facts } } } });
    if (writes.length >= FACTS_PER_WRITE) await flush();
  }
  await flush();
  return written;
}

/** When attendance at each event happened, for marks that carry no time of their own. */
async function attendanceTimes(models: BackfillModels): Promise<Map<string, Date>> {
  const times = new Map<string, Date>();
  for await (const event of models.events
    .find({})
    .select({ startsAt: 1, endsAt: 1 })
    .lean<EventDoc[]>()
    .cursor()) {
    const at = event.endsAt ?? event.startsAt;
    if (at) times.set(event._id, at);
  }
  return times;
}

function activity(
  kind: ActivityDoc['kind'],
  memberId: string,
  eventId: string | null,
  at: Date,
  collection: string,
): ActivityDoc {
  return {
    _id: activityId(kind, memberId, eventId, at),
    memberId,
    kind,
    at,
    ...(eventId === null ? {} : { eventId }),
    ref: `backfill:${collection}`,
  };
}

/** Activities written BATCH at a time. */
class ActivityBatch {
  count = 0;
  private pending: ActivityDoc[] = [];

  constructor(private readonly models: Pick<Models, 'activities' | 'memberIndex'>) {}

  async add(item: ActivityDoc): Promise<void> {
    this.pending.push(item);
    this.count += 1;
    if (this.pending.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const items = this.pending;
    this.pending = [];
    await recordActivities(this.models, items);
  }
}
