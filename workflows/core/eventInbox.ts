// The events that reach a run: each is acted on once (a webhook retried, a signal sent twice), and those that
// arrive while an `on` handler runs wait their turn here until it has finished.

import type { RoutedEvent } from '../../compiler/events.js';

/** How many event ids a run remembers to recognise a repeat; a repeat older than this is very unlikely. */
export const MAX_SEEN_EVENT_IDS = 1000;

/** An event put aside while a handler ran. `handlerOnly`: a wait inside the handler has already taken it. */
export interface DeferredEvent {
  event: RoutedEvent;
  handlerOnly: boolean;
}

export class EventInbox {
  private readonly seen: string[];
  private readonly seenSet: Set<string>;
  private readonly deferred: DeferredEvent[] = [];

  constructor(seenEventIds: readonly string[]) {
    this.seen = seenEventIds.slice(-MAX_SEEN_EVENT_IDS);
    this.seenSet = new Set(this.seen);
  }

  /** Remembers the id; false when the run has seen it before. */
  firstSighting(event: RoutedEvent): boolean {
    if (this.seenSet.has(event.id)) return false;
    this.seen.push(event.id);
    this.seenSet.add(event.id);
    if (this.seen.length > MAX_SEEN_EVENT_IDS) {
      const forgotten = this.seen.shift();
      if (forgotten !== undefined) this.seenSet.delete(forgotten);
    }
    return true;
  }

  defer(entry: DeferredEvent): void {
    this.deferred.push(entry);
  }

  takeDeferred(): DeferredEvent | null {
    return this.deferred.shift() ?? null;
  }

  seenIds(): string[] {
    return [...this.seen];
  }
}
