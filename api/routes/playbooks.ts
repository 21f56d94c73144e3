// GET /v1/playbooks: every playbook with the version in service, whether it is enabled, whether its file
// compiles now, and every error, so a manager sees what to fix without a shell.

import { Type } from '@sinclair/typebox';
import type { PlansSource } from '../plansSource.js';
import { errorResponses } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';

const PlaybookReportSchema = Type.Object(
  {
    id: Type.String(),
    version: Type.Union([Type.String(), Type.Null()], {
      description: 'The version in service; null if none ever compiled.',
    }),
    enabled: Type.Boolean(),
    valid: Type.Boolean({ description: 'Whether the file, as it is now, compiles.' }),
    errors: Type.Array(Type.String(), { description: 'file:line:col  message' }),
  },
  { additionalProperties: false },
);

export function playbooksRoutes(app: TendApp, plans: PlansSource): void {
  app.get(
    '/v1/playbooks',
    {
      schema: {
        summary: 'List playbooks',
        tags: ['playbooks'],
        security: [{ apiKey: [] }],
        response: {
          200: Type.Object({ playbooks: Type.Array(PlaybookReportSchema) }, { additionalProperties: false }),
          ...errorResponses(401),
        },
      },
    },
    async () => ({ playbooks: await plans.playbooks() }),
  );
}
