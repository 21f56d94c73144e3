// The events routed to a run (the `routeEvent` signal), in the order they came, until the run takes them.
// Telling repeats apart and deciding what an event means is the interpreter's work; this only waits.

import { condition } from '@temporalio/workflow';
import type { RoutedEvent } from '../compiler/events.js';

export class RoutedEventQueue {
  private readonly events: RoutedEvent[];

  /** `carried`: events that had arrived but were not taken when the run continued as new. */
  constructor(carried: readonly RoutedEvent[]) {
    this.events = [...carried];
  }

  push(event: RoutedEvent): void {
    this.events.push(event);
  }

  /**
   * The next event, waiting for one until `deadline` (ms epoch, workflow time; null: for as long as it
   * takes). A queued event is returned at once; a deadline already past returns null at once, so a run that
   * catches up after downtime goes straight on.
   */
  async next(deadline: number | null, now: number): Promise<RoutedEvent | null> {
    if (this.events.length === 0) {
      if (deadline === null) await condition(() => this.events.length > 0);
      else if (deadline > now) await condition(() => this.events.length > 0, deadline - now);
    }
    return this.events.shift() ?? null;
  }

  /** The events not taken yet, to carry across continue-as-new. */
  untaken(): RoutedEvent[] {
    return [...this.events];
  }
}
