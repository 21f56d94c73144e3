// The Fastify app of the trigger API: events from the platform, public forms, signed webhooks, signed links,
// runs, playbooks, health, the OpenAPI page at /docs, and the managers' console at /console. Everything it
// talks to is injected (deps.ts).
//
// Every route has a schema (ajv: no type coercion, unknown fields refused rather than dropped), errors go
// through one handler (errorHandler.ts), /v1 routes but forms and webhooks need an API key, and public
// routes are rate-limited per client address.

import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import { newId } from '../domain/events/newId.js';
import { createEventAcceptance } from './acceptEvents.js';
import { requireApiKey } from './apiKeys.js';
import type { ApiDeps, RateLimit } from './deps.js';
import { installErrorHandling } from './errorHandler.js';
import { createHealthSummary } from './console/healthSummary.js';
import { consoleRoutes } from './console/routes.js';
import { TooManyRequests } from './errors.js';
import { createTemporalIngestor } from './ingest/temporalIngestor.js';
import { eventsRoutes } from './routes/events.js';
import { formsRoutes } from './routes/forms.js';
import { healthRoutes } from './routes/health.js';
import { linksRoutes } from './routes/links.js';
import { playbooksRoutes } from './routes/playbooks.js';
import { reportsRoutes } from './routes/reports.js';
import { createFunnelSummary } from './console/funnelSummary.js';
import { runsRoutes } from './routes/runs.js';
import { statsRoutes } from './routes/stats.js';
import { webhooksRoutes } from './routes/webhooks.js';
import type { TendApp, TypeBoxProvider } from './typeProvider.js';
import { validationError } from './validationMessage.js';

/** 1 MiB: a full array of 1,000 small events fits; anything larger is not an event batch. */
const EVENTS_BODY_LIMIT = 1024 * 1024;
const DEFAULT_PUBLIC_RATE_LIMIT: RateLimit = { max: 60, timeWindowMs: 60_000 };
/** The longest a request may wait for its events to be routed (Prefer: wait, signed links). */
const DEFAULT_LONGEST_INGEST_WAIT_MS = 10_000;
const DEFAULT_CONSOLE_LOGIN_RATE_LIMIT: RateLimit = { max: 10, timeWindowMs: 15 * 60_000 };
/** A request id from a proxy is kept when it is a plain token; anything else is replaced. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export async function buildApp(deps: ApiDeps): Promise<TendApp> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: EVENTS_BODY_LIMIT,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
    schemaErrorFormatter: validationError,
    return503OnClosing: true,
    trustProxy: deps.trustProxy ?? false,
  }).withTypeProvider<TypeBoxProvider>();

  const communityName = async () => {
    try {
      return (await deps.plans.community()).settings.name;
    } catch (error) {
      app.log.warn({ err: error }, 'community.yaml is not readable: pages go out without the name');
      return 'Tend';
    }
  };
  installErrorHandling(app, communityName);
  // Bodies are JSON unless a route scope says otherwise; a plain-text body is refused with a 415.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Tend API',
        version: '1',
        description: 'Events, forms, webhooks and signed links in; runs and playbooks out.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new TooManyRequests(`too many requests from this address: try again in ${context.after}`),
  });

  const ingestor =
    deps.ingestor ??
    createTemporalIngestor({
      client: deps.temporal,
      models: deps.models,
      taskQueue: deps.config.temporal.taskQueue,
    });
  const accept = createEventAcceptance(
    deps.models,
    ingestor,
    deps.longestIngestWaitMs ?? DEFAULT_LONGEST_INGEST_WAIT_MS,
  );
  const limit = deps.publicRateLimit ?? DEFAULT_PUBLIC_RATE_LIMIT;
  const publicRateLimit = { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } };

  healthRoutes(app, deps);
  // Each group of routes is a scope of its own: its hooks and body parsers apply to its routes only.
  await app.register(
    scoped((keyed) => {
      keyed.addHook('onRequest', requireApiKey(deps.config.apiKeys));
      eventsRoutes(keyed, accept);
      runsRoutes(keyed, { models: deps.models, temporal: deps.temporal });
      playbooksRoutes(keyed, deps.plans);
      statsRoutes(keyed, { models: deps.models });
      reportsRoutes(keyed, { models: deps.models, plans: deps.plans, clock: deps.clock ?? Date.now });
    }),
  );
  await app.register(
    scoped((scope) => formsRoutes(scope, { plans: deps.plans, accept, rateLimit: publicRateLimit })),
  );
  await app.register(
    scoped((scope) =>
      webhooksRoutes(scope, {
        plans: deps.plans,
        accept,
        env: deps.env ?? process.env,
        rateLimit: publicRateLimit,
      }),
    ),
  );
  await app.register(
    scoped((scope) => linksRoutes(scope, { ...deps, accept, communityName, rateLimit: publicRateLimit })),
  );
  await app.register(
    scoped((scope) =>
      consoleRoutes(scope, {
        config: deps.config,
        models: deps.models,
        temporal: deps.temporal,
        plans: deps.plans,
        links: deps.links,
        accept,
        mailer: deps.mailer ?? null,
        logger: deps.logger,
        loginRateLimit: deps.consoleLoginRateLimit ?? DEFAULT_CONSOLE_LOGIN_RATE_LIMIT,
        reports: deps.reports ?? {
          health: createHealthSummary(
            deps.models,
            async () => (await deps.plans.community()).settings.timezone,
          ),
          funnel: createFunnelSummary(deps.models, deps.clock ?? Date.now),
        },
      }),
    ),
  );
  return app;
}

/** A plugin (an encapsulated scope) from a function that adds routes, plugins and hooks to it. */
function scoped(setUp: (scope: TendApp) => void | Promise<void>) {
  return (scope: TendApp, _options: unknown, done: (error?: Error) => void): void => {
    Promise.resolve(setUp(scope)).then(() => done(), done);
  };
}
