// Accepting events durably: handing them to their eventQueue workflow (workflows/eventQueue.ts) is the
// acceptance. A request's events are signalled, with start, to the queue of their ordering key
// (orderingKey.ts); Temporal records the signal before the client hears back, so after a 202 the events are
// applied and routed even if this process dies at once, after every event accepted before them about the
// same member.
//
// The answer goes as soon as the signals are recorded. A caller who asked to wait (Prefer: wait) gets it once
// the event log says every event is routed, or when the wait is over (then `pending`). An event the event log
// had already claimed when the request was checked is a repeat: it is not handed over again, only reported.

import type { Client } from '@temporalio/client';
import type { EventClaim } from '../../domain/events/eventClaim.js';
import { CLAIM_FIELDS, storedOutcome } from '../../domain/events/eventClaim.js';
import { newId } from '../../domain/events/newId.js';
import type { AcceptedEvent, QueuedEvent } from '../../contract/events.js';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import type { EventLogDoc, Models } from '../../db/index.js';
import { EVENT_QUEUE_WORKFLOW, eventsAcceptedSignal } from '../../contract/workflows.js';
import type { eventQueue } from '../../workflows/eventQueue.js';
import type { EventIngestor, EventResult, IngestRequest } from './eventIngestor.js';
import { eventQueueId, requestQueueKey } from './orderingKey.js';

export interface TemporalIngestorOptions {
  client: Client;
  models: Pick<Models, 'eventLog'>;
  taskQueue: string;
}

/** Event log reads in flight at once while a caller waits. */
const READ_CONCURRENCY = 16;
/** The event log is read again this often while a caller waits; the first read comes sooner. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;

export function createTemporalIngestor({
  client,
  models,
  taskQueue,
}: TemporalIngestorOptions): EventIngestor {
  async function submit({ events, claims, waitMs }: IngestRequest): Promise<EventResult[]> {
    const acceptanceId = `accept:${newId()}`;
    await handOver(
      acceptanceId,
      events.filter((_, index) => claims[index] === null),
    );
    const latest = waitMs > 0 ? await claimsOnceRouted(events, claims, waitMs) : claims;
    return events.map((accepted, index) => {
      const claim = latest[index] ?? null;
      const repeat = claims[index] !== null || (claim !== null && claim.ingestId !== acceptanceId);
      return result(accepted, claim, repeat);
    });
  }

  /** One signal-with-start: the request's events, in its order, to the queue that takes them. */
  async function handOver(acceptanceId: string, events: AcceptedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const key = requestQueueKey(events.map(({ event }) => event));
    await client.workflow.signalWithStart<typeof eventQueue, [QueuedEvent[]]>(EVENT_QUEUE_WORKFLOW, {
      workflowId: eventQueueId(key),
      taskQueue,
      args: [{ queued: [] }],
      signal: eventsAcceptedSignal,
      signalArgs: [events.map((accepted) => ({ acceptanceId, accepted }))],
    });
  }

  /** The claims, read again until every event is routed or `waitMs` has passed. */
  async function claimsOnceRouted(
    events: AcceptedEvent[],
    known: (EventClaim | null)[],
    waitMs: number,
  ): Promise<(EventClaim | null)[]> {
    const deadline = Date.now() + waitMs;
    const latest = [...known];
    for (let pollMs = FIRST_POLL_MS; ; pollMs = Math.min(MAX_POLL_MS, pollMs * 2)) {
      const open = latest.flatMap((claim, index) => (claim?.status === 'routed' ? [] : [index]));
      if (open.length === 0 || Date.now() >= deadline) return latest;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, deadline - Date.now())));
      const read = await mapWithConcurrency(open, READ_CONCURRENCY, (index) =>
        models.eventLog.findById(events[index]?.event.id, CLAIM_FIELDS).lean<EventLogDoc>().exec(),
      );
      open.forEach((index, at) => {
        latest[index] = read[at] ?? null;
      });
    }
  }

  return { submit };
}

function result(accepted: AcceptedEvent, claim: EventClaim | null, repeat: boolean): EventResult {
  const { event } = accepted;
  const status = repeat ? 'duplicate' : 'accepted';
  if (claim?.status !== 'routed') {
    return {
      id: event.id,
      type: event.type,
      status,
      runsStarted: [],
      runsSignalled: [],
      pending: true,
      ...(claim?.status === 'waiting' ? { waitingForMember: true } : {}),
    };
  }
  const outcome = storedOutcome(claim);
  return {
    id: event.id,
    type: claim.type,
    status,
    runsStarted: outcome.runsStarted ?? [],
    runsSignalled: outcome.runsSignalled ?? [],
    ...(outcome.memberNotFound ? { memberNotFound: true } : {}),
  };
}
