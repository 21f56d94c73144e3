// POST /v1/events: the host platform's way in. One event or an array of up to 1,000, answered 202 as soon as
// they are accepted durably, with each event's id and status. A caller who wants the runs each event started
// and reached asks to wait for them with `Prefer: wait=<seconds>` (RFC 7240).

import { Type } from '@sinclair/typebox';
import type { AcceptEvents } from '../acceptEvents.js';
import { BadRequest } from '../errors.js';
import { errorResponses, Id } from '../schemas/common.js';
import { EventsBody, MAX_EVENTS_PER_REQUEST } from '../schemas/event.js';
import { preferredWaitSeconds } from '../preferWait.js';
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
        description:
          'Accepted, still being processed when the answer went (always, unless Prefer: wait): runs not known yet.',
      }),
    ),
    waitingForMember: Type.Optional(
      Type.Literal(true, {
        description:
          'Held until the member it is about exists (e.g. an approval whose join is still on its way); applied then.',
      }),
    ),
    memberNotFound: Type.Optional(
      Type.Literal(true, {
        description:
          'The member it is about never appeared while it waited: routed without one, nothing applied.',
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
        description: `One event or an array of up to ${MAX_EVENTS_PER_REQUEST}, answered 202 as soon as they are accepted durably (each result \`pending\`). With \`Prefer: wait=N\` the answer waits up to N seconds (at most 10) for the events to be applied and routed, and lists the runs each started and reached. Events about one member take effect in the order they were accepted. An event's id makes it idempotent: a repeat is answered as a duplicate, and the same id with a different body is refused (422). Known event types are applied to the records first.`,
        tags: ['events'],
        security: [{ apiKey: [] }],
        headers: Type.Object({
          'idempotency-key': Type.Optional(Id('The id of a single event sent without one in the body.')),
          prefer: Type.Optional(
            Type.String({
              maxLength: 200,
              description:
                'RFC 7240. `wait=N`: wait up to N seconds for the runs the events start and reach.',
            }),
          ),
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
        waitMs: preferredWaitSeconds(request.headers.prefer) * 1000,
        ...(key === undefined ? {} : { defaultId: key }),
      });
      return reply.code(202).send({ results });
    },
  );
}
