// Retention (../shared/docs/reports.md): a member is retained at day 30 when, at day 30 after their own
// join, they are not left or banned and were active in days 1-30; at day 90, active in days 61-90. Cohorts
// are the calendar months of the community's zone; a cohort whose day 30 (90) is not over for its last
// member is pending, never 0%. The headline figures are over the members whose day 30 (90) fell in the
// period, so that a week's digest and a quarter's report each say how the members due in them did.

import { DateTime } from 'luxon';
import type { ActivityFold } from './activityScan.js';
import { DAY_MS, percent } from './figures.js';
import type { MemberScope, ScopedMember } from './scope.js';
import type { Cohort, CohortFigure, HealthReport, Retained } from './types.js';

interface Mark {
  day: 30 | 90;
  active: Set<string>;
}

export function retention(
  scope: MemberScope,
  fold: ActivityFold,
  period: { from: number; to: number; now: number; zone: string },
): HealthReport['retention'] {
  const day30: Mark = { day: 30, active: fold.activeDays1to30 };
  const day90: Mark = { day: 90, active: fold.activeDays61to90 };
  return {
    day30: headline(scope, day30, period),
    day90: headline(scope, day90, period),
    cohorts: cohortMonths(period).map((month) => cohort(scope, month, { day30, day90 }, period.now)),
  };
}

function retained(memberId: string, member: ScopedMember, mark: Mark): boolean {
  if (member.joinedAt === null || !mark.active.has(memberId)) return false;
  const gone = member.status === 'left' || member.status === 'banned';
  // A member who left with no recorded time (banned, or before leftAt was kept) is taken as gone throughout.
  const goneBy = member.leftAt ?? member.joinedAt;
  return !gone || goneBy > member.joinedAt + mark.day * DAY_MS;
}

/** Members whose day D ended in the period (and by now). */
function headline(
  scope: MemberScope,
  mark: Mark,
  period: { from: number; to: number; now: number },
): Retained {
  const end = Math.min(period.to, period.now);
  let members = 0;
  let kept = 0;
  for (const [memberId, member] of scope) {
    if (member.joinedAt === null) continue;
    const dayEnds = member.joinedAt + mark.day * DAY_MS;
    if (dayEnds < period.from || dayEnds >= end) continue;
    members += 1;
    if (retained(memberId, member, mark)) kept += 1;
  }
  return { members, retained: kept, rate: percent(kept, members) };
}

interface Month {
  label: string;
  start: number;
  end: number;
}

/** The calendar months (in the zone) that the period touches. */
function cohortMonths(period: { from: number; to: number; zone: string }): Month[] {
  const months: Month[] = [];
  let start = DateTime.fromMillis(period.from, { zone: period.zone }).startOf('month');
  while (start.toMillis() < period.to) {
    const end = start.plus({ months: 1 });
    months.push({ label: start.toFormat('yyyy-MM'), start: start.toMillis(), end: end.toMillis() });
    start = end;
  }
  return months;
}

function cohort(scope: MemberScope, month: Month, marks: { day30: Mark; day90: Mark }, now: number): Cohort {
  const members = [...scope].filter(
    ([, member]) => member.joinedAt !== null && member.joinedAt >= month.start && member.joinedAt < month.end,
  );
  const figure = (mark: Mark): CohortFigure => {
    // The last member of the month reaches day D at the month's end plus D days.
    if (month.end + mark.day * DAY_MS > now) return { status: 'pending' };
    const kept = members.filter(([memberId, member]) => retained(memberId, member, mark)).length;
    return { status: 'measured', retained: kept, rate: percent(kept, members.length) };
  };
  return {
    month: month.label,
    members: members.length,
    day30: figure(marks.day30),
    day90: figure(marks.day90),
  };
}
