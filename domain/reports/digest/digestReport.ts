// The weekly digest's `report` (compiler/templates/report.ts): the health report for the last 7 days beside
// the 7 before, computed by the same healthReport the API and `tend report` call, so the digest and the
// console agree to the digit; then the lists an organiser acts on this week.

import type { TemplateFigure, TemplateReport } from '../../../compiler/templates/report.js';
import { healthReport } from '../health/healthReport.js';
import type { ReportModels } from '../health/scope.js';
import type { HealthReport } from '../health/types.js';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
/** Enough names to act on in one email; the console has the rest. */
const LIST_LIMIT = 20;

export interface DigestOptions {
  now: Date;
  /** The community's zone. */
  zone: string;
}

function figure(value: number | null, previous: number | null): TemplateFigure {
  return { value, previous, change: value === null || previous === null ? null : value - previous };
}

/** The five headline figures of one week beside the week before. */
function figures(week: HealthReport, before: HealthReport): TemplateReport['figures'] {
  return {
    retention_30: figure(week.retention.day30.rate, before.retention.day30.rate),
    retention_90: figure(week.retention.day90.rate, before.retention.day90.rate),
    attendance: figure(week.attendance.pooled.rate, before.attendance.pooled.rate),
    connection_rate: figure(week.connections.rate, before.connections.rate),
    nps: figure(week.nps.pooled.score, before.nps.pooled.score),
  };
}

/** Published events starting in the coming 7 days, soonest first, each with how many are going. */
async function comingEvents(models: ReportModels, now: Date): Promise<TemplateReport['events']> {
  const events = await models.events
    .find({ status: 'published', startsAt: { $gte: now, $lt: new Date(now.getTime() + WEEK_MS) } })
    .sort({ startsAt: 1, _id: 1 })
    .limit(LIST_LIMIT)
    .lean()
    .exec();
  return Promise.all(
    events.map(async (event) => ({
      title: event.title ?? null,
      startsAt: event.startsAt?.toISOString() ?? null,
      going: await models.rsvps.countDocuments({ eventId: String(event._id), status: 'going' }).exec(),
    })),
  );
}

async function waitingApplications(models: ReportModels): Promise<TemplateReport['applications']> {
  const members = await models.members
    .find({ status: 'applied' })
    .sort({ _id: 1 })
    .limit(LIST_LIMIT)
    .lean()
    .exec();
  return members.map((member) => ({ name: member.name ?? null, email: member.email }));
}

export async function digestReport(
  models: ReportModels,
  { now, zone }: DigestOptions,
): Promise<TemplateReport> {
  const weekStart = new Date(now.getTime() - WEEK_MS);
  const options = { subgroup: null, now, zone };
  const [week, before, events, applications] = await Promise.all([
    healthReport(models, { ...options, from: weekStart, to: now }),
    healthReport(models, { ...options, from: new Date(weekStart.getTime() - WEEK_MS), to: weekStart }),
    comingEvents(models, now),
    waitingApplications(models),
  ]);
  return {
    from: week.period.from,
    to: week.period.to,
    figures: figures(week, before),
    at_risk: week.atRisk.members.slice(0, LIST_LIMIT).map((member) => ({
      name: member.name,
      email: member.email,
      lastActivityAt: member.lastActivityAt,
    })),
    events,
    applications,
  };
}
