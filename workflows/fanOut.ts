// The audience fan-out: one run for every member a playbook's audience selects, for an event about no single
// member (`event.ended` -> the attendees) or for one firing of a schedule. A community playbook's firing (a
// schedule without an audience) starts its one run about the community instead. The audience is read in pages and
// runs are started in batches by activities; every PAGES_PER_RUN pages the workflow continues as new with its
// cursor, so 100,000 members neither time out nor grow one history past its limits.
//
// The workflow carries only the playbook id and version; the batch activity reads the plan from the `plans`
// collection (the worker's registry stores every version), so a page costs a few hundred bytes of history,
// not a copy of the plan and its templates. Every step is idempotent: a retried batch starts nobody twice,
// and a repeated trigger finds the fan-out already under its id (`fanout:<playbook>:<eventId>`).

import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RoutedEvent } from '../compiler/events.js';
import type { Audience } from '../compiler/plan.js';
import type { BatchOutcome } from '../activities/runs/activities.js';
import type { createActivities } from '../activities/index.js';

export interface FanOutInput {
  playbook: string;
  version: string;
  /** Null for a community playbook: one run per firing, about no member. */
  audience: Audience | null;
  /** The event fanned out; null for a schedule's firing, which the workflow names after itself. */
  trigger: RoutedEvent | null;
  /** Members per page (PAGE_SIZE unless given): smaller pages keep a slow batch's retry small. */
  pageSize?: number;
  /** Set by the workflow: the moment the audience is selected at (ms epoch), the same on every page. */
  asOf?: number;
  /** Set by the workflow when it continues as new: the last member id done. */
  afterId?: string | null;
  /** Set by the workflow when it continues as new: the runs started so far. */
  totals?: BatchOutcome;
}

type FanOutActivities = ReturnType<typeof createActivities>;

/** The type of the synthetic event that starts the runs of a schedule's firing. */
export const SCHEDULE_FIRED = 'schedule.fired';
export const PAGE_SIZE = 500;
/** 20 pages of 500: 10,000 members and about 200 history events per run, far below Temporal's limits. */
export const PAGES_PER_RUN = 20;

const { pageAudience } = proxyActivities<FanOutActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});
const { startRunsBatch, startCommunityRun } = proxyActivities<FanOutActivities>({
  startToCloseTimeout: '10 minutes',
  // The batch heartbeats after every start: a worker lost mid-batch is noticed in seconds, not minutes.
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});

export async function fanOut(input: FanOutInput): Promise<BatchOutcome> {
  const asOf = input.asOf ?? Date.now();
  const trigger = input.trigger ?? scheduleFired(asOf);
  let afterId = input.afterId ?? null;
  let totals = input.totals ?? { started: 0, duplicate: 0, 'not-eligible': 0 };
  if (input.audience === null) {
    return startCommunityRun({ playbook: input.playbook, version: input.version, trigger });
  }
  const audience = input.audience;

  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const { memberIds, nextAfterId } = await pageAudience({
      audience,
      eventId: trigger.eventId,
      afterId,
      limit: input.pageSize ?? PAGE_SIZE,
      now: asOf,
    });
    if (memberIds.length > 0) {
      const outcome = await startRunsBatch({
        playbook: input.playbook,
        version: input.version,
        memberIds,
        trigger,
      });
      totals = addOutcomes(totals, outcome);
    }
    if (nextAfterId === null) return totals;
    afterId = nextAfterId;
  }
  return continueAsNew<typeof fanOut>({ ...input, trigger, asOf, afterId, totals });
}

/** A schedule's firing as an event; its id is the fan-out's id, unique to the firing. */
function scheduleFired(asOf: number): RoutedEvent {
  return {
    id: workflowInfo().workflowId,
    type: SCHEDULE_FIRED,
    memberId: null,
    eventId: null,
    data: {},
    occurredAt: new Date(asOf).toISOString(),
  };
}

function addOutcomes(a: BatchOutcome, b: BatchOutcome): BatchOutcome {
  return {
    started: a.started + b.started,
    duplicate: a.duplicate + b.duplicate,
    'not-eligible': a['not-eligible'] + b['not-eligible'],
  };
}
