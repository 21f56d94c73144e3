// The event activity the ingestEvents workflow calls. Part of `createActivities(deps)` (activities/index.ts).

import { Context } from '@temporalio/activity';
import { createEventIngestion, type IngestDeps } from './ingestEvents.js';
import type { EventOutcome, IngestEventsInput } from '../../contract/events.js';

export function createEventActivities(deps: IngestDeps) {
  const ingestion = createEventIngestion(deps);

  /**
   * Applies, starts and routes the workflow's events. The claim is made in the name of this workflow run, so
   * a retried attempt carries on with its own events and a later run under the same id (Temporal reuses an id
   * once it has forgotten the first) finds them done by another and reports them as duplicates.
   */
  async function ingestEvents(input: IngestEventsInput): Promise<EventOutcome[]> {
    const execution = Context.current().info.workflowExecution;
    if (!execution) throw new Error('ingestEvents runs as an activity of the ingestEvents workflow only');
    return ingestion.ingest(`${execution.workflowId}@${execution.runId}`, input.events, () =>
      Context.current().heartbeat(),
    );
  }

  return { ingestEvents };
}
