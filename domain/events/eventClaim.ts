// What the event log says about an event, as the API reads it back: who claimed it, how far it got, and the
// runs it started and reached. One reading of the stored outcome for ingestion and the API alike.

import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { EventLogDoc } from '../../db/index.js';

export type EventClaim = Pick<
  EventLogDoc,
  '_id' | 'requestHash' | 'type' | 'ingestId' | 'status' | 'outcome'
>;

/** The fields of an event log row a claim is read with (a projection). */
export const CLAIM_FIELDS = { requestHash: 1, type: 1, ingestId: 1, status: 1, outcome: 1 } as const;

export const StoredOutcome = Type.Object({
  runsStarted: Type.Optional(Type.Array(Type.String())),
  runsSignalled: Type.Optional(Type.Array(Type.String())),
  memberNotFound: Type.Optional(Type.Literal(true)),
});
export type StoredOutcome = Static<typeof StoredOutcome>;

export function storedOutcome(claim: Pick<EventLogDoc, 'outcome'>): StoredOutcome {
  return Value.Check(StoredOutcome, claim.outcome) ? claim.outcome : {};
}
