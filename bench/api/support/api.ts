// Tend's API as the API benchmarks run it: in the benchmark's process, on a free loopback port, over the
// benchmark's database and Temporal client, with one API key.

import { pino } from 'pino';
import { buildApp } from '../../../api/app.js';
import type { EventIngestor } from '../../../api/ingest/eventIngestor.js';
import { createPlaybooksFolderSource } from '../../../api/playbooksFolder.js';
import type { TendConfig } from '../../../contract/config.js';
import { createLinkSigner } from '../../../domain/links/signedLinks.js';
import { BENCH_SECRET, type Bench } from '../../engine/support/harness.js';

export const API_KEY = 'bench-api-key';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** Starts the API; `ingestor` replaces the durable ingestion Tend ships (the inline comparison). */
export async function startApi(
  bench: Bench,
  taskQueue: string,
  ingestor?: EventIngestor,
): Promise<RunningApi> {
  const config = benchConfig(bench, taskQueue);
  const logger = pino({ level: 'silent' });
  const app = await buildApp({
    config,
    models: bench.models,
    temporal: bench.client,
    plans: createPlaybooksFolderSource({ dir: config.playbooksDir, models: bench.models, logger }),
    links: createLinkSigner({ secret: config.secret, publicUrl: config.publicUrl }),
    logger,
    longestIngestWaitMs: 120_000,
    ...(ingestor === undefined ? {} : { ingestor }),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}

function benchConfig(bench: Bench, taskQueue: string): TendConfig {
  return {
    playbooksDir: 'playbooks',
    temporal: { address: process.env.TEMPORAL_ADDRESS ?? '', namespace: 'default', taskQueue },
    mongodbUri: bench.mongoUri,
    smtpUrl: bench.smtpUrl,
    port: 0,
    publicUrl: 'http://localhost:3000',
    apiKeys: [API_KEY],
    secret: BENCH_SECRET,
    dataDir: '.data',
  };
}
