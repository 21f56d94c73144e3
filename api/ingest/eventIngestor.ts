// The seam between accepting events and processing them. The API ships one implementation, the durable
// ingestEvents workflow (temporalIngestor.ts); the benchmark plugs in an inline one to measure what
// durability costs.

import type { AcceptedEvent, EventOutcome } from '../../contract/events.js';

export interface IngestRequest {
  /** Derived from the events' ids (ingestId.ts): the same events always make the same request. */
  ingestId: string;
  /** Hash of everything the request says, to tell a repeat from a different request reusing the ids. */
  requestHash: string;
  events: AcceptedEvent[];
  /**
   * Wait (up to the ingestor's limit) until the events are applied and routed, to report their runs, or
   * because what comes next must not overtake them. false: answer as soon as they are accepted.
   */
  waitForIngestion: boolean;
}

/** What the API answers for one event; `pending`: accepted, still being processed when the answer went. */
export type EventResult = EventOutcome & { pending?: true };

export interface EventIngestor {
  /**
   * Accepts the events durably and reports what they did, waiting a little for it. Throws `Unprocessable`
   * when the ingest id was used before for different events.
   */
  submit(request: IngestRequest): Promise<EventResult[]>;
}
