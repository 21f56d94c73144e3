// Starts the real servers the suites share, once per `vitest run`: a Temporal dev server, a MongoDB-wire
// server (FerretDB unless MONGODB_URI or mongod is there) and the path of the time-skipping test server.
// TEMPORAL_ADDRESS / MONGODB_URI in the environment replace the embedded servers. Test files reach them with
// `inject('temporalAddress')` etc.; each file then uses its own database and task queues.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../scripts/ports.mjs';
import { provision, type MongoSource, type TemporalSource } from '../../scripts/provision.mjs';
import { startMongoServer, startTemporalDevServer, TEND_SEARCH_ATTRIBUTES } from '../../scripts/servers.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of a Temporal dev server with Tend's search attributes registered. */
    temporalAddress: string;
    /** Base URI of a MongoDB-wire server, without a database: use `useTestDatabase()`. */
    mongoUri: string;
    /** The time-skipping test server binary; null means the SDK downloads its own. */
    temporalTestServerPath: string | null;
  }
}

type Stop = () => Promise<void>;

async function startTemporal(
  source: TemporalSource,
  tempDir: string,
): Promise<{ address: string; stop?: Stop }> {
  if ('address' in source) return { address: source.address };
  if ('binary' in source) {
    const port = await freePort();
    const dbFile = path.join(tempDir, 'temporal.db');
    const server = await startTemporalDevServer({ binary: source.binary, port, dbFile });
    return { address: `127.0.0.1:${port}`, stop: server.stop };
  }
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      searchAttributes: TEND_SEARCH_ATTRIBUTES.map((name) =>
        defineSearchAttributeKey(name, SearchAttributeType.KEYWORD),
      ),
    },
  });
  return { address: env.address, stop: () => env.teardown() };
}

async function startMongo(source: MongoSource, tempDir: string): Promise<{ uri: string; stop?: Stop }> {
  if ('uri' in source) return { uri: source.uri };
  const port = await freePort();
  const server = await startMongoServer({ source, port, dataDir: path.join(tempDir, 'mongo') });
  return { uri: `mongodb://127.0.0.1:${port}/`, stop: server.stop };
}

export default async function setup(project: TestProject): Promise<Stop> {
  const tempDir = await mkdtemp(path.join(tmpdir(), 'tend-test-'));
  const stops: Stop[] = [];
  const teardown = async () => {
    await Promise.allSettled(stops.map((stop) => stop()));
    await rm(tempDir, { recursive: true, force: true });
  };
  try {
    console.log('tend: servers for the tests');
    const found = await provision({ temporal: true, testServer: true, mongo: true });
    if (!found.temporal || !found.testServer || !found.mongo)
      throw new Error('provisioning returned no server');
    const [temporal, mongo] = await Promise.all([
      startTemporal(found.temporal, tempDir),
      startMongo(found.mongo, tempDir),
    ]);
    for (const started of [temporal, mongo]) if (started.stop) stops.push(started.stop);
    project.provide('temporalAddress', temporal.address);
    project.provide('mongoUri', mongo.uri);
    project.provide('temporalTestServerPath', 'binary' in found.testServer ? found.testServer.binary : null);
    console.log(`tend: temporal ${temporal.address}, mongodb ${mongo.uri}`);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
