// What the API hands to ingestion, and what ingestion answers for each event.

import type { TendEvent } from '../compiler/events.js';

/** An event the API has accepted: it has an id, and a hash of what it says (to tell repeats from reuse). */
export interface AcceptedEvent {
  event: TendEvent & { id: string };
  hash: string;
  /** ISO 8601: when the API accepted it; the event's time when it carries no `occurredAt`. */
  receivedAt: string;
}

export type EventStatus = 'accepted' | 'duplicate';

export interface EventOutcome {
  id: string;
  type: string;
  /** `duplicate`: an event with this id was accepted before; the runs are those it started and signalled. */
  status: EventStatus;
  /** Workflow ids of the runs (and audience fan-outs) this event started. */
  runsStarted: string[];
  /** Workflow ids of the runs in flight this event was delivered to. */
  runsSignalled: string[];
}

/** The input of the ingestEvents workflow and of its activity. */
export interface IngestEventsInput {
  events: AcceptedEvent[];
}
