// The community health report: one function that the API, `tend report`, the console and the weekly digest
// all call, so that they agree to the digit. Definitions: ../shared/docs/reports.md and docs/reports.md.
//
// FerretDB 1.24 has no $lookup and no $group accumulators beyond $sum/$count, so nothing here aggregates on
// the server: each collection is read once with a cursor (filtered by the period where an index allows)
// and folded in TypeScript against the members in scope (scope.ts).

import { scanActivity } from './activityScan.js';
import { atRisk } from './atRisk.js';
import { attendance } from './attendance.js';
import { connections, introductionRecords } from './connections.js';
import { emailPressure } from './emailPressure.js';
import { nps } from './nps.js';
import { retention } from './retention.js';
import {
  DEFAULT_AT_RISK_DAYS,
  DEFAULT_RE_ENGAGEMENT_PLAYBOOK,
  membersInScope,
  type HealthOptions,
  type ReportModels,
} from './scope.js';
import type { HealthReport } from './types.js';

export async function healthReport(models: ReportModels, options: HealthOptions): Promise<HealthReport> {
  const period = {
    from: options.from.getTime(),
    to: options.to.getTime(),
    now: options.now.getTime(),
    zone: options.zone,
  };
  if (!(period.from < period.to)) throw new RangeError('a report period must end after it starts');
  const scope = await membersInScope(models, options.subgroup);
  const introductions = await introductionRecords(models, scope, period);
  const fold = await scanActivity(models, scope, introductions.matured);
  return {
    period: {
      from: options.from.toISOString(),
      to: options.to.toISOString(),
      zone: options.zone,
      subgroup: options.subgroup,
      generatedAt: options.now.toISOString(),
    },
    retention: retention(scope, fold, period),
    attendance: await attendance(models, scope, period),
    connections: connections(scope, introductions, fold, period),
    nps: await nps(models, scope, period),
    atRisk: await atRisk(models, scope, fold, {
      now: period.now,
      days: options.atRiskDays ?? DEFAULT_AT_RISK_DAYS,
      reEngagementPlaybook: options.reEngagementPlaybook ?? DEFAULT_RE_ENGAGEMENT_PLAYBOOK,
    }),
    emailPressure: await emailPressure(models, scope, period),
  };
}
