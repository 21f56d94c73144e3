// The queue of accepted events that share an ordering key (api/ingest/orderingKey.ts: one member, one
// community event), ingested one after another in the order Temporal recorded them. The API hands events
// over with signal-with-start under `events:<key>`, and answers 202 once Temporal has recorded the signal:
// from then on the events are applied and routed even if the API dies the moment after. Two requests about
// one member thus take effect in the order they were accepted, whichever API process took them and however
// busy the workers are; requests about different members go on side by side.
//
// An event about a member who does not exist yet is held at the head of the queue, with the events behind it
// (but a member.applied behind it goes first: it may create the member awaited), and tried again with a
// growing delay until the member appears or MEMBER_WAIT_MS has passed; then it goes through without its
// member, flagged `memberNotFound`. The activity is retried until it succeeds (an
// accepted event is never dropped); every step it takes is idempotent, so a retry does nothing twice.
//
// The queue completes as soon as it is empty: Temporal refuses to complete a workflow that has a signal it
// has not seen, and a signal-with-start after completion starts a new run under the same id. A busy queue
// continues as new every EVENTS_PER_RUN events, carrying what it still holds.

import {
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { EventQueueInput } from '../contract/events.js';
import { eventsAcceptedSignal } from '../contract/workflows.js';
import { firstInTask } from './firstInTask.js';

type Activities = ReturnType<typeof createActivities>;

const asActivityTask = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  // The activity heartbeats after every event: a worker lost mid-batch is noticed in seconds.
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds' },
});

/**
 * A batch's first attempt, inside the workflow task that takes the events (firstInTask.ts): as an activity
 * task, each batch cost the Temporal server three more history events and the queue a second workflow task,
 * about a third of what Temporal spent on an event (bench/RESULTS.md, "Where the CPU goes"). A worker lost
 * mid-batch is noticed when its workflow task times out (10 s), and the batch is ingested again, harmlessly:
 * every step is idempotent.
 */
const inWorkflowTask = proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 1 },
});

/**
 * Queues started before this ingest through an activity task, and replay that way; every queue started since
 * ingests inside its workflow task.
 */
export const INGEST_IN_TASK_PATCH = 'ingest-in-workflow-task';

/** Events per activity call: one call ingests a burst; a retry after a crash starts over on few. */
const BATCH_SIZE = 100;
/** About 6 history events per batch and 1 per signal: far below Temporal's limits. */
const EVENTS_PER_RUN = 500;
/** How long an event waits for its member before it goes through without one. */
export const MEMBER_WAIT_MS = 60 * 60 * 1000;
/** The first delay before trying a held event again; doubled each time up to the maximum. */
const FIRST_RECHECK_MS = 500;
const MAX_RECHECK_MS = 60_000;

export async function eventQueue(input: EventQueueInput): Promise<void> {
  const ingestQueuedEvents = patched(INGEST_IN_TASK_PATCH)
    ? firstInTask(inWorkflowTask.ingestQueuedEvents, asActivityTask.ingestQueuedEvents)
    : asActivityTask.ingestQueuedEvents;
  const queue = [...input.queued];
  setHandler(eventsAcceptedSignal, (events) => {
    queue.push(...events);
  });
  let held = input.held ?? null;
  let ingested = 0;

  while (queue.length > 0) {
    if (ingested >= EVENTS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof eventQueue>({ queued: queue, held });
    }
    const batch = queue.slice(0, BATCH_SIZE);
    const waitIsOver = held !== null && Date.now() - held.since >= MEMBER_WAIT_MS;
    const { done } = await ingestQueuedEvents({
      queued: batch,
      waitIsOverFor: waitIsOver ? (held?.eventId ?? null) : null,
    });
    const finished = new Set(done);
    const next = batch.find((_, index) => !finished.has(index));
    queue.splice(0, batch.length, ...batch.filter((_, index) => !finished.has(index)));
    ingested += finished.size;
    if (next === undefined) {
      held = null;
      continue;
    }
    // The next event waits for its member: hold it (and what follows) and try again a little later, or at
    // once when more events arrive (one of them may create the member).
    if (held?.eventId !== next.accepted.event.id)
      held = { eventId: next.accepted.event.id, since: Date.now(), rechecks: 0 };
    const holding = queue.length;
    await condition(
      () => queue.length > holding,
      Math.min(MAX_RECHECK_MS, FIRST_RECHECK_MS * 2 ** held.rechecks),
    );
    held = { ...held, rechecks: held.rechecks + 1 };
  }
}
