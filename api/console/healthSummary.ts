// The Overview's numbers from the community health report (reports/health): the four figures for the last
// 90 days, each beside the same figure for the two 90-day periods before (the trend), and the members at
// risk now. The report is the one the API, `tend report` and the digest serve: the console only draws it.

import { healthReport, type HealthReport, type ReportModels } from '../../domain/reports/health/index.js';
import type { HealthFigure, HealthSummary } from './reportSources.js';

const PERIOD_MS = 90 * 24 * 3600_000;
/** The periods drawn in a trend, this one included. */
const TREND_PERIODS = 3;
const AT_RISK_SHOWN = 10;

export function createHealthSummary(
  models: ReportModels,
  zone: () => Promise<string>,
): (nowMs: number) => Promise<HealthSummary> {
  return async (nowMs) => {
    const communityZone = await zone();
    const reports = await Promise.all(
      Array.from({ length: TREND_PERIODS }, (_, index) => {
        const to = nowMs - (TREND_PERIODS - 1 - index) * PERIOD_MS;
        return healthReport(models, {
          from: new Date(to - PERIOD_MS),
          to: new Date(to),
          subgroup: null,
          now: new Date(nowMs),
          zone: communityZone,
        });
      }),
    );
    const current = reports.at(-1);
    if (current === undefined) throw new Error('no health report was computed');
    return {
      figures: FIGURES.map(({ label, rate, note }) => ({
        label,
        value: formatRate(label, rate(current)),
        trend: reports.map(rate),
        note: note(current),
      })),
      atRisk: current.atRisk.members.slice(0, AT_RISK_SHOWN).map((member) => ({
        memberId: member.memberId,
        name: member.name,
        email: member.email,
        lastActiveAt: member.lastActivityAt === null ? null : new Date(member.lastActivityAt),
        reEngagementInFlight: member.reEngagementInFlight,
      })),
    };
  };
}

interface FigureSource {
  label: string;
  rate: (report: HealthReport) => number | null;
  note: (report: HealthReport) => HealthFigure['note'];
}

const FIGURES: FigureSource[] = [
  {
    label: '30-day retention',
    rate: (report) => report.retention.day30.rate,
    note: ({ retention }) =>
      `${retention.day30.retained} of ${retention.day30.members} stayed; 90-day: ${retention.day90.rate === null ? 'no data' : `${retention.day90.rate}%`}`,
  },
  {
    label: 'Event attendance',
    rate: (report) => report.attendance.pooled.rate,
    note: ({ attendance }) =>
      `${attendance.pooled.attended} of ${attendance.pooled.going} going, over ${attendance.pooled.events} events`,
  },
  {
    label: 'Connection rate',
    rate: (report) => report.connections.rate,
    note: ({ connections }) => `${connections.introduced} of ${connections.measured} new members introduced`,
  },
  {
    label: 'NPS',
    rate: (report) => report.nps.pooled.score,
    note: ({ nps }) =>
      `${nps.pooled.responses} responses${nps.pooled.lowConfidence ? ' (low confidence)' : ''}`,
  },
];

function formatRate(label: string, value: number | null): string {
  if (value === null) return 'no data';
  return label === 'NPS' ? String(value) : `${value}%`;
}
