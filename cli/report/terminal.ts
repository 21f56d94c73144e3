// `tend report` for a person at a terminal: the four numbers first, then a table per figure, with small
// bars so that a month or an event that stands out is seen before it is read.

import type { CohortFigure, HealthReport } from '../../domain/reports/health/index.js';
import { formatTable } from '../table.js';

const BAR_WIDTH = 10;

/** A bar of a 0-100 percentage: one block per 10%, a half block for a remaining 5% or more. */
export function bar(rate: number | null): string {
  if (rate === null) return '';
  const clamped = Math.max(0, Math.min(100, rate));
  const whole = Math.floor(clamped / 10);
  const half = clamped % 10 >= 5 ? '▌' : '';
  return ('█'.repeat(whole) + half).padEnd(BAR_WIDTH, '·');
}

const pct = (rate: number | null) => (rate === null ? '-' : `${rate}%`);
const day = (iso: string | null) => (iso === null ? 'never' : iso.slice(0, 10));

export function formatHealth(report: HealthReport): string {
  const { period, retention, attendance, connections, nps, atRisk, emailPressure } = report;
  const who = period.subgroup === null ? 'all members' : `subgroup ${period.subgroup}`;
  const npsNote = nps.pooled.lowConfidence ? ', low confidence' : '';
  const headline = formatTable([
    [
      '30-day retention',
      pct(retention.day30.rate),
      bar(retention.day30.rate),
      `${retention.day30.retained} of ${retention.day30.members} members`,
    ],
    [
      '90-day retention',
      pct(retention.day90.rate),
      bar(retention.day90.rate),
      `${retention.day90.retained} of ${retention.day90.members} members`,
    ],
    [
      'attendance',
      pct(attendance.pooled.rate),
      bar(attendance.pooled.rate),
      `${attendance.pooled.attended} of ${attendance.pooled.going} going, ${attendance.pooled.events} events (${attendance.pooled.notRecorded} not recorded)`,
    ],
    [
      'connection rate',
      pct(connections.rate),
      bar(connections.rate),
      `${connections.introduced} of ${connections.measured} new members introduced within 14 days`,
    ],
    [
      'introductions that took',
      pct(connections.introductions.rate),
      bar(connections.introductions.rate),
      `${connections.introductions.took} of ${connections.introductions.measured}`,
    ],
    [
      'NPS',
      nps.pooled.score === null ? '-' : String(nps.pooled.score),
      '',
      `${nps.pooled.responses} responses${npsNote}, response rate ${pct(nps.pooled.responseRate)}`,
    ],
  ]);
  const figure = (value: CohortFigure) =>
    value.status === 'pending' ? 'pending' : `${pct(value.rate)} ${bar(value.rate)}`;
  const cohorts = formatTable([
    ['MONTH', 'MEMBERS', 'DAY 30', 'DAY 90'],
    ...retention.cohorts.map((cohort) => [
      cohort.month,
      String(cohort.members),
      figure(cohort.day30),
      figure(cohort.day90),
    ]),
  ]);
  const events = formatTable([
    ['EVENT', 'ENDED', 'GOING', 'ATTENDED', 'RATE', 'NO-SHOW'],
    ...attendance.events.map((event) => [
      event.title ?? event.eventId,
      day(event.endedAt),
      String(event.going),
      event.recorded ? String(event.attended) : '-',
      event.recorded ? `${pct(event.rate)} ${bar(event.rate)}` : 'not recorded',
      event.recorded ? pct(event.noShowRate) : '',
    ]),
  ]);
  const scores = formatTable([
    ['EVENT', 'NPS', 'RESPONSES', 'PROMOTERS', 'PASSIVES', 'DETRACTORS'],
    ...nps.events.map((event) => [
      event.title ?? event.eventId,
      event.score === null ? '-' : `${event.score}${event.lowConfidence ? ' (low confidence)' : ''}`,
      String(event.responses),
      String(event.promoters),
      String(event.passives),
      String(event.detractors),
    ]),
  ]);
  const risk = formatTable([
    ['MEMBER', 'EMAIL', 'LAST ACTIVE', 'JOINED', 'RE-ENGAGEMENT'],
    ...atRisk.members.map((member) => [
      member.name ?? member.memberId,
      member.email,
      day(member.lastActivityAt),
      day(member.joinedAt),
      member.reEngagementInFlight ? 'in flight' : '-',
    ]),
  ]);
  const { median, p90, max } = emailPressure.perMemberPerWeek;
  const pressure = formatTable([
    ['CATEGORY', 'SENT', 'UNSUBSCRIBES', 'PER 1,000'],
    ...emailPressure.unsubscribes.map((row) => [
      row.category,
      String(row.sent),
      String(row.unsubscribes),
      row.per1000 === null ? '-' : String(row.per1000),
    ]),
  ]);
  return [
    `Community health, ${day(period.from)} to ${day(period.to)} (${period.zone}), ${who}`,
    '',
    headline,
    '',
    'Retention by cohort (month joined)',
    cohorts,
    '',
    'Attendance by event',
    attendance.events.length === 0 ? 'no events ended in the period' : events,
    '',
    'NPS by event',
    nps.events.length === 0 ? 'no survey responses in the period' : scores,
    '',
    `At risk: ${atRisk.count} active members with no activity for ${atRisk.days} days`,
    atRisk.count === 0 ? 'nobody' : risk,
    '',
    `Email pressure: ${emailPressure.sent} emails to ${emailPressure.members} active members; per member per week median ${median}, p90 ${p90}, max ${max}; held by the cap: ${emailPressure.heldByCap}`,
    pressure,
  ].join('\n');
}
