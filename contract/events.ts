// What the API hands to ingestion, and what ingestion answers for each event.

import type { TendEvent } from '../compiler/events.js';

/** An event the API has accepted: it has an id, and a hash of what it says (to tell repeats from reuse). */
export interface AcceptedEvent {
  event: TendEvent & { id: string };
  hash: string;
  /** ISO 8601: when the API accepted it; the event's time when it carries no `occurredAt`. */
  receivedAt: string;
}

/** An accepted event as the eventQueue workflow holds it: with the request that accepted it. */
export interface QueuedEvent {
  /** Names the acceptance (one API request): the event log's claim is made in its name. */
  acceptanceId: string;
  accepted: AcceptedEvent;
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
  /** The event is about a member who never appeared while it waited: it was routed without one. */
  memberNotFound?: true;
}

/** The input of the ingestEvents workflow and of its activity. */
export interface IngestEventsInput {
  events: AcceptedEvent[];
}

/** The input of the eventQueue workflow's activity: a batch from the head of its queue. */
export interface IngestQueuedEventsInput {
  queued: QueuedEvent[];
  /** The held event whose wait for its member is over: it goes through without one. */
  waitIsOverFor: string | null;
}

/** An event at the head of an eventQueue, held until its member exists. */
export interface HeldEvent {
  eventId: string;
  /** Workflow time (ms epoch) the event was first held. */
  since: number;
  /** How many times it has been tried again. */
  rechecks: number;
}

/** The input of the eventQueue workflow (workflows/eventQueue.ts). */
export interface EventQueueInput {
  /** Events carried over from the run before (continue-as-new). A new queue starts empty: the signal brings its events. */
  queued: QueuedEvent[];
  held?: HeldEvent | null;
}
