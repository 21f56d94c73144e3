// How the API tells a repeat from a different event that reuses an id: a hash of what the event says.

import { createHash } from 'node:crypto';

/** SHA-256 of the value as JSON with object keys sorted, so that key order never makes two bodies differ. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
