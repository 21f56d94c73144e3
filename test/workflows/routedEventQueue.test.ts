// The run's queue of routed events, outside a workflow: the paths that must not wait (a queued event, a
// deadline already past) never reach Temporal's condition(), which exists only inside a workflow.
import { describe, expect, it } from 'vitest';
import type { RoutedEvent } from '../../compiler/events.js';
import { RoutedEventQueue } from '../../workflows/routedEventQueue.js';

const event = (id: string): RoutedEvent => ({
  id,
  type: 'member.active',
  memberId: 'm-ada',
  eventId: null,
  data: {},
  occurredAt: '2026-01-01T00:00:00.000Z',
});

describe('RoutedEventQueue', () => {
  it('gives back the events carried across continue-as-new first, in order, without waiting', async () => {
    const queue = new RoutedEventQueue([event('a'), event('b')]);
    queue.push(event('c'));
    expect(await queue.next(null, 0)).toEqual(event('a'));
    expect(queue.untaken().map((taken) => taken.id)).toEqual(['b', 'c']);
    expect(await queue.next(1_000, 0)).toEqual(event('b'));
  });

  it('answers null at once when the deadline has come and nothing is queued', async () => {
    const queue = new RoutedEventQueue([]);
    expect(await queue.next(5_000, 5_000)).toBeNull();
    expect(await queue.next(5_000, 9_000)).toBeNull();
  });
});
