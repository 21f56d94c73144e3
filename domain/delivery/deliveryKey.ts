// The idempotency key of one email of a run: the delivery ledger's unique key, and the seed of its
// Message-ID. The preview derives the same key, so a previewed email carries the Message-ID a real one would.

import { runIdentity, type RunRef } from '../../contract/activityPayloads.js';
import type { DeliveryRequest } from '../../contract/runtime.js';

/** `<run>/<stepId>/<occurrence>`, and `/peer` for the peer's copy of an introduction. */
export function deliveryKey(run: RunRef, request: DeliveryRequest): string {
  const key = `${runIdentity(run)}/${request.stepId}/${request.occurrence}`;
  return request.to.kind === 'peer' ? `${key}/peer` : key;
}
