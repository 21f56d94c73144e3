// `member.activity.emails7d`: depends on the time it is read, so it is computed when a run's context is
// loaded rather than kept on the member. Sent emails only, in any category (the cap, which reads the same
// recipient kinds, COUNTED_RECIPIENT_KINDS, also counts claims and leaves out transactional mail).

import type { Models } from '../../db/index.js';
import { COUNTED_RECIPIENT_KINDS } from '../delivery/policy.js';

export const EMAILS_WINDOW_MS = 7 * 24 * 3600 * 1000;

export async function emailsReceived(
  models: Pick<Models, 'deliveries'>,
  memberId: string,
  now: number,
): Promise<number> {
  return models.deliveries
    .countDocuments({
      memberId: String(memberId),
      recipientKind: { $in: [...COUNTED_RECIPIENT_KINDS] },
      status: 'sent',
      sentAt: { $gt: new Date(now - EMAILS_WINDOW_MS) },
    })
    .exec();
}
