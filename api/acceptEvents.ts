// Every way into Tend (POST /v1/events, forms, webhooks, signed links) ends here: the events are checked,
// given ids, told apart from repeats, and handed to the ingestor, which accepts them durably. By default the
// answer goes as soon as they are accepted; a caller may ask to wait (briefly) until they are routed.

import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { TendEvent } from '../compiler/events.js';
import { knownEventProblem } from '../domain/events/knownEvents.js';
import { CLAIM_FIELDS, type EventClaim } from '../domain/events/eventClaim.js';
import { newId } from '../domain/events/newId.js';
import type { AcceptedEvent } from '../contract/events.js';
import { mapWithConcurrency } from '../domain/runs/boundedConcurrency.js';
import type { Models } from '../db/index.js';
import { contentHash } from './eventIdentity.js';
import { BadRequest, Unprocessable } from './errors.js';
import type { EventIngestor, EventResult } from './ingest/eventIngestor.js';
import { findUnsafeJson } from './safeJson.js';
import { IncomingEvent } from './schemas/event.js';
import { describeValidationErrors } from './validationMessage.js';

// Events made from forms, webhooks and links pass the same schema as POST /v1/events: one definition of a
// valid event, whichever way it came in.
const ajv = new Ajv({ allErrors: false });
addFormats.default(ajv);
const validEvent = ajv.compile(IncomingEvent);

export interface AcceptOptions {
  /** Where each event came from in the request, for messages: `body`, `body[3]`, `form`. */
  where: (index: number) => string;
  /** The id for an event that carries none (the Idempotency-Key header, a link's deterministic id). */
  defaultId?: string;
  /**
   * How long to wait for the events to be applied and routed, to report their runs or because what comes
   * next must not overtake them: at most the API's longest wait (LONGEST_WAIT asks for that). 0 by default.
   */
  waitMs?: number;
}

/** Asks to wait as long as the API waits for anyone (ApiDeps.longestIngestWaitMs). */
export const LONGEST_WAIT = Number.POSITIVE_INFINITY;

export type AcceptEvents = (events: TendEvent[], options: AcceptOptions) => Promise<EventResult[]>;

export function createEventAcceptance(
  models: Pick<Models, 'eventLog'>,
  ingestor: EventIngestor,
  longestWaitMs: number,
): AcceptEvents {
  return async (events, { where, defaultId, waitMs = 0 }) => {
    const receivedAt = new Date().toISOString();
    const accepted = events.map((event, index): AcceptedEvent => {
      checkEvent(event, where(index));
      const withId = { ...event, id: event.id ?? defaultId ?? newId() };
      return { event: withId, hash: contentHash(withId), receivedAt };
    });
    refuseRepeatedIds(accepted, where);
    const claims = await readClaims(models, accepted);
    refuseReusedIds(accepted, claims, where);
    return ingestor.submit({ events: accepted, claims, waitMs: Math.min(waitMs, longestWaitMs) });
  };
}

function checkEvent(event: TendEvent, where: string): void {
  if (!validEvent(event)) throw new BadRequest(describeValidationErrors(validEvent.errors ?? [], where));
  const unsafe = event.data === undefined ? null : findUnsafeJson(event.data, `${where}.data`);
  if (unsafe !== null) throw new BadRequest(unsafe);
  const problem = knownEventProblem(event);
  if (problem !== null) throw new Unprocessable(`${where}.${problem.field} ${problem.message}`);
}

function refuseRepeatedIds(accepted: AcceptedEvent[], where: (index: number) => string): void {
  const firstIndex = new Map<string, number>();
  accepted.forEach(({ event }, index) => {
    const first = firstIndex.get(event.id);
    if (first !== undefined)
      throw new BadRequest(`${where(index)}.id repeats ${where(first)}.id: ids must be unique`);
    firstIndex.set(event.id, index);
  });
}

/** The event log's claim of each event, null for an event never seen. */
function readClaims(
  models: Pick<Models, 'eventLog'>,
  accepted: AcceptedEvent[],
): Promise<(EventClaim | null)[]> {
  // One lookup by _id per event: FerretDB serves _id equality from its index and scans for `$in`.
  return mapWithConcurrency(accepted, 16, ({ event }) =>
    models.eventLog.findById(event.id, CLAIM_FIELDS).lean<EventClaim>().exec(),
  );
}

/** An id accepted before for a different event is refused: the client is reusing ids, not retrying. */
function refuseReusedIds(
  accepted: AcceptedEvent[],
  known: (EventClaim | null)[],
  where: (index: number) => string,
): void {
  const reused = accepted.findIndex(({ hash }, index) => (known[index]?.requestHash ?? hash) !== hash);
  const event = accepted[reused]?.event;
  if (event !== undefined) {
    throw new Unprocessable(
      `${where(reused)}.id "${event.id}" was accepted before with a different body: send a new id for a new event`,
    );
  }
}
