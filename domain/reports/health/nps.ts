// NPS (../shared/docs/reports.md): % promoters (9-10) − % detractors (0-6) over the survey responses given
// in the period, rounded to a whole number (half away from zero), per event and pooled; under 10 responses
// it is marked low confidence. The response rate is responses ÷ survey emails sent in the period (the
// ledger's sent rows in the `surveys` category, to members).

import type { EventDoc } from '../../../db/index.js';
import { percent, roundHalfAway } from './figures.js';
import type { MemberScope, ReportModels } from './scope.js';
import type { HealthReport, Nps } from './types.js';

export const LOW_CONFIDENCE_BELOW = 10;

interface Tally {
  promoters: number;
  passives: number;
  detractors: number;
}

export async function nps(
  models: ReportModels,
  scope: MemberScope,
  period: { from: number; to: number },
): Promise<HealthReport['nps']> {
  const inPeriod = { $gte: new Date(period.from), $lt: new Date(period.to) };
  const pooled: Tally = { promoters: 0, passives: 0, detractors: 0 };
  const perEvent = new Map<string, Tally>();
  for await (const response of models.surveyResponses
    .find({ respondedAt: inPeriod })
    .select({ memberId: 1, eventId: 1, score: 1 })
    .lean()
    .cursor()) {
    if (!scope.has(response.memberId)) continue;
    const tally = perEvent.get(response.eventId) ?? { promoters: 0, passives: 0, detractors: 0 };
    perEvent.set(response.eventId, tally);
    for (const target of [pooled, tally]) {
      if (response.score >= 9) target.promoters += 1;
      else if (response.score >= 7) target.passives += 1;
      else target.detractors += 1;
    }
  }

  let surveysSent = 0;
  for await (const delivery of models.deliveries
    .find({ recipientKind: 'member', category: 'surveys', status: 'sent', sentAt: inPeriod })
    .select({ memberId: 1 })
    .lean()
    .cursor()) {
    if (delivery.memberId !== null && scope.has(delivery.memberId)) surveysSent += 1;
  }

  const titles = await eventTitles(models, [...perEvent.keys()]);
  const score = npsOf(pooled);
  return {
    pooled: { ...score, surveysSent, responseRate: percent(score.responses, surveysSent) },
    events: [...perEvent]
      .map(([eventId, tally]) => ({ eventId, title: titles.get(eventId) ?? null, ...npsOf(tally) }))
      .sort((a, b) => a.eventId.localeCompare(b.eventId)),
  };
}

function npsOf(tally: Tally): Nps {
  const responses = tally.promoters + tally.passives + tally.detractors;
  return {
    responses,
    ...tally,
    score: responses === 0 ? null : roundHalfAway((100 * (tally.promoters - tally.detractors)) / responses),
    lowConfidence: responses < LOW_CONFIDENCE_BELOW,
  };
}

async function eventTitles(models: ReportModels, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const events = await models.events
    .find({ _id: { $in: ids } })
    .select({ title: 1 })
    .lean<EventDoc[]>()
    .exec();
  return new Map(events.flatMap((event) => (event.title === undefined ? [] : [[event._id, event.title]])));
}
