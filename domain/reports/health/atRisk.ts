// At-risk members (../shared/docs/reports.md): `active` members with no activity for 30 days (configurable),
// as of now whatever the period, oldest first. A member who joined less than 30 days ago is not at risk for
// having done nothing yet: their join stands in for their last activity. Each says whether a run of the
// re-engagement playbook is in flight for them (the runs collection, which records every run's state).

import { OPEN_RUN_STATUSES } from '../../runs/runRecords.js';
import type { ActivityFold } from './activityScan.js';
import { DAY_MS } from './figures.js';
import type { MemberScope, ReportModels } from './scope.js';
import type { AtRiskMember, HealthReport } from './types.js';

export async function atRisk(
  models: ReportModels,
  scope: MemberScope,
  fold: ActivityFold,
  options: { now: number; days: number; reEngagementPlaybook: string },
): Promise<HealthReport['atRisk']> {
  const cutoff = options.now - options.days * DAY_MS;
  const quiet = [...scope].flatMap(([memberId, member]) => {
    if (member.status !== 'active') return [];
    const last = fold.lastActivity.get(memberId) ?? null;
    const since = last ?? member.joinedAt;
    return since !== null && since >= cutoff ? [] : [{ memberId, member, last, since: since ?? -Infinity }];
  });
  quiet.sort((a, b) => a.since - b.since || a.memberId.localeCompare(b.memberId));

  const inFlight = new Set<string>();
  for await (const run of models.runs
    .find({ playbook: String(options.reEngagementPlaybook), status: { $in: [...OPEN_RUN_STATUSES] } })
    .select({ memberId: 1 })
    .lean()
    .cursor()) {
    if (run.memberId !== null) inFlight.add(run.memberId);
  }

  const members: AtRiskMember[] = quiet.map(({ memberId, member, last }) => ({
    memberId,
    name: member.name,
    email: member.email,
    lastActivityAt: last === null ? null : new Date(last).toISOString(),
    joinedAt: member.joinedAt === null ? null : new Date(member.joinedAt).toISOString(),
    reEngagementInFlight: inFlight.has(memberId),
  }));
  return { days: options.days, count: members.length, members };
}
