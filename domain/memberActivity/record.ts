// Writing the history and the member's facts. Idempotent: an activity is inserted under its derived `_id`
// (a second insert finds it), and the facts are recomputed from the records and set, never incremented, so
// a retried event application or introduction leaves the member as doing it once.

import type { ActivityDoc, IndexedActivity, Models } from '../../db/index.js';
import { enterForMembers, type IndexEntries } from '../memberIndex/enter.js';
import { activitiesOf, memberIndexOf } from '../memberIndex/read.js';
import { FactsFold, isFactKind } from './facts.js';

export type ActivityModels = Pick<Models, 'members' | 'activities' | 'introductions' | 'memberIndex'>;

/**
 * Inserts the activities not already recorded, after entering them whole in their members' indexes
 * (db/memberIndex.ts), from which the member's facts and their console page read them.
 */
export async function recordActivities(
  models: Pick<Models, 'activities' | 'memberIndex'>,
  activities: ActivityDoc[],
): Promise<void> {
  if (activities.length === 0) return;
  await enterForMembers(models, activityEntries(activities));
  await models.activities.bulkWrite(
    activities.map(({ _id, ...fields }) => ({
      updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true },
    })),
    { ordered: false },
  );
}

/** The activities as index entries, by member. */
export function activityEntries(activities: readonly ActivityDoc[]): Map<string, IndexEntries> {
  const byMember = new Map<string, IndexedActivity[]>();
  for (const { _id, memberId, kind, at, eventId, ref } of activities) {
    const entry: IndexedActivity = { id: _id, kind, at, eventId, ref };
    const list = byMember.get(memberId);
    if (list === undefined) byMember.set(memberId, [entry]);
    else list.push(entry);
  }
  return new Map([...byMember].map(([memberId, list]) => [memberId, { activities: list }]));
}

/**
 * Recomputes one member's `activity` facts from their history (read from their index: one read by `_id`,
 * where a filter on `memberId` would decode every activity on FerretDB) and their introductions.
 */
export async function refreshFacts(models: ActivityModels, memberId: string): Promise<void> {
  const id = String(memberId);
  const [index, introductions] = await Promise.all([
    memberIndexOf(models, id),
    models.introductions.countDocuments({ memberIds: id }).exec(),
  ]);
  const fold = new FactsFold();
  for (const activity of activitiesOf(index)) if (isFactKind(activity.kind)) fold.add(activity);
  fold.addIntroductions(introductions);
  await models.members.updateOne({ _id: id }, { $set: { activity: fold.facts() } }).exec();
}
