// The API under a fault test, in this process, connected to the test's own servers (ownServers.ts) the way
// api/main.ts connects: connectDatabase() and connectTemporalForApi(), so that what the test sees of an
// outage is what production sees.

import type { Connection as MongoConnection } from 'mongoose';
import { Client, type Connection as TemporalConnection } from '@temporalio/client';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createLinkSigner, type LinkSigner } from '../../../domain/links/signedLinks.js';
import { buildApp } from '../../../api/app.js';
import { createPlaybooksFolderSource } from '../../../api/playbooksFolder.js';
import { connectTemporalForApi } from '../../../api/temporalConnection.js';
import type { TendApp } from '../../../api/typeProvider.js';
import { connectDatabase } from '../../../db/connect.js';
import { createModels, ensureIndexes, type Models } from '../../../db/index.js';
import { databaseUri } from '../../support/mongo.js';
import { uniqueTaskQueue } from '../../support/temporal.js';
import type { OwnServers } from './ownServers.js';

export const FAULTS_API_KEY = 'faults-key-0123456789';
export const FAULTS_PUBLIC_URL = 'http://tend.test';
export const FAULTS_WEBHOOK_SECRET = 'whsec_ZmF1bHRzLXdlYmhvb2stc2VjcmV0LTAxMjM=';

export interface OwnApi {
  readonly app: TendApp;
  readonly models: Models;
  readonly client: Client;
  readonly links: LinkSigner;
  readonly taskQueue: string;
  readonly mongoUri: string;
}

export function useOwnApi(servers: OwnServers, database = 'tend_faults'): OwnApi {
  const taskQueue = uniqueTaskQueue('faults');
  const secret = 'faults-secret-0123456789abcdef';
  const links = createLinkSigner({ secret, publicUrl: FAULTS_PUBLIC_URL });
  let app: TendApp | undefined;
  let models: Models | undefined;
  let client: Client | undefined;
  let mongo: MongoConnection | undefined;
  let temporal: TemporalConnection | undefined;
  let mongoUri = '';

  beforeAll(async () => {
    mongoUri = databaseUri(servers.mongo.address, database);
    mongo = await connectDatabase(mongoUri);
    models = createModels(mongo);
    await ensureIndexes(models);
    temporal = await connectTemporalForApi(servers.temporal.address);
    client = new Client({ connection: temporal });
    const logger = pino({ level: process.env.TEND_TEST_LOG ?? 'silent' });
    app = await buildApp({
      config: {
        playbooksDir: 'playbooks',
        temporal: { address: servers.temporal.address, namespace: 'default', taskQueue },
        mongodbUri: mongoUri,
        smtpUrl: 'smtp://127.0.0.1:1',
        port: 0,
        publicUrl: FAULTS_PUBLIC_URL,
        apiKeys: [FAULTS_API_KEY],
        secret,
        dataDir: '.data',
      },
      models,
      temporal: client,
      plans: createPlaybooksFolderSource({ dir: 'playbooks', models, logger }),
      links,
      logger,
      publicRateLimit: { max: 100_000, timeWindowMs: 60_000 },
      env: { TALLY_WEBHOOK_SECRET: FAULTS_WEBHOOK_SECRET },
    });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await Promise.allSettled([temporal?.close(), mongo?.close()]);
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useOwnApi(): the API exists inside tests and hooks only');
    return value;
  };
  return {
    get app() {
      return started(app);
    },
    get models() {
      return started(models);
    },
    get client() {
      return started(client);
    },
    links,
    taskQueue,
    get mongoUri() {
      return mongoUri;
    },
  };
}
