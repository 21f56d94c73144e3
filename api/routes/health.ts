// Health for load balancers and orchestrators: /healthz says the process is up; /readyz says it can do its
// work, which needs Temporal and MongoDB, and names the one that is not reachable.

import { Type } from '@sinclair/typebox';
import type { Client } from '@temporalio/client';
import type { Models } from '../../db/index.js';
import { ServiceUnavailable } from '../errors.js';
import { errorResponses } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';

const CHECK_TIMEOUT_MS = 2_000;

const Status = (value: string) =>
  Type.Object({ status: Type.Literal(value) }, { additionalProperties: false });

export function healthRoutes(app: TendApp, { models, temporal }: { models: Models; temporal: Client }): void {
  app.get(
    '/healthz',
    { schema: { summary: 'The process is up', tags: ['health'], response: { 200: Status('ok') } } },
    () => Promise.resolve({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Temporal and MongoDB are reachable',
        tags: ['health'],
        response: { 200: Status('ready'), ...errorResponses(503) },
      },
    },
    async () => {
      const checks = await Promise.all([
        reachable('Temporal', () =>
          temporal.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
            temporal.workflowService.getSystemInfo({}),
          ),
        ),
        reachable('MongoDB', () => pingMongo(models)),
      ]);
      const failing = checks.filter((check) => check !== null);
      if (failing.length > 0) throw new ServiceUnavailable(`not ready: ${failing.join('; ')}`);
      return { status: 'ready' as const };
    },
  );
}

/** null when the server answered in time, else why not, naming the server. */
async function reachable(name: string, check: () => Promise<unknown>): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return null;
  } catch (error) {
    return `${name} is not reachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    clearTimeout(timer);
  }
}

async function pingMongo(models: Models): Promise<void> {
  const db = models.members.db.db;
  if (db === undefined) throw new Error('not connected');
  await db.command({ ping: 1 });
}
