// Connections (../shared/docs/reports.md): the share of members introduced to a peer within 14 days of
// joining, and the share of introductions after which both members were active within 14 days
// (introductions that took). Like retention's headline (retention.ts), each is over the windows that ended
// in the period (and by now): the in-scope members whose first 14 days ended in it, the introductions whose
// 14 days ended in it. A window still open is in neither numerator nor denominator, so a week's digest,
// whose joiners are all still inside their 14 days, says how the members due in that week did instead of
// reading 100% because the ones already introduced are counted early. With a subgroup, an introduction
// counts when either member is in it.

import { INTRODUCTION_WINDOW_MS, type ActivityFold, type WatchedIntroduction } from './activityScan.js';
import { percent } from './figures.js';
import type { MemberScope, ReportModels } from './scope.js';
import type { Connections } from './types.js';

interface Period {
  from: number;
  to: number;
  now: number;
}

export interface IntroductionRecords {
  /** Introductions made in the period that concern the scope (a count beside the rates). */
  made: number;
  /** Introductions whose 14 days ended in the period, watched for whether they took. */
  matured: WatchedIntroduction[];
  /** In-scope members whose first 14 days ended in the period and who were introduced within them. */
  introducedInWindow: Set<string>;
}

/** A 14-day window starting at `start` ended in the period, and by now. */
function windowEndedIn(start: number, period: Period): boolean {
  const end = start + INTRODUCTION_WINDOW_MS;
  return end >= period.from && end < Math.min(period.to, period.now);
}

export async function introductionRecords(
  models: ReportModels,
  scope: MemberScope,
  period: Period,
): Promise<IntroductionRecords> {
  const records: IntroductionRecords = { made: 0, matured: [], introducedInWindow: new Set() };
  // Windows that end in [from, to) start in [from - 14 d, to - 14 d), and a member's introduction comes
  // within their window: every introduction either figure needs was made in [from - 14 d, to).
  for await (const intro of models.introductions
    .find({ createdAt: { $gte: new Date(period.from - INTRODUCTION_WINDOW_MS), $lt: new Date(period.to) } })
    .select({ memberIds: 1, createdAt: 1 })
    .lean()
    .cursor()) {
    const at = intro.createdAt.getTime();
    if (intro.memberIds.some((memberId) => scope.has(memberId))) {
      if (at >= period.from) records.made += 1;
      if (windowEndedIn(at, period)) {
        records.matured.push({ id: String(intro._id), memberIds: intro.memberIds, at });
      }
    }
    for (const memberId of intro.memberIds) {
      const joinedAt = scope.get(memberId)?.joinedAt ?? null;
      if (joinedAt === null || !windowEndedIn(joinedAt, period)) continue;
      if (at >= joinedAt && at <= joinedAt + INTRODUCTION_WINDOW_MS) records.introducedInWindow.add(memberId);
    }
  }
  return records;
}

export function connections(
  scope: MemberScope,
  records: IntroductionRecords,
  fold: ActivityFold,
  period: Period,
): Connections {
  let joined = 0;
  let measured = 0;
  for (const member of scope.values()) {
    if (member.joinedAt === null) continue;
    if (member.joinedAt >= period.from && member.joinedAt < period.to) joined += 1;
    if (windowEndedIn(member.joinedAt, period)) measured += 1;
  }
  const introduced = records.introducedInWindow.size;
  const took = records.matured.filter(
    (intro) => (fold.activeAfterIntroduction.get(intro.id)?.size ?? 0) === new Set(intro.memberIds).size,
  ).length;
  return {
    joined,
    measured,
    introduced,
    rate: percent(introduced, measured),
    introductions: {
      made: records.made,
      measured: records.matured.length,
      took,
      rate: percent(took, records.matured.length),
    },
  };
}
