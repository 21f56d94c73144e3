// Runs: list them (the runs collection, brought up to date with Temporal), show one (its status query), and
// cancel one (a Temporal cancellation, which the run turns into an exit with the reason `cancelled`).

import { Type, type Static } from '@sinclair/typebox';
import type { Client } from '@temporalio/client';
import { listRuns, parseRunCursor } from '../../domain/runs/listRuns.js';
import type { RunRecord } from '../../domain/runs/runRecords.js';
import { RUN_RECORD_STATUSES, type Models } from '../../db/index.js';
import type { RunState } from '../../contract/runtime.js';
import { statusQuery } from '../../contract/workflows.js';
import { cancelRun, notFoundAsRun } from '../cancelRun.js';
import { BadRequest, NotFound, ServiceUnavailable } from '../errors.js';
import { errorResponses, Id, Name, OneOf } from '../schemas/common.js';
import { asOutage } from '../serverUnavailable.js';
import type { TendApp } from '../typeProvider.js';

export const RUN_ID_PATTERN = '^run:[a-z][a-z0-9-]{0,62}[:@][A-Za-z0-9._:-]{1,300}$';
const RunId = Type.String({
  pattern: RUN_ID_PATTERN,
  maxLength: 400,
  description: 'run:<playbook>:<memberId>[:<key>], or run:<playbook>@<firing> for a community playbook',
});
/** A community playbook's run (a schedule without an audience) is about no member. */
const MemberOfRun = Type.Union([Type.String(), Type.Null()], {
  description: "The run's member; null for a community playbook's run",
});
const RunParams = Type.Object({ id: RunId }, { additionalProperties: false });

const RunSummary = Type.Object(
  {
    id: Type.String(),
    sequence: Type.Integer({ description: "0 for the member's first run of the playbook (under this key)" }),
    playbook: Type.String(),
    version: Type.String(),
    memberId: MemberOfRun,
    key: Type.Union([Type.String(), Type.Null()]),
    status: OneOf(RUN_RECORD_STATUSES),
    startedAt: Type.String({ format: 'date-time' }),
    closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
);

const RunListQuery = Type.Object(
  {
    memberId: Type.Optional(Id('Only the runs of this member.')),
    playbook: Type.Optional(Name),
    status: Type.Optional(OneOf(RUN_RECORD_STATUSES, 'Only runs in this state.')),
    limit: Type.Optional(
      Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1 to 100; 50 by default' }),
    ),
    before: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,1000}$',
        description: 'The `next` of the previous page.',
      }),
    ),
  },
  { additionalProperties: false },
);

const StepRecordSchema = Type.Object(
  {
    stepId: Type.String(),
    outcome: Type.String(),
    at: Type.String({ format: 'date-time' }),
    detail: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

const RunStateSchema = Type.Object(
  {
    id: Type.String(),
    playbook: Type.String(),
    version: Type.String(),
    memberId: MemberOfRun,
    key: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
    currentStep: Type.Union([Type.String(), Type.Null()]),
    nextWakeAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    exitReason: Type.Union([Type.String(), Type.Null()]),
    steps: Type.Array(StepRecordSchema),
  },
  { additionalProperties: false },
);

/** A run's state comes from its worker (a query); a worker that does not answer in time is a 503. */
const QUERY_TIMEOUT_MS = 5_000;

export function runsRoutes(app: TendApp, { models, temporal }: { models: Models; temporal: Client }): void {
  app.get(
    '/v1/runs',
    {
      schema: {
        summary: 'List runs',
        description: 'Newest first, by member, playbook and status. Open runs are checked against Temporal.',
        tags: ['runs'],
        security: [{ apiKey: [] }],
        querystring: RunListQuery,
        response: {
          200: Type.Object(
            { runs: Type.Array(RunSummary), next: Type.Union([Type.String(), Type.Null()]) },
            { additionalProperties: false },
          ),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const { memberId, playbook, status } = request.query;
      const limit = Number(request.query.limit ?? '50');
      const before = request.query.before === undefined ? undefined : parseRunCursor(request.query.before);
      if (before === null) throw new BadRequest('querystring.before is not the `next` of a page of runs');
      const list = await listRuns(
        { client: temporal, models },
        { memberId, playbook, status, before, limit },
      );
      return { runs: list.runs.map(summary), next: list.next };
    },
  );

  app.get(
    '/v1/runs/:id',
    {
      schema: {
        summary: 'Show a run',
        description: "The run's state as it reports it: status, current step, next wake-up, the steps done.",
        tags: ['runs'],
        security: [{ apiKey: [] }],
        params: RunParams,
        response: { 200: RunStateSchema, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const handle = temporal.workflow.getHandle(id);
      const state = await notFoundAsRun(id, () =>
        temporal.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(statusQuery)),
      ).catch((error: unknown) => {
        if (error instanceof NotFound) throw error;
        // Temporal itself away is an outage; Temporal there and no answer means no worker has the run.
        throw (
          asOutage(error) ??
          new ServiceUnavailable(`run ${id} did not answer: is a worker running?`, { cause: error })
        );
      });
      return stateResponse(id, state);
    },
  );

  app.post(
    '/v1/runs/:id/cancel',
    {
      schema: {
        summary: 'Cancel a run',
        description: 'The run exits with the reason `cancelled`, also in the middle of a wait.',
        tags: ['runs'],
        security: [{ apiKey: [] }],
        params: RunParams,
        response: {
          202: Type.Object(
            { id: Type.String(), status: Type.Literal('cancelling') },
            { additionalProperties: false },
          ),
          ...errorResponses(400, 401, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await cancelRun(temporal, id);
      return reply.code(202).send({ id, status: 'cancelling' as const });
    },
  );
}

function summary(record: RunRecord): Static<typeof RunSummary> {
  return {
    id: record.workflowId,
    sequence: record.sequence,
    playbook: record.playbook,
    version: record.version,
    memberId: record.memberId,
    key: record.key,
    status: record.status,
    startedAt: record.startedAt.toISOString(),
    closedAt: record.closedAt?.toISOString() ?? null,
  };
}

/** The run's own state, with its times (ms epoch inside the workflow) in ISO 8601 like every time in the API. */
function stateResponse(id: string, state: RunState): Static<typeof RunStateSchema> {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id,
    ...state,
    nextWakeAt: state.nextWakeAt === null ? null : iso(state.nextWakeAt),
    steps: state.steps.map((step) => ({ ...step, at: iso(step.at) })),
  };
}
