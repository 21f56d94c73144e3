// The name of the ingestion of a request's events, derived from their ids only, so that a repeated request
// lands on the ingestion the first one started. One event keeps a readable name; an array is named by a hash.

import { createHash } from 'node:crypto';

export function ingestIdFor(eventIds: readonly string[]): string {
  const [only] = eventIds;
  if (eventIds.length === 1 && only !== undefined) return `ingest:${only}`;
  return `ingest-batch:${createHash('sha256').update(eventIds.join('\n')).digest('hex')}`;
}
