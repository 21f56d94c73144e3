// The emails Tend is holding right now (quiet hours, the frequency cap), for the dev inbox page: the holds
// written down by the deliver activity (db/holds.ts) whose time has not come, of runs still open. A run that
// has ended since (the member left, the run was cancelled) will not send its held email, so it is not listed.

import { OPEN_RUN_STATUSES } from '../../domain/runs/runRecords.js';
import type { HoldReason, Models } from '../../db/index.js';

export interface HeldEmail {
  to: string[];
  /** As it read when it was held; null when the template could not be rendered. */
  subject: string | null;
  template: string;
  playbook: string;
  reason: HoldReason;
  /** ISO 8601: when the run asks again whether it may go. */
  until: string;
  heldAt: string;
}

export type HeldEmails = (now: number) => Promise<HeldEmail[]>;

/** The page shows the next ones to go; a night of a large community's email is not a list to read. */
const SHOWN = 100;

export function heldEmailsFrom(models: Pick<Models, 'holds' | 'runs'>): HeldEmails {
  return async (now) => {
    const holds = await models.holds
      .find({ until: { $gt: new Date(now) } })
      .sort({ until: 1, _id: 1 })
      .limit(SHOWN)
      .lean()
      .exec();
    if (holds.length === 0) return [];
    const open = await models.runs
      .find({
        workflowId: { $in: [...new Set(holds.map((hold) => hold.workflowId))] },
        status: { $in: OPEN_RUN_STATUSES },
      })
      .select({ workflowId: 1 })
      .lean()
      .exec();
    const openRuns = new Set(open.map((run) => run.workflowId));
    return holds
      .filter((hold) => openRuns.has(hold.workflowId))
      .map((hold) => ({
        to: hold.to,
        subject: hold.subject,
        template: hold.template,
        playbook: hold.playbook,
        reason: hold.reason,
        until: hold.until.toISOString(),
        heldAt: hold.heldAt.toISOString(),
      }));
  };
}
