// The Tend API process (`tsx api/main.ts`; `npm run dev` starts it): connects to MongoDB and Temporal,
// serves the trigger API on PORT, and on SIGINT or SIGTERM stops taking requests, finishes the ones in hand
// and closes its connections. Everything it needs comes from the environment (contract/config.ts).

import { Client } from '@temporalio/client';
import { ConfigError, loadConfig } from '../contract/config.js';
import { processLogger } from '../contract/processLogger.js';
import { createMailer } from '../domain/delivery/mailer.js';
import { createLinkSigner } from '../domain/links/signedLinks.js';
import { connectDatabase } from '../db/connect.js';
import { createModels, ensureIndexes } from '../db/index.js';
import { buildApp } from './app.js';
import { createPlaybooksFolderSource } from './playbooksFolder.js';
import { connectTemporalForApi } from './temporalConnection.js';

const logger = processLogger('tend-api');

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.apiKeys.length === 0)
    logger.warn('TEND_API_KEYS is empty: every /v1 request that needs a key is refused');

  const database = await connectDatabase(config.mongodbUri);
  const models = createModels(database);
  await ensureIndexes(models);
  const connection = await connectTemporalForApi(config.temporal.address);
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  // The API sends one kind of email itself: the console's login links.
  const mailer = createMailer(config.smtpUrl);

  const app = await buildApp({
    config,
    models,
    temporal,
    plans: createPlaybooksFolderSource({ dir: config.playbooksDir, models, logger }),
    links: createLinkSigner({ secret: config.secret, publicUrl: config.publicUrl }),
    logger,
    mailer,
    trustProxy: trustProxy(process.env.TEND_TRUST_PROXY),
  });
  await app.listen({ port: config.port, host: process.env.HOST ?? '127.0.0.1' });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing the requests in hand');
    // app.close() refuses new requests (503 while closing) and waits for those in flight.
    app
      .close()
      .then(() => {
        mailer.close();
        return Promise.all([connection.close(), database.close()]);
      })
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'stopping failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** TEND_TRUST_PROXY: `true`, or addresses and CIDR ranges separated by commas. */
function trustProxy(value: string | undefined): boolean | string {
  if (value === undefined || value === '' || value === 'false') return false;
  return value === 'true' ? true : value;
}

main().catch((error: unknown) => {
  // A missing setting is one line saying which and how to set it, not a stack trace.
  if (error instanceof ConfigError) logger.fatal(`the API could not start: ${error.message}`);
  else logger.fatal({ err: error }, 'the API could not start');
  process.exit(1);
});
