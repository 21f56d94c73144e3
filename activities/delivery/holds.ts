// Writes down an email the delivery policy held (db/holds.ts), for the people who wonder where it is: the dev
// inbox lists them beside the sent ones. Delivery never reads these rows, so a failed write only costs the
// note: the hold itself, the run's wait and the later send are unchanged.

import type { Models } from '../../db/index.js';
import type { NewRow } from './ledger.js';
import type { HeldDecision } from '../../domain/delivery/policy.js';

export async function recordHold(
  models: Pick<Models, 'holds'>,
  row: NewRow,
  decision: HeldDecision,
  subject: string | null,
  now: number,
): Promise<void> {
  await models.holds
    .updateOne(
      { _id: String(row.key) },
      {
        $set: {
          memberId: row.memberId,
          to: row.to,
          subject,
          template: row.template,
          playbook: row.playbook,
          workflowId: row.workflowId,
          stepId: row.stepId,
          reason: decision.reason,
          until: new Date(decision.until),
          heldAt: new Date(now),
        },
      },
      { upsert: true },
    )
    .exec();
}
