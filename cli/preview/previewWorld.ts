// The records a preview run reads and writes, held in memory: nothing a preview does reaches the database.
// Scripted events change them by the rule that changes MongoDB before an event is routed
// (domain/events/applyEvent.ts), so waits that follow a record and exit conditions behave in a preview as they
// do in a real run; `member.activity` is kept in step here (cli/preview/previewActivity.ts).

import type { RoutedEvent } from '../../compiler/events.js';
import { prepareAndApply } from '../../domain/events/applyEvent.js';
import { createMemoryRecordStore, type MemoryRecords } from '../../domain/records/memoryRecordStore.js';
import { activityAfter } from './previewActivity.js';

/** The preview's records: the in-memory record store's (domain/records/memoryRecordStore.ts). */
export type PreviewWorld = MemoryRecords;

/**
 * Applies an event to the records, as the API does before it routes it, `member.activity` included; returns
 * it as routed (an `event.updated` gains `data.changed`).
 */
export async function applyEvent(world: PreviewWorld, event: RoutedEvent): Promise<RoutedEvent> {
  const rsvpBefore = world.rsvp === null ? null : { ...world.rsvp };
  const routed = await prepareAndApply(createMemoryRecordStore(world), event);
  world.member.activity = activityAfter(world.member, event, rsvpBefore, world.rsvp);
  return routed;
}
