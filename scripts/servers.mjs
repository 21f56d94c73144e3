// Starts the servers that provision.mjs found, on 127.0.0.1, and stops them cleanly. Shared by the dev stack
// (scripts/dev.mjs) and the test setup (test/support/globalSetup.ts). Node built-ins only.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { waitForPort } from './ports.mjs';
import { startPostgresql } from './postgresql.mjs';

/** Search attributes every Temporal server for Tend registers, so runs can be listed by playbook and member. */
export const TEND_SEARCH_ATTRIBUTES = ['TendPlaybook', 'TendMember', 'TendKey'];

/**
 * A server process that listens on a port. stop() sends SIGTERM, then SIGKILL after a grace period. `backing`
 * names the processes it stores its data in, if any (FerretDB's PostgreSQL), so a benchmark counts their CPU.
 * @typedef {{ what: string, port: number, pid: number | undefined, stop: () => Promise<void>, backing?: { what: string, pid: number | undefined }[] }} RunningServer
 */

/**
 * Spawns a server and resolves once its port accepts connections. Output goes to `logFile` when given (the dev
 * stack keeps logs under .data/logs); otherwise its last lines are kept to explain a failed start. `uid`/`gid`
 * run it as another user (PostgreSQL refuses root); `stopSignal` is what stop() asks it to end with.
 * @param {{ what: string, command: string, args: string[], port: number, logFile?: string, timeoutMs?: number, env?: NodeJS.ProcessEnv, cwd?: string, uid?: number, gid?: number, stopSignal?: NodeJS.Signals }} options
 * @returns {Promise<RunningServer>}
 */
export async function startServer({
  what,
  command,
  args,
  port,
  logFile,
  timeoutMs = 90_000,
  env = process.env,
  cwd,
  uid,
  gid,
  stopSignal = 'SIGTERM',
}) {
  // In a process group of its own: a Ctrl-C in the terminal reaches only the parent, which stops the servers
  // after the apps that use them (dev) or after the tests (globalSetup), not all at once.
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    cwd,
    uid,
    gid,
    detached: true,
  });
  let tail = '';
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const keep = (chunk) => {
    tail = (tail + chunk.toString()).slice(-2000);
    log?.write(chunk);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // If our process ends without stop() (a crash, an unhandled signal), take the server down with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  /** @type {string | undefined} */
  let exitReason;
  const exited = new Promise((resolve) => {
    child.once('error', (error) => {
      exitReason = error.message;
      resolve(undefined);
    });
    child.once('exit', (code, signal) => {
      exitReason = `exit ${signal ?? code}${tail.trim() ? `: ${tail.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      resolve(undefined);
    });
  });

  const stop = async () => {
    process.off('exit', killOnExit);
    if (exitReason === undefined) {
      child.kill(stopSignal);
      const killLater = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killLater);
    }
    log?.end();
  };

  try {
    await waitForPort({ port, what, timeoutMs, exited: () => exitReason });
  } catch (error) {
    await stop();
    throw error;
  }
  return { what, port, pid: child.pid, stop };
}

/**
 * How hard the local servers' SQLite files hold a commit (TEND_SQLITE_SYNC). `normal`, the default: write-ahead
 * log, synced at checkpoints, so a killed server process loses nothing it committed (the fault tests kill
 * them) and only a power cut can lose the last commits; `full`, SQLite's own default, syncs every commit to
 * disk. These servers are for development, tests and benchmarks (production runs Temporal on PostgreSQL and
 * MongoDB, docker-compose.yml); bench/RESULTS.md measures what the choice is worth.
 */
function sqliteSync() {
  const sync = process.env.TEND_SQLITE_SYNC ?? 'normal';
  if (sync !== 'normal' && sync !== 'full') {
    throw new Error(`TEND_SQLITE_SYNC must be normal or full, got "${sync}"`);
  }
  return sync;
}

/**
 * Starts `temporal server start-dev`. Without uiPort it runs headless (tests).
 * @param {{ binary: string, port: number, uiPort?: number, dbFile: string, logFile?: string }} options
 */
