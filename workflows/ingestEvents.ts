// Superseded by the eventQueue workflow (eventQueue.ts), which the API now signals; registered still so that
// ingestions started by an API of an earlier version finish after an upgrade.
//
// Ingestion of the events one API request accepted. Starting this workflow is what "accepted" means: once
// Temporal has recorded the start, the events will be applied, start their runs and reach the runs waiting
// for them, even if the API process dies the moment after answering. Its id is derived from the events' ids
// (`ingest:<id>`, `ingest-batch:<hash of the ids>`), so a request repeated while Temporal remembers the first
// finds it instead of starting a second; the event log makes each event exactly-once beyond that.
//
// The activity is retried until it succeeds (an accepted event is never dropped); every step it takes is
// idempotent, so a retry after a crash does nothing twice.

import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { EventOutcome, IngestEventsInput } from '../contract/events.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 minutes',
  // The activity heartbeats after every event: a worker lost mid-batch is noticed in seconds.
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds' },
});

export async function ingestEvents(input: IngestEventsInput): Promise<EventOutcome[]> {
  return activities.ingestEvents(input);
}
