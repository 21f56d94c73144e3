// The event activities of the ingestion workflows. Part of `createActivities(deps)` (activities/index.ts).

import { Context } from '@temporalio/activity';
import { createEventIngestion, type IngestDeps } from './ingestEvents.js';
import type { EventOutcome, IngestEventsInput, IngestQueuedEventsInput } from '../../contract/events.js';

export function createEventActivities(deps: IngestDeps) {
  const ingestion = createEventIngestion(deps);
  const heartbeat = () => Context.current().heartbeat();

  /**
   * The eventQueue workflow's: ingests its events in order, each claimed in the name of the request that
   * accepted it, and stops at one that must wait for its member. Answers the positions of those it did.
   */
  async function ingestQueuedEvents(input: IngestQueuedEventsInput): Promise<{ done: number[] }> {
    return ingestion.ingestInOrder(input.queued, {
      waitIsOverFor: input.waitIsOverFor,
      // In the queue's workflow task (a local activity) there is no heartbeat to give.
      ...(Context.current().info.isLocal ? {} : { afterEach: heartbeat }),
    });
  }

  /**
   * The ingestEvents workflow's, which the API started for each request before the eventQueue: kept so that
   * those started before an upgrade finish. The claim is made in the name of the workflow run, so a retried
   * attempt carries on with its own events and a later run under the same id finds them done by another.
   */
  async function ingestEvents(input: IngestEventsInput): Promise<EventOutcome[]> {
    const execution = Context.current().info.workflowExecution;
    if (!execution) throw new Error('ingestEvents runs as an activity of the ingestEvents workflow only');
    return ingestion.ingest(`${execution.workflowId}@${execution.runId}`, input.events, heartbeat);
  }

  return { ingestQueuedEvents, ingestEvents };
}
