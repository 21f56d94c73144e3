// Plans for the worker's tests, built in code so that each test says exactly what it depends on.

import type { RoutedEvent } from '../../../compiler/events.js';
import type { Plan } from '../../../compiler/plan.js';
import { planDefaults } from '../../support/plans.js';

/** A small valid plan; `overrides` replace whole fields. */
export function testPlan(overrides: Partial<Plan> & Pick<Plan, 'id'>): Plan {
  return {
    ...planDefaults(),
    name: overrides.id,
    exit: { events: ['member.left'], conditions: [] },
    steps: [{ kind: 'wait', id: 'pause', authoredId: true, ms: 7 * 24 * 3600 * 1000 }],
    ...overrides,
  };
}

let eventCounter = 0;

/** An accepted event with a fresh id. */
export function testEvent(fields: Partial<RoutedEvent> & Pick<RoutedEvent, 'type'>): RoutedEvent {
  eventCounter += 1;
  return {
    id: `evt-${Date.now().toString(36)}-${eventCounter}`,
    memberId: null,
    eventId: null,
    data: {},
    occurredAt: new Date().toISOString(),
    ...fields,
  };
}
