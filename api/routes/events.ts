// POST /v1/events: the host platform's way in. One event or an array of up to 1,000, answered 202 with what
// happened to each: accepted or a duplicate, the runs it started and the runs it reached.

import { Type } from '@sinclair/typebox';
import type { AcceptEvents } from '../acceptEvents.js';
import { BadRequest } from '../errors.js';
import { errorResponses, Id } from '../schemas/common.js';
import { EventsBody, MAX_EVENTS_PER_REQUEST } from '../schemas/event.js';
import type { TendApp } from '../typeProvider.js';

const EventResultSchema = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate')]),
    runsStarted: Type.Array(Type.String(), {
      description: 'Workflow ids of the runs and fan-outs it started.',
    }),
    runsSignalled: Type.Array(Type.String(), {
      description: 'Workflow ids of the runs in flight it reached.',
    }),
    pending: Type.Optional(
      Type.Literal(true, {
        description: 'Accepted, still being processed when the answer went: runs not known yet.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const EventsAnswer = Type.Object(
  { results: Type.Array(EventResultSchema) },
  { additionalProperties: false },
);

export function eventsRoutes(app: TendApp, accept: AcceptEvents): void {
  app.post(
    '/v1/events',
    {
      schema: {
        summary: 'Send events',
        description: `One event or an array of up to ${MAX_EVENTS_PER_REQUEST}. An event's id makes it idempotent: a repeat is answered with the first answer, and the same id with a different body is refused (422). Known event types are applied to the records first.`,
        tags: ['events'],
        security: [{ apiKey: [] }],
        headers: Type.Object({
          'idempotency-key': Type.Optional(Id('The id of a single event sent without one in the body.')),
        }),
        body: EventsBody,
        response: { 202: EventsAnswer, ...errorResponses(400, 401, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const key = request.headers['idempotency-key'];
      if (key !== undefined && Array.isArray(body)) {
        throw new BadRequest(
          'the Idempotency-Key header is for a single event: give each event of an array its id',
        );
      }
      if (key !== undefined && !Array.isArray(body) && body.id !== undefined && body.id !== key) {
        throw new BadRequest('body.id and the Idempotency-Key header differ: send one of them');
      }
      const events = Array.isArray(body) ? body : [body];
      const results = await accept(events, {
        where: (index) => (Array.isArray(body) ? `body[${index}]` : 'body'),
        waitForIngestion: true,
        ...(key === undefined ? {} : { defaultId: key }),
      });
      return reply.code(202).send({ results });
    },
  );
}