export function startTemporalDevServer({ binary, port, uiPort, dbFile, logFile }) {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFile];
  args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', `synchronous=${sqliteSync()}`);
  args.push('--log-level', 'warn', ...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']));
  for (const name of TEND_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=Keyword`);
  return startServer({ what: 'Temporal dev server', command: binary, args, port, logFile });
}

/**
 * Which store FerretDB keeps its data in (TEND_MONGO_BACKEND): `sqlite`, the default, or `postgresql`, a
 * PostgreSQL cluster of its own in dataDir (scripts/postgresql.mjs), where FerretDB pushes equality filters
 * down into SQL instead of decoding every document. bench/RESULTS.md is where the choice gets measured.
 */
function mongoBackend() {
  const backend = process.env.TEND_MONGO_BACKEND ?? 'sqlite';
  if (backend !== 'sqlite' && backend !== 'postgresql') {
    throw new Error(`TEND_MONGO_BACKEND must be sqlite or postgresql, got "${backend}"`);
  }
  return backend;
}

/**
 * The PostgreSQL settings that mean what TEND_SQLITE_SYNC means for SQLite. `normal`: synchronous_commit=off,
 * so a commit returns once its WAL record is in PostgreSQL's buffers, the WAL writer syncs it within a fraction
 * of a second and checkpoints sync the tables: killing FerretDB (as the fault tests do) loses nothing it
 * committed, and an OS crash or power cut loses at most the last commits, never the cluster (unlike fsync=off,
 * which could corrupt it). `full`: PostgreSQL's defaults, every commit synced to disk before it returns.
 */
function postgresqlSync() {
  return sqliteSync() === 'full'
    ? { fsync: 'on', synchronous_commit: 'on' }
    : { fsync: 'on', synchronous_commit: 'off' };
}

/**
 * Starts FerretDB on SQLite files in dataDir (or, with TEND_MONGO_BACKEND=postgresql, on a PostgreSQL cluster
 * in dataDir/postgresql), or a real mongod when that is what provisioning found. `backend` overrides the
 * environment (the test of the PostgreSQL backend).
 * @param {{ source: { mongod: string } | { ferretdb: string }, port: number, dataDir: string, logFile?: string, backend?: 'sqlite' | 'postgresql' }} options
 * @returns {Promise<RunningServer>}
 */
export async function startMongoServer({ source, port, dataDir, logFile, backend = mongoBackend() }) {
  mkdirSync(dataDir, { recursive: true });
  if ('mongod' in source && backend === 'postgresql') {
    throw new Error(
      `TEND_MONGO_BACKEND=postgresql chooses FerretDB's store, but provisioning found mongod (${source.mongod}): ` +
        'take mongod off PATH or unset TEND_MONGO_BACKEND',
    );
  }
  if ('mongod' in source) {
    const args = ['--bind_ip', '127.0.0.1', '--port', String(port), '--dbpath', dataDir, '--quiet'];
    return startServer({ what: 'mongod', command: source.mongod, args, port, logFile });
  }
  const listen = ['--listen-addr', `127.0.0.1:${port}`, '--log-level', 'warn'];
  if (backend === 'sqlite') {
    const args = [...listen, '--sqlite-url', `file:${dataDir}/?_pragma=synchronous(${sqliteSync()})`];
    return startServer({ what: 'FerretDB on SQLite', command: source.ferretdb, args, port, logFile });
  }
  const postgresql = await startPostgresql({
    clusterDir: path.join(dataDir, 'postgresql'),
    settings: postgresqlSync(),
    logFile: logFile && path.join(path.dirname(logFile), 'postgresql.log'),
  });
  try {
    const args = [...listen, '--handler', 'postgresql', '--postgresql-url', postgresql.url];
    const ferretdb = await startServer({ what: 'FerretDB', command: source.ferretdb, args, port, logFile });
    // FerretDB first, so PostgreSQL's shutdown finds no client left; a FerretDB already killed (the fault
    // tests) is simply gone, and PostgreSQL still stops cleanly.
    const stop = async () => {
      await ferretdb.stop();
      await postgresql.stop();
    };
    const backing = [{ what: 'PostgreSQL', pid: postgresql.pid }];
    return { what: 'FerretDB on PostgreSQL', port, pid: ferretdb.pid, stop, backing };
  } catch (error) {
    await postgresql.stop();
    throw error;
  }
}
