// `npm run bench`: every bench/**/*.bench.ts, each run with tsx against servers started fresh for it (a
// Temporal dev server and a MongoDB-wire server in a temporary folder), so that one benchmark's leftovers
// never slow the next. TEMPORAL_ADDRESS / MONGODB_URI in the environment are used instead, as in the tests.
// Arguments filter the files by name: `npm run bench -- engine`. Each benchmark prints its figures and writes
// its section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDependencies } from './dependencies.mjs';
import { freePort } from './ports.mjs';
import { provision, ProvisionError, rootDir } from './provision.mjs';
import { startMongoServer, startTemporalDevServer } from './servers.mjs';
import { since } from './timing.mjs';

ensureDependencies();
const filters = process.argv.slice(2);
const benches = readdirSync(path.join(rootDir, 'bench'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort()
  .map((file) => path.join('bench', file));
if (benches.length === 0) {
  console.error(
    `error: no bench/**/*.bench.ts file${filters.length ? ` matches ${filters.join(', ')}` : ''}`,
  );
  process.exit(1);
}

let found;
try {
  found = await provision({ temporal: true, mongo: true });
} catch (error) {
  if (!(error instanceof ProvisionError)) throw error;
  console.error(`error: ${error.message}`);
  process.exit(1);
}

/** Servers for one benchmark: the environment's addresses, or fresh ones stopped afterwards. */
async function startServers() {
  const tempDir = mkdtempSync(path.join(tmpdir(), 'tend-bench-'));
  const stops = [];
  /** @type {{ what: string, pid: number | undefined }[]} */
  const processes = [];
  const env = { ...process.env };
  if ('address' in found.temporal) env.TEMPORAL_ADDRESS = found.temporal.address;
  else {
    const port = await freePort();
    const dbFile = path.join(tempDir, 'temporal.db');
    const server = await startTemporalDevServer({ binary: found.temporal.binary, port, dbFile });
    stops.push(server.stop);
    processes.push(server);
    env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
  }
  // Which store the figures were measured on, for bench/RESULTS.md (bench/engine/support/results.ts).
  env.TEND_BENCH_MONGO = 'the server of MONGODB_URI';
  if ('uri' in found.mongo) env.MONGODB_URI = found.mongo.uri;
  else {
    const port = await freePort();
    const dataDir = path.join(tempDir, 'mongo');
    const server = await startMongoServer({ source: found.mongo, port, dataDir });
    stops.push(server.stop);
    processes.push(server, ...(server.backing ?? []));
    const sync = `TEND_SQLITE_SYNC=${process.env.TEND_SQLITE_SYNC ?? 'normal'}`;
    env.TEND_BENCH_MONGO = 'mongod' in found.mongo ? server.what : `${server.what} (${sync})`;
    env.MONGODB_URI = `mongodb://127.0.0.1:${port}/`;
  }
  const stop = async () => {
    await Promise.allSettled(stops.map((stopServer) => stopServer()));
    rmSync(tempDir, { recursive: true, force: true });
  };
  return { env, stop, processes };
}

/** The fields of /proc/<pid>/stat, from field 3 (state) on; empty when the process is gone. */
function statFields(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  } catch {
    return [];
  }
}
// After the command: state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17 (man 5 proc).
const field = (fields, number) => Number(fields[number - 3] ?? Number.NaN);
const CLOCK_TICKS = 100;

/**
 * CPU seconds (user + system) a server has used, from /proc, with its descendants, living and exited: a
 * PostgreSQL server does its work in one backend process per connection. `self` gives the benchmark's
 * waited-for children instead.
 */
function cpuSeconds(pid) {
  const own = statFields(pid);
  if (own.length === 0) return Number.NaN;
  if (pid === 'self') return (field(own, 16) + field(own, 17)) / CLOCK_TICKS;
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = field(statFields(entry), 4);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  let ticks = 0;
  for (const pending = [Number(pid)]; pending.length > 0;) {
    const next = pending.pop() ?? 0;
    const fields = next === Number(pid) ? own : statFields(next);
    if (fields.length > 0)
      ticks += field(fields, 14) + field(fields, 15) + field(fields, 16) + field(fields, 17);
    pending.push(...(children.get(next) ?? []));
  }
  return ticks / CLOCK_TICKS;
}

/**
 * BENCH_CPU_PROFILE=<dir>: the benchmark's process (the API, the worker and the load it measures, unless it
 * starts processes of its own) writes a V8 CPU profile there, named after the benchmark; open it in Chrome's
 * DevTools or summarise it with `node scripts/profileSummary.mjs <file>`.
 */
function profileFlags(bench) {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${path.basename(bench, '.ts')}.cpuprofile`];
}

let failed = 0;
for (const bench of benches) {
  console.log(`\n── ${bench}`);
  const started = performance.now();
  const servers = await startServers();
  try {
    const before = servers.processes.map((server) => cpuSeconds(server.pid));
    const childrenBefore = cpuSeconds('self');
    const result = spawnSync(process.execPath, [...profileFlags(bench), '--import', 'tsx', bench], {
      cwd: rootDir,
      env: servers.env,
      stdio: 'inherit',
    });
    if (result.status !== 0) failed += 1;
    // Where the CPU went: Tend's processes (the benchmark and any it started) against each server's.
    const used = servers.processes.map(
      (server, i) => `${server.what} ${(cpuSeconds(server.pid) - (before[i] ?? 0)).toFixed(1)} s`,
    );
    const wall = (performance.now() - started) / 1000;
    console.log(
      `── CPU used in ${wall.toFixed(0)} s: benchmark processes ${(cpuSeconds('self') - childrenBefore).toFixed(1)} s, ${used.join(', ')}`,
    );
    console.log(`── ${bench}: ${result.status === 0 ? 'done' : 'FAILED'} in ${since(started)}`);
  } finally {
    await servers.stop();
  }
}
process.exit(failed === 0 ? 0 : 1);
