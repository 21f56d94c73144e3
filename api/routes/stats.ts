// GET /v1/playbooks/:id/stats: a playbook's funnel (domain/journal/funnel.ts) for one version or all, over the runs
// started in a window. The figures are the ones docs/reports.md defines; the console and `tend stats` show
// the same computation.

import { Type } from '@sinclair/typebox';
import type { Models } from '../../db/index.js';
import { playbookFunnel, UnknownPlaybookError } from '../../domain/journal/funnel.js';
import { BadRequest, NotFound } from '../errors.js';
import { errorResponses, Name } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';

const Counted = Type.Object(
  { total: Type.Integer(), byReason: Type.Record(Type.String(), Type.Integer()) },
  { additionalProperties: false },
);
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const StepFunnelSchema = Type.Object(
  {
    stepId: Type.String(),
    kind: Type.String(),
    depth: Type.Integer({ description: '0 for a top-level step; one more per enclosing block' }),
    template: Nullable(Type.String()),
    entered: Type.Integer(),
    branches: Type.Union([
      Type.Object({ then: Type.Integer(), else: Type.Integer() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    waiting: Type.Object(
      { runs: Type.Integer(), nextWakeAt: Nullable(Type.String({ format: 'date-time' })) },
      { additionalProperties: false },
    ),
    sent: Type.Integer(),
    held: Type.Object({ sends: Type.Integer(), totalHeldMs: Type.Number() }, { additionalProperties: false }),
    skipped: Counted,
    failed: Counted,
    exited: Counted,
    clicks: Type.Object(
      {
        members: Type.Integer({ description: 'members with a human click on this email' }),
        sentTo: Type.Integer({ description: 'members this email was sent to' }),
        rate: Type.Union([Type.Number({ description: 'members ÷ sentTo' }), Type.Null()]),
        human: Type.Integer({ description: 'human clicks' }),
        raw: Type.Integer({ description: 'clicks that looked like a mail scanner (not routed)' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const GoalSchema = Type.Object(
  {
    name: Type.String(),
    event: Type.String(),
    withinMs: Type.Number(),
    conversions: Type.Integer(),
    decided: Type.Integer({ description: 'Runs whose window has closed or that converted' }),
    rate: Type.Union([Type.Number(), Type.Null()]),
    medianTimeToConvertMs: Type.Union([Type.Number(), Type.Null()]),
    lastEmail: Type.Array(
      Type.Object(
        { stepId: Type.String(), template: Nullable(Type.String()), conversions: Type.Integer() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const FunnelSchema = Type.Object(
  {
    playbook: Type.String(),
    version: Nullable(Type.String()),
    versions: Type.Array(Type.String()),
    from: Nullable(Type.String({ format: 'date-time' })),
    to: Nullable(Type.String({ format: 'date-time' })),
    runs: Type.Object(
      {
        started: Type.Integer(),
        completed: Type.Integer(),
        exited: Type.Integer(),
        failed: Type.Integer(),
        inFlight: Type.Integer(),
        members: Type.Integer(),
        reentries: Type.Integer(),
      },
      { additionalProperties: false },
    ),
    goal: Type.Union([GoalSchema, Type.Null()]),
    steps: Type.Array(StepFunnelSchema),
  },
  { additionalProperties: false },
);

const StatsParams = Type.Object({ id: Name }, { additionalProperties: false });
const StatsQuery = Type.Object(
  {
    version: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{16}$', description: 'One version; all versions when left out.' }),
    ),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Runs started at or after.' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Runs started before.' })),
  },
  { additionalProperties: false },
);

export function statsRoutes(app: TendApp, { models }: { models: Models }): void {
  app.get(
    '/v1/playbooks/:id/stats',
    {
      schema: {
        summary: "A playbook's funnel",
        description:
          'Per step in plan order: entered, then/else, waiting, sent, held, skipped and failed by reason, ' +
          "exited by reason; the runs' totals and the goal's conversions (docs/reports.md).",
        tags: ['playbooks'],
        security: [{ apiKey: [] }],
        params: StatsParams,
        querystring: StatsQuery,
        response: { 200: FunnelSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { version, from, to } = request.query;
      const window = { from: dateOrNull(from), to: dateOrNull(to) };
      if (window.from !== null && window.to !== null && window.from >= window.to)
        throw new BadRequest('from must be before to');
      try {
        return await playbookFunnel(
          models,
          { playbook: request.params.id, version: version ?? null, ...window },
          Date.now(),
        );
      } catch (error) {
        if (error instanceof UnknownPlaybookError) throw new NotFound(error.message);
        throw error;
      }
    },
  );
}

function dateOrNull(value: string | undefined): Date | null {
  return value === undefined ? null : new Date(value);
}
