// The event a client posts to /v1/events, as a schema that is also its TypeScript type.

import { Type } from '@sinclair/typebox';
import { EVENT_TYPE_PATTERN } from '../../compiler/events.js';
import { Id, SAFE_KEY_PATTERN } from './common.js';

export const MAX_EVENTS_PER_REQUEST = 1000;

const EventData = Type.Object(
  {},
  {
    additionalProperties: true,
    maxProperties: 100,
    propertyNames: { pattern: SAFE_KEY_PATTERN },
    description: 'Free-form. No key may start with $, contain a dot, or be __proto__/constructor/prototype.',
  },
);

export const IncomingEvent = Type.Object(
  {
    type: Type.String({ pattern: EVENT_TYPE_PATTERN.source, maxLength: 100, examples: ['member.approved'] }),
    id: Type.Optional(Id('Idempotency key: a repeat returns the first answer.')),
    memberId: Type.Optional(Id('The member the event is about.')),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    eventId: Type.Optional(Id('The community event it is about (RSVPs, updates, surveys).')),
    data: Type.Optional(EventData),
    occurredAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  },
  { additionalProperties: false },
);

export const EventsBody = Type.Union([
  IncomingEvent,
  Type.Array(IncomingEvent, { minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST }),
]);
