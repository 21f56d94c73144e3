// Email pressure (../shared/docs/reports.md): emails received per member per week over the period (median,
// p90, max, nearest rank, one decimal) across the community's active members, those who received none
// included; unsubscribes per 1,000 sends by category (an `email.unsubscribed` event in the event log, by
// the category it names, over the ledger's sends in that category in the period); emails the frequency cap
// held, from the holds collection (db/holds.ts): one row per email, so an email held on several days counts
// once, by its latest hold in the period (a row keeps only its latest reason and time).

import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CATEGORIES } from '../../../compiler/plan.js';
import { COUNTED_RECIPIENT_KINDS } from '../../delivery/policy.js';
import { DAY_MS, oneDecimal, percentile } from './figures.js';
import type { MemberScope, ReportModels } from './scope.js';
import type { EmailPressure } from './types.js';

const UnsubscribeLogged = Type.Object({
  memberId: Type.Union([Type.String(), Type.Null()]),
  data: Type.Object({ category: Type.String() }),
});

export async function emailPressure(
  models: ReportModels,
  scope: MemberScope,
  period: { from: number; to: number },
): Promise<EmailPressure> {
  const inPeriod = { $gte: new Date(period.from), $lt: new Date(period.to) };
  const perMember = new Map<string, number>();
  const sentByCategory = new Map<string, number>();
  let sent = 0;
  for await (const delivery of models.deliveries
    .find({ status: 'sent', sentAt: inPeriod, recipientKind: { $in: [...COUNTED_RECIPIENT_KINDS] } })
    .select({ memberId: 1, category: 1 })
    .lean()
    .cursor()) {
    if (delivery.memberId === null || !scope.has(delivery.memberId)) continue;
    sent += 1;
    perMember.set(delivery.memberId, (perMember.get(delivery.memberId) ?? 0) + 1);
    sentByCategory.set(delivery.category, (sentByCategory.get(delivery.category) ?? 0) + 1);
  }

  const unsubscribes = new Map<string, number>();
  for await (const logged of models.eventLog
    .find({ type: 'email.unsubscribed', receivedAt: inPeriod, status: 'routed' })
    .select({ preparedJson: 1 })
    .lean()
    .cursor()) {
    const prepared: unknown = JSON.parse(logged.preparedJson ?? 'null');
    if (!Value.Check(UnsubscribeLogged, prepared)) continue;
    if (prepared.memberId === null || !scope.has(prepared.memberId)) continue;
    unsubscribes.set(prepared.data.category, (unsubscribes.get(prepared.data.category) ?? 0) + 1);
  }

  let heldByCap = 0;
  for await (const hold of models.holds
    .find({ reason: 'frequency_cap', heldAt: inPeriod })
    .select({ memberId: 1 })
    .lean()
    .cursor()) {
    if (hold.memberId !== null && scope.has(hold.memberId)) heldByCap += 1;
  }

  const weeks = (period.to - period.from) / (7 * DAY_MS);
  const active = [...scope].filter(([, member]) => member.status === 'active').map(([memberId]) => memberId);
  const weekly = active.map((memberId) => (perMember.get(memberId) ?? 0) / weeks).sort((a, b) => a - b);
  return {
    members: active.length,
    sent,
    perMemberPerWeek: {
      median: oneDecimal(percentile(weekly, 50)),
      p90: oneDecimal(percentile(weekly, 90)),
      max: oneDecimal(weekly.at(-1) ?? 0),
    },
    heldByCap,
    unsubscribes: CATEGORIES.map((category) => {
      const sends = sentByCategory.get(category) ?? 0;
      const count = unsubscribes.get(category) ?? 0;
      return {
        category,
        sent: sends,
        unsubscribes: count,
        per1000: sends === 0 ? null : oneDecimal((1000 * count) / sends),
      };
    }),
  };
}
