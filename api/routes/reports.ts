// GET /v1/reports/health: the community health report (domain/reports/health) over a period and, optionally, one
// subgroup. The same function serves `tend report`, the console and the weekly digest.

import { Type } from '@sinclair/typebox';
import {
  healthReport,
  PeriodError,
  resolvePeriod,
  type HealthReport,
} from '../../domain/reports/health/index.js';
import type { Models } from '../../db/index.js';
import { BadRequest } from '../errors.js';
import type { PlansSource } from '../plansSource.js';
import { errorResponses, ID_PATTERN } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';

/** Checked by resolvePeriod, which says what to write instead; bounded here. */
const Bound = (description: string) => Type.String({ maxLength: 40, description });

const HealthQuery = Type.Object(
  {
    from: Type.Optional(
      Bound('YYYY-MM-DD (start of that day in the community zone) or an ISO 8601 date-time'),
    ),
    to: Type.Optional(
      Bound('YYYY-MM-DD (through the end of that day) or an ISO 8601 date-time; now by default'),
    ),
    subgroup: Type.Optional(
      Type.String({ pattern: ID_PATTERN, maxLength: 200, description: 'Only members of this subgroup.' }),
    ),
  },
  { additionalProperties: false },
);

export function reportsRoutes(
  app: TendApp,
  deps: { models: Models; plans: PlansSource; clock: () => number },
): void {
  app.get(
    '/v1/reports/health',
    {
      schema: {
        summary: 'Community health',
        description:
          'Retention cohorts (30/90 days), attendance, connection rate, NPS, at-risk members and email ' +
          'pressure over a period (the last 90 days by default). Definitions: docs/reports.md.',
        tags: ['reports'],
        security: [{ apiKey: [] }],
        querystring: HealthQuery,
        response: {
          200: Type.Unsafe<HealthReport>({
            type: 'object',
            description:
              'The report: period, retention, attendance, connections, nps, atRisk, emailPressure.',
            additionalProperties: true,
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const zone = (await deps.plans.community()).settings.timezone;
      const now = new Date(deps.clock());
      let period: { from: Date; to: Date };
      try {
        period = resolvePeriod(request.query, zone, now);
      } catch (error) {
        if (error instanceof PeriodError) throw new BadRequest(error.message);
        throw error;
      }
      return healthReport(deps.models, { ...period, subgroup: request.query.subgroup ?? null, now, zone });
    },
  );
}
