// The `_id` of an activity, derived from what it is (kind, member, event, time), not from where Tend learnt
// it: applying an event twice, backfilling twice, or backfilling what an applied event already recorded at
// the same instant, all insert one document.

import type { ActivityKind } from '../../db/index.js';

export function activityId(kind: ActivityKind, memberId: string, eventId: string | null, at: Date): string {
  return `${kind}:${memberId}:${eventId ?? '-'}:${at.toISOString()}`;
}
