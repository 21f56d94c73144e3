// Servers a fault test may kill: its own Temporal dev server and its own MongoDB-wire server (FerretDB, or
// mongod when that is what provisioning finds), on free ports and in a temporary folder, never the servers
// the other suites share. Each can be SIGKILLed and started again on the same port and the same data (the
// Temporal database file, the MongoDB data folder), as an operator's restart would.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../../scripts/ports.mjs';
import { provision } from '../../../scripts/provision.mjs';
import { startMongoServer, startTemporalDevServer, type RunningServer } from '../../../scripts/servers.mjs';

export interface KillableServer {
  /** `host:port` for Temporal; a MongoDB URI without a database for MongoDB. */
  readonly address: string;
  /** SIGKILL: no shutdown, no flush, as a crash or an OOM kill. */
  kill: () => Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  restart: () => Promise<void>;
}

export interface OwnServers {
  readonly temporal: KillableServer;
  readonly mongo: KillableServer;
}

export function useOwnServers(): OwnServers {
  let dir = '';
  let temporal: Killable | undefined;
  let mongo: Killable | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tend-faults-'));
    // Never the servers named in the environment: those are shared, and killing them is not ours to do.
    const env = { ...process.env, TEMPORAL_ADDRESS: '', MONGODB_URI: '' };
    const found = await provision({ temporal: true, mongo: true, env, log: () => undefined });
    const temporalSource = found.temporal;
    const mongoSource = found.mongo;
    if (!temporalSource || !('binary' in temporalSource))
      throw new Error('fault tests need the Temporal CLI binary (npm test provisions it into .tools)');
    if (!mongoSource || 'uri' in mongoSource) throw new Error('fault tests need FerretDB or mongod');
    const [temporalPort, mongoPort] = await Promise.all([freePort(), freePort()]);
    const dbFile = path.join(dir, 'temporal.db');
    const dataDir = path.join(dir, 'mongo');
    temporal = await killable(`127.0.0.1:${temporalPort}`, () =>
      startTemporalDevServer({ binary: temporalSource.binary, port: temporalPort, dbFile }),
    );
    mongo = await killable(`mongodb://127.0.0.1:${mongoPort}/`, () =>
      startMongoServer({ source: mongoSource, port: mongoPort, dataDir }),
    );
  });

  afterAll(async () => {
    await Promise.all([temporal?.stop(), mongo?.stop()]);
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  const started = (server: Killable | undefined): Killable => {
    if (!server) throw new Error('useOwnServers(): the servers exist inside tests and hooks only');
    return server;
  };
  return {
    get temporal() {
      return started(temporal);
    },
    get mongo() {
      return started(mongo);
    },
  };
}

interface Killable extends KillableServer {
  stop: () => Promise<void>;
}

async function killable(address: string, start: () => Promise<RunningServer>): Promise<Killable> {
  let running: RunningServer | null = await start();
  return {
    address,
    async kill() {
      const server = running;
      running = null;
      if (server?.pid === undefined) return;
      process.kill(server.pid, 'SIGKILL');
      // stop() returns once the process has exited (it sends nothing more to a process that is gone).
      await server.stop();
    },
    async restart() {
      if (running !== null) throw new Error(`${address} is running: kill it first`);
      running = await start();
    },
    async stop() {
      await running?.stop();
      running = null;
    },
  };
}
