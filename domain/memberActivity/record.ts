// Writing the history and the member's facts. Idempotent: an activity is inserted under its derived `_id`
// (a second insert finds it), and the facts are recomputed from the records and set, never incremented, so
// a retried event application or introduction leaves the member as doing it once.

import type { ActivityDoc, Models } from '../../db/index.js';
import { FACT_KINDS, FactsFold } from './facts.js';

export type ActivityModels = Pick<Models, 'members' | 'activities' | 'introductions'>;

/** Inserts the activities not already recorded. */
export async function recordActivities(
  models: Pick<Models, 'activities'>,
  activities: ActivityDoc[],
): Promise<void> {
  if (activities.length === 0) return;
  await models.activities.bulkWrite(
    activities.map(({ _id, ...fields }) => ({
      updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true },
    })),
    { ordered: false },
  );
}

/** Recomputes one member's `activity` facts from their history and introductions. */
export async function refreshFacts(models: ActivityModels, memberId: string): Promise<void> {
  const id = String(memberId);
  const [history, introductions] = await Promise.all([
    models.activities
      .find({ memberId: id, kind: { $in: [...FACT_KINDS] } })
      .select({ kind: 1, eventId: 1, at: 1 })
      .lean<Pick<ActivityDoc, 'kind' | 'eventId' | 'at'>[]>()
      .exec(),
    models.introductions.countDocuments({ memberIds: id }).exec(),
  ]);
  const fold = new FactsFold();
  for (const activity of history) fold.add(activity);
  fold.addIntroductions(introductions);
  await models.members.updateOne({ _id: id }, { $set: { activity: fold.facts() } }).exec();
}
