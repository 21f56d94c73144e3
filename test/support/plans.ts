// What every hand-built test Plan has unless a test says otherwise: a member-event trigger, no audience,
// reentry once, no exits or handlers, no delivery limits, the Riverside community and no templates. Tests of
// the core, the workflow and the worker build plans in code so each says exactly what it depends on; the
// compiler's own tests, the end-to-end journeys and the preview compile real playbooks instead.

import type { Plan } from '../../compiler/plan.js';

export function planDefaults(): Omit<Plan, 'id' | 'steps'> {
  return {
    name: 'Test playbook',
    description: null,
    enabled: true,
    version: 'v1',
    trigger: { kind: 'event', event: 'member.approved', key: null },
    audience: null,
    reentry: { kind: 'once' },
    exit: { events: [], conditions: [] },
    on: {},
    delivery: { quietHours: null, frequencyCap: null },
    community: {
      name: 'Riverside Running Club',
      timezone: 'Europe/London',
      from: 'Riverside RC <hello@riverside.example>',
      replyTo: null,
      managers: ['organisers@riverside.example'],
      postalAddress: '1 Park Lane, London',
    },
    templates: { emails: {}, layouts: {}, partials: {} },
    needs: { event: false, rsvp: false, upcomingEvents: false },
  };
}
