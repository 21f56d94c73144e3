// Accepting events durably: starting the ingestEvents workflow is the acceptance. Temporal records the start
// before the client hears back, so after a 202 the events are applied and routed even if this process dies
// at once. The workflow id is the ingest id, so a repeat finds the workflow of the first request: Temporal
// refuses a second start under the same id (REJECT_DUPLICATE) and the repeat is answered from the first.

import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { EventOutcome } from '../../contract/events.js';
import { INGEST_EVENTS_WORKFLOW } from '../../contract/workflows.js';
import type { ingestEvents } from '../../workflows/ingestEvents.js';
import { Unprocessable } from '../errors.js';
import type { EventIngestor, EventResult, IngestRequest } from './eventIngestor.js';

/** The workflow type that processes accepted events (workflows/ingestEvents.ts). */

export interface TemporalIngestorOptions {
  client: Client;
  taskQueue: string;
  /** How long the API waits for the events' runs before answering `pending: true`. */
  waitMs: number;
}

export function createTemporalIngestor({
  client,
  taskQueue,
  waitMs,
}: TemporalIngestorOptions): EventIngestor {
  async function submit(request: IngestRequest): Promise<EventResult[]> {
    const { handle, repeat } = await start(request);
    const outcomes = request.waitForIngestion ? await resultWithin(handle, waitMs) : null;
    if (outcomes === null) {
      return request.events.map(({ event }) => ({
        id: event.id,
        type: event.type,
        status: repeat ? 'duplicate' : 'accepted',
        runsStarted: [],
        runsSignalled: [],
        pending: true,
      }));
    }
    return repeat ? outcomes.map((outcome) => ({ ...outcome, status: 'duplicate' })) : outcomes;
  }

  async function start(
    request: IngestRequest,
  ): Promise<{ handle: WorkflowHandle<typeof ingestEvents>; repeat: boolean }> {
    try {
      const handle = await client.workflow.start<typeof ingestEvents>(INGEST_EVENTS_WORKFLOW, {
        workflowId: request.ingestId,
        taskQueue,
        args: [{ events: request.events }],
        memo: { requestHash: request.requestHash },
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      return { handle, repeat: false };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    const handle = client.workflow.getHandle<typeof ingestEvents>(request.ingestId);
    const { memo } = await handle.describe();
    if (memo?.requestHash !== request.requestHash) {
      throw new Unprocessable(
        `events with ${request.events.length === 1 ? 'this id were' : 'these ids were'} accepted before with a different body: send new ids for new events`,
      );
    }
    return { handle, repeat: true };
  }

  /** The workflow's result, or null when it takes longer than `ms` (it goes on; the answer says pending). */
  async function resultWithin(
    handle: WorkflowHandle<typeof ingestEvents>,
    ms: number,
  ): Promise<EventOutcome[] | null> {
    const deadline = AbortSignal.timeout(ms);
    try {
      return await client.withAbortSignal(deadline, () => handle.result());
    } catch (error) {
      if (deadline.aborted) return null;
      throw error;
    }
  }

  return { submit };
}
