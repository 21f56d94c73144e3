// A PostgreSQL cluster of FerretDB's own (TEND_MONGO_BACKEND=postgresql): created in a folder on first start,
// reused after, started on a free port with trust authentication on a unix socket in that folder and on
// 127.0.0.1 only, and stopped with a clean (fast) shutdown. Node built-ins only, like servers.mjs.
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.mjs';
import { findPostgresql, POSTGRESQL_MISSING } from './provision.mjs';
import { startServer } from './servers.mjs';

const execFileAsync = promisify(execFile);

/** The database FerretDB keeps every MongoDB database in (one PostgreSQL schema each). */
const FERRETDB_DATABASE = 'ferretdb';
/** The superuser initdb creates, whoever runs it; trust authentication lets FerretDB and psql in as it. */
const SUPERUSER = 'postgres';
/** Only connections from this machine, and no password: the cluster is for dev, tests and benchmarks. */
const PG_HBA = `local all all trust\nhost all all 127.0.0.1/32 trust\n`;

/**
 * Whom PostgreSQL runs as: ourselves, unless we are root, which PostgreSQL refuses; then Debian's `postgres`.
 * @returns {Promise<{ uid: number, gid: number } | undefined>} undefined: as ourselves
 */
async function serverUser() {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = async (flag) => Number((await execFileAsync('id', [flag, SUPERUSER])).stdout.trim());
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    throw new Error(
      `TEND_MONGO_BACKEND=postgresql runs PostgreSQL as the user '${SUPERUSER}' when Tend runs as root, and ` +
        "there is none: install Debian's package (apt-get install -y postgresql), which creates it",
    );
  }
}

/**
 * Lets `user` reach `dir`: as root, the cluster's folder usually sits in a private (0700) temporary folder,
 * which PostgreSQL, running as `postgres`, could not enter. Each ancestor gets search permission only (o+x:
 * enter, not list), and only the ones that lack it.
 */
function makeReachable(dir) {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const { mode } = statSync(current);
    if ((mode & 0o001) === 0) chmodSync(current, (mode & 0o7777) | 0o001);
    if (path.dirname(current) === current) return;
  }
}

/** Runs one of PostgreSQL's programs; a failure becomes an Error with the program's last lines. */
async function runProgram(binDir, name, args, user) {
  try {
    const { stdout } = await execFileAsync(path.join(binDir, name), args, { ...user });
    return stdout;
  } catch (error) {
    const output = error && typeof error === 'object' && 'stderr' in error ? String(error.stderr).trim() : '';
    throw new Error(
      `PostgreSQL's ${name} failed: ${output.split('\n').slice(-3).join(' | ') || String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** Creates the cluster in clusterDir unless it is there already (a dev stack's data survives a restart). */
async function initCluster(binDir, clusterDir, user) {
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (user) makeReachable(clusterDir);
  if (existsSync(path.join(clusterDir, 'PG_VERSION'))) return;
  if (user) chownSync(clusterDir, user.uid, user.gid);
  // UTF-8 for any member's name; the C locale so that text sorts by bytes, fast and the same everywhere.
  const initArgs = ['-D', clusterDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C'];
  await runProgram(binDir, 'initdb', [...initArgs, '--no-instructions'], user);
  const hba = path.join(clusterDir, 'pg_hba.conf');
  writeFileSync(hba, PG_HBA);
  if (user) chownSync(hba, user.uid, user.gid);
}

/** psql as the superuser over the cluster's socket; resolves with its output. */
function psql(binDir, clusterDir, port, sql) {
  const args = ['-h', clusterDir, '-p', String(port), '-U', SUPERUSER, '-d', 'postgres', '-tAXc', sql];
  return runProgram(binDir, 'psql', args, undefined);
}

/**
 * Waits until the server takes queries (it listens on its port before it has finished starting up), then
 * creates FerretDB's database unless it exists.
 */
async function createDatabase(binDir, clusterDir, port) {
  const deadline = Date.now() + 60_000;
  const exists = `SELECT count(*) FROM pg_database WHERE datname = '${FERRETDB_DATABASE}'`;
  for (;;) {
    try {
      if ((await psql(binDir, clusterDir, port, exists)).trim() === '0')
        await psql(binDir, clusterDir, port, `CREATE DATABASE ${FERRETDB_DATABASE}`);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Starts PostgreSQL on the cluster in clusterDir (creating it first if needed) with the given settings
 * (`-c name=value`). Throws one line saying what to install when PostgreSQL or its user is missing.
 * @param {{ clusterDir: string, settings: Record<string, string>, logFile?: string }} options
 * @returns {Promise<{ url: string, pid: number | undefined, stop: () => Promise<void> }>}
 */
export async function startPostgresql({ clusterDir, settings, logFile }) {
  const binDir = findPostgresql();
  if (!binDir) throw new Error(POSTGRESQL_MISSING);
  const user = await serverUser();
  await initCluster(binDir, clusterDir, user);
  const port = await freePort();
  const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
  args.push('-c', `unix_socket_directories=${clusterDir}`);
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
  // SIGINT is PostgreSQL's fast shutdown: it ends the sessions, writes a checkpoint and exits cleanly
  // (SIGTERM would wait for every client to disconnect).
  const server = await startServer({
    what: 'PostgreSQL',
    command: path.join(binDir, 'postgres'),
    args,
    port,
    logFile,
    ...user,
    stopSignal: 'SIGINT',
  });
  try {
    await createDatabase(binDir, clusterDir, port);
  } catch (error) {
    await server.stop();
    throw error;
  }
  // Over the unix socket: no TCP on every query between FerretDB and PostgreSQL.
  const socket = new URLSearchParams({ host: clusterDir, port: String(port) });
  const url = `postgres://${SUPERUSER}@/${FERRETDB_DATABASE}?${socket}`;
  return { url, pid: server.pid, stop: server.stop };
}
