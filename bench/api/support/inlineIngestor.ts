// The benchmark's comparison for durable ingestion: the same ingestion (claim, apply, start runs, route)
// run inside the API process while the request waits, with no workflow around it. Faster, and not what Tend
// ships: an API process that dies mid-request leaves the request's later events unprocessed, and the
// client, which got no answer, must find out which by sending them again.

import { createEventIngestion, type IngestDeps } from '../../../activities/events/ingestEvents.js';
import { newId } from '../../../domain/events/newId.js';
import type { EventIngestor } from '../../../api/ingest/eventIngestor.js';

export function createInlineIngestor(deps: IngestDeps): EventIngestor {
  const ingestion = createEventIngestion(deps);
  return { submit: (request) => ingestion.ingest(`inline:${newId()}`, request.events) };
}
