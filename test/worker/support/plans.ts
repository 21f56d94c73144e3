// Plans for the worker's tests, built in code so that each test says exactly what it depends on.

import type { RoutedEvent } from '../../../compiler/events.js';
import type { Plan } from '../../../compiler/plan.js';

/** A small valid plan; `overrides` replace whole fields. */
export function testPlan(overrides: Partial<Plan> & Pick<Plan, 'id'>): Plan {
  return {
    name: overrides.id,
    description: null,
    enabled: true,
    version: 'v1',
    trigger: { kind: 'event', event: 'member.approved', key: null },
    audience: null,
    reentry: { kind: 'once' },
    exit: { events: ['member.left'], conditions: [] },
    on: {},
    steps: [{ kind: 'wait', id: 'pause', authoredId: true, ms: 7 * 24 * 3600 * 1000 }],
    delivery: { quietHours: null, frequencyCap: null },
    community: {
      name: 'Test Club',
      timezone: 'Europe/London',
      from: 'Test Club <hello@test.example>',
      replyTo: null,
      managers: ['organisers@test.example'],
      postalAddress: '1 Test Lane',
    },
    templates: { emails: {}, layouts: {}, partials: {} },
    needs: { event: false, rsvp: false, upcomingEvents: false },
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
