// The seam between accepting events and processing them. The API ships one implementation, the durable
// eventQueue workflows (temporalIngestor.ts); the benchmark plugs in an inline one to measure what
// durability costs.

import type { EventClaim } from '../../domain/events/eventClaim.js';
import type { AcceptedEvent, EventOutcome } from '../../contract/events.js';

export interface IngestRequest {
  events: AcceptedEvent[];
  /**
   * The event log's claim of each event as the API read it while checking the request, null for an event
   * never seen: a claimed event is already in the hands of a durable ingestion and is only reported.
   */
  claims: (EventClaim | null)[];
  /** How long to wait for the events to be applied and routed, to report their runs; 0: not at all. */
  waitMs: number;
}

/**
 * What the API answers for one event. `pending`: accepted, still being processed when the answer went;
 * `waitingForMember`: held until the member it is about exists.
 */
export type EventResult = EventOutcome & { pending?: true; waitingForMember?: true };

export interface EventIngestor {
  /** Accepts the events durably and reports what they did, waiting (up to `waitMs`) for it. */
  submit(request: IngestRequest): Promise<EventResult[]>;
}
