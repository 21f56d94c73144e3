// The records a preview run reads and writes, held in memory: nothing a preview does reaches the database.
// Scripted events change them by the rule that changes MongoDB before an event is routed
// (domain/events/applyEvent.ts), `member.activity` included, so waits that follow a record and exit
// conditions behave in a preview as they do in a real run.

import type { RoutedEvent } from '../compiler/events.js';
import type { MemberRecord, RsvpRecord, EventRecord } from '../compiler/records.js';
import { prepareAndApply } from '../domain/events/applyEvent.js';
import { memoryActivity } from '../domain/memberActivity/memoryFacts.js';
import { createMemoryRecordStore, type MemoryRecords } from '../domain/records/memoryRecordStore.js';

/** The preview's records: the in-memory record store's (domain/records/memoryRecordStore.ts). */
export type PreviewWorld = MemoryRecords;

/** The world of a preview, from copies of the records it starts from. */
export function previewWorld(records: {
  member: MemberRecord;
  event: EventRecord | null;
  rsvp: RsvpRecord | null;
  upcomingEvents: EventRecord[];
  peers: MemberRecord[];
}): PreviewWorld {
  const world = structuredClone(records);
  return { ...world, activity: memoryActivity(world.member, world.rsvp) };
}

/**
 * Applies an event to the records, as the API does before it routes it, `member.activity` included; returns
 * it as routed (an `event.updated` gains `data.changed`).
 */
export function applyEvent(world: PreviewWorld, event: RoutedEvent): Promise<RoutedEvent> {
  return prepareAndApply(createMemoryRecordStore(world), event);
}
