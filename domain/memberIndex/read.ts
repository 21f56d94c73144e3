// Reading a member's records through their index (db/memberIndex.ts): the newest entries of a list, then each
// record by `_id`. An entry can name a record that was never written or is gone (a lost race, a released
// claim); such entries are passed over.

import type { IndexedActivity, IndexedRecord, MemberIndexDoc, Models } from '../../db/index.js';
import { mapWithConcurrency } from '../runs/boundedConcurrency.js';

/** Reads by `_id` side by side: more queue up in FerretDB's SQLite without finishing sooner. */
const LOOKUPS_AT_ONCE = 4;

export async function memberIndexOf(
  models: Pick<Models, 'memberIndex'>,
  memberId: string,
): Promise<MemberIndexDoc | null> {
  return models.memberIndex.findById(String(memberId)).lean<MemberIndexDoc>().exec();
}

/** The `limit` newest entries, newest first, each record once (a retried write may have entered it twice). */
export function newestEntries(entries: readonly IndexedRecord[] | undefined, limit: number): IndexedRecord[] {
  const latest = new Map<string, IndexedRecord>();
  for (const entry of entries ?? []) {
    const key = String(entry.id);
    const seen = latest.get(key);
    if (seen === undefined || seen.at < entry.at) latest.set(key, entry);
  }
  return [...latest.values()].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}

/** Every activity once, newest first. */
export function activitiesOf(index: MemberIndexDoc | null): IndexedActivity[] {
  const unique = new Map<string, IndexedActivity>();
  for (const activity of index?.activities ?? [])
    if (!unique.has(activity.id)) unique.set(activity.id, activity);
  return [...unique.values()].sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** Reads each id with `byId`, a few side by side, in the ids' order: null where there is no record. */
export function eachById<I, T>(ids: readonly I[], byId: (id: I) => Promise<T | null>): Promise<(T | null)[]> {
  return mapWithConcurrency(ids, LOOKUPS_AT_ONCE, byId);
}

/**
 * The records the entries name, each read by `byId`, in the entries' order, leaving out those that do not
 * exist.
 */
export async function recordsOf<T>(
  entries: readonly IndexedRecord[],
  byId: (id: unknown) => Promise<T | null>,
): Promise<T[]> {
  const found = await eachById(entries, (entry) => byId(entry.id));
  return found.filter((record): record is T => record !== null);
}
