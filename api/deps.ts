// What the API is built from. Everything is injected, so that tests and the benchmark build the same app
// over their own servers, and so that nothing in api/ reads the environment but api/main.ts.

import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { TendConfig } from '../contract/config.js';
import type { Mailer } from '../domain/delivery/mailer.js';
import type { LinkSigner } from '../domain/links/signedLinks.js';
import type { Models } from '../db/index.js';
import type { EventIngestor } from './ingest/eventIngestor.js';
import type { ReportSources } from './console/reportSources.js';
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
  /** How accepted events are processed; by default the durable eventQueue workflows. */
  ingestor?: EventIngestor;
  /**
   * The longest a request waits for its events to be routed before answering `pending: true`: the cap on
   * `Prefer: wait=N`, and the wait of the signed links' actions. 10 s by default.
   */
  longestIngestWaitMs?: number;
  /** Requests per client address on the public routes (forms, webhooks, signed links). */
  publicRateLimit?: RateLimit;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (rate limits, logs): Fastify's
   * `trustProxy` (true, or addresses and CIDR ranges separated by commas). Nobody's by default.
   */
  trustProxy?: boolean | string;
  /** Sends the console's login links (SMTP_URL); without it the console cannot log anyone in. */
  mailer?: Mailer;
  /** Console login requests (the form and the link) per client address; 10 per 15 minutes by default. */
  consoleLoginRateLimit?: RateLimit;
  /** What the console reads from the reports (health, funnel); see api/console/reportSources.ts. */
  reports?: ReportSources;
  /** The time reports are computed at (ms epoch); Date.now by default. */
  clock?: () => number;
  /** Where webhook secrets are read from (`secret_env` names a variable); process.env by default. */
  env?: Record<string, string | undefined>;
}
