// `npm run bench`: every bench/**/*.bench.ts, each run with tsx against servers started fresh for it (a
// Temporal dev server and a MongoDB-wire server in a temporary folder), so that one benchmark's leftovers
// never slow the next. TEMPORAL_ADDRESS / MONGODB_URI in the environment are used instead, as in the tests.
// Arguments filter the files by name: `npm run bench -- engine`. Each benchmark prints its figures and writes
// its section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuSeconds } from './cpuTime.mjs';
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
  // The servers' processes, for a benchmark that says where the CPU went in each of its phases
  // (bench/engine/support/cpuMeter.ts).
  env.BENCH_SERVER_PIDS = JSON.stringify(processes.map(({ what, pid }) => ({ what, pid })));
  const stop = async () => {
    await Promise.allSettled(stops.map((stopServer) => stopServer()));
    rmSync(tempDir, { recursive: true, force: true });
  };
  return { env, stop, processes };
}

/**
 * BENCH_CPU_PROFILE=<dir>: the benchmark's process (the API, the worker and the load it measures, unless it
 * starts processes of its own) writes V8 CPU profiles in <dir>/<benchmark>/, one per thread: the main thread's
 * and each of the worker threads the Temporal worker runs workflow code in. Open them in Chrome's DevTools or
 * summarise them with `node scripts/profileSummary.mjs <file>`.
 */
function profileFlags(bench) {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, path.basename(bench, '.bench.ts'))}`];
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
