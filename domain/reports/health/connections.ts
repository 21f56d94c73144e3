// Connections (../shared/docs/reports.md): of the members who joined in the period, the share introduced to
// a peer within 14 days of joining; and of the introductions made in the period, the share after which both
// members were active within 14 days (introductions that took). A member still inside their first 14 days
// and not yet introduced, or an introduction still inside its 14 days that has not taken yet, is not counted
// either way until its window closes: a rate never falls because the window is still open. With a subgroup,
// an introduction counts when either member is in it.

import { INTRODUCTION_WINDOW_MS, type ActivityFold, type WatchedIntroduction } from './activityScan.js';
import { percent } from './figures.js';
import type { MemberScope, ReportModels } from './scope.js';
import type { Connections } from './types.js';

export interface IntroductionRecords {
  /** Introductions made in the period, watched for whether they took. */
  inPeriod: WatchedIntroduction[];
  /** In-scope members who joined in the period and were introduced within 14 days of joining. */
  introducedEarly: Set<string>;
}

export async function introductionRecords(
  models: ReportModels,
  scope: MemberScope,
  period: { from: number; to: number },
): Promise<IntroductionRecords> {
  const records: IntroductionRecords = { inPeriod: [], introducedEarly: new Set() };
  // A member who joined at the very end of the period can be introduced up to 14 days after it.
  for await (const intro of models.introductions
    .find({ createdAt: { $gte: new Date(period.from), $lt: new Date(period.to + INTRODUCTION_WINDOW_MS) } })
    .select({ memberIds: 1, createdAt: 1 })
    .lean()
    .cursor()) {
    const at = intro.createdAt.getTime();
    if (at < period.to && intro.memberIds.some((memberId) => scope.has(memberId))) {
      records.inPeriod.push({ id: String(intro._id), memberIds: intro.memberIds, at });
    }
    for (const memberId of intro.memberIds) {
      const joinedAt = scope.get(memberId)?.joinedAt ?? null;
      if (joinedAt === null || !joinedIn(joinedAt, period)) continue;
      if (at >= joinedAt && at <= joinedAt + INTRODUCTION_WINDOW_MS) records.introducedEarly.add(memberId);
    }
  }
  return records;
}

export function connections(
  scope: MemberScope,
  records: IntroductionRecords,
  fold: ActivityFold,
  period: { from: number; to: number; now: number },
): Connections {
  let joined = 0;
  let measured = 0;
  for (const [memberId, member] of scope) {
    if (member.joinedAt === null || !joinedIn(member.joinedAt, period)) continue;
    joined += 1;
    if (records.introducedEarly.has(memberId) || member.joinedAt + INTRODUCTION_WINDOW_MS <= period.now) {
      measured += 1;
    }
  }
  const introduced = records.introducedEarly.size;
  const tookIntro = (intro: WatchedIntroduction) =>
    (fold.activeAfterIntroduction.get(intro.id)?.size ?? 0) === new Set(intro.memberIds).size;
  const took = records.inPeriod.filter(tookIntro).length;
  const introductionsMeasured = records.inPeriod.filter(
    (intro) => tookIntro(intro) || intro.at + INTRODUCTION_WINDOW_MS <= period.now,
  ).length;
  return {
    joined,
    measured,
    introduced,
    rate: percent(introduced, measured),
    introductions: {
      made: records.inPeriod.length,
      measured: introductionsMeasured,
      took,
      rate: percent(took, introductionsMeasured),
    },
  };
}

function joinedIn(joinedAt: number, period: { from: number; to: number }): boolean {
  return joinedAt >= period.from && joinedAt < period.to;
}
