// One pass over the activity history, folding what the retention, connection and at-risk figures need:
// each member's last activity, who was active in days 1-30 and 61-90 after joining, and which introduced
// members were active in the 14 days after their introduction.

import { DAY_MS } from './figures.js';
import type { MemberScope, ReportModels } from './scope.js';

/** An introduction whose "took" is being watched: both members active within 14 days after it. */
export interface WatchedIntroduction {
  id: string;
  memberIds: string[];
  at: number;
}

export const INTRODUCTION_WINDOW_MS = 14 * DAY_MS;

export interface ActivityFold {
  lastActivity: Map<string, number>;
  activeDays1to30: Set<string>;
  activeDays61to90: Set<string>;
  /** Introduction id -> the members of it who were active within its window. */
  activeAfterIntroduction: Map<string, Set<string>>;
}

export async function scanActivity(
  models: ReportModels,
  scope: MemberScope,
  introductions: WatchedIntroduction[],
): Promise<ActivityFold> {
  const fold: ActivityFold = {
    lastActivity: new Map(),
    activeDays1to30: new Set(),
    activeDays61to90: new Set(),
    activeAfterIntroduction: new Map(),
  };
  const watched = new Map<string, WatchedIntroduction[]>();
  for (const intro of introductions) {
    for (const memberId of intro.memberIds) watched.set(memberId, [...(watched.get(memberId) ?? []), intro]);
  }
  for (const [memberId, member] of scope) {
    if (member.lastActiveAt !== null) note(fold, scope, watched, memberId, member.lastActiveAt);
  }
  for await (const activity of models.activities.find({}).select({ memberId: 1, at: 1 }).lean().cursor()) {
    note(fold, scope, watched, activity.memberId, activity.at.getTime());
  }
  return fold;
}

function note(
  fold: ActivityFold,
  scope: MemberScope,
  watched: Map<string, WatchedIntroduction[]>,
  memberId: string,
  at: number,
): void {
  for (const intro of watched.get(memberId) ?? []) {
    if (at > intro.at && at <= intro.at + INTRODUCTION_WINDOW_MS) {
      const active = fold.activeAfterIntroduction.get(intro.id) ?? new Set<string>();
      active.add(memberId);
      fold.activeAfterIntroduction.set(intro.id, active);
    }
  }
  const member = scope.get(memberId);
  if (member === undefined) return;
  fold.lastActivity.set(memberId, Math.max(fold.lastActivity.get(memberId) ?? at, at));
  if (member.joinedAt === null) return;
  // Joining is not activity: day 1 starts the moment after the join.
  const sinceJoin = at - member.joinedAt;
  if (sinceJoin > 0 && sinceJoin <= 30 * DAY_MS) fold.activeDays1to30.add(memberId);
  if (sinceJoin > 60 * DAY_MS && sinceJoin <= 90 * DAY_MS) fold.activeDays61to90.add(memberId);
}
