// What the API is built from. Everything is injected, so that tests and the benchmark build the same app
// over their own servers, and so that nothing in api/ reads the environment but api/main.ts.

import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { TendConfig } from '../contract/config.js';
import type { LinkSigner } from '../domain/links/signedLinks.js';
import type { Models } from '../db/index.js';
import type { EventIngestor } from './ingest/eventIngestor.js';
import type { PlansSource } from './plansSource.js';

export interface RateLimit {
  max: number;
  timeWindowMs: number;
}

export interface ApiDeps {
  config: TendConfig;
  models: Models;
  temporal: Client;
  plans: PlansSource;
  links: LinkSigner;
  logger: FastifyBaseLogger;
  /** How accepted events are processed; by default the durable ingestEvents workflow. */
  ingestor?: EventIngestor;
  /** How long POST /v1/events waits for the events' runs before answering `pending: true`. */
  ingestWaitMs?: number;
  /** Requests per client address on the public routes (forms, webhooks, signed links). */
  publicRateLimit?: RateLimit;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (rate limits, logs): Fastify's
   * `trustProxy` (true, or addresses and CIDR ranges separated by commas). Nobody's by default.
   */
  trustProxy?: boolean | string;
  /** The time reports are computed at (ms epoch); Date.now by default. */
  clock?: () => number;
  /** Where webhook secrets are read from (`secret_env` names a variable); process.env by default. */
  env?: Record<string, string | undefined>;
}
