// `npm run bench`: every bench/**/*.bench.ts, each run with tsx against servers started fresh for it (a
// Temporal dev server and a MongoDB-wire server in a temporary folder), so that one benchmark's leftovers
// never slow the next. TEMPORAL_ADDRESS / MONGODB_URI in the environment are used instead, as in the tests.
// Arguments filter the files by name: `npm run bench -- engine`. Each benchmark prints its figures and writes
// its section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
  const env = { ...process.env };
  if ('address' in found.temporal) env.TEMPORAL_ADDRESS = found.temporal.address;
  else {
    const port = await freePort();
    const dbFile = path.join(tempDir, 'temporal.db');
    stops.push((await startTemporalDevServer({ binary: found.temporal.binary, port, dbFile })).stop);
    env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
  }
  if ('uri' in found.mongo) env.MONGODB_URI = found.mongo.uri;
  else {
    const port = await freePort();
    const dataDir = path.join(tempDir, 'mongo');
    stops.push((await startMongoServer({ source: found.mongo, port, dataDir })).stop);
    env.MONGODB_URI = `mongodb://127.0.0.1:${port}/`;
  }
  const stop = async () => {
    await Promise.allSettled(stops.map((stopServer) => stopServer()));
    rmSync(tempDir, { recursive: true, force: true });
  };
  return { env, stop };
}

let failed = 0;
for (const bench of benches) {
  console.log(`\n── ${bench}`);
  const started = performance.now();
  const servers = await startServers();
  try {
    const result = spawnSync(path.join(rootDir, 'node_modules', '.bin', 'tsx'), [bench], {
      cwd: rootDir,
      env: servers.env,
      stdio: 'inherit',
    });
    if (result.status !== 0) failed += 1;
    console.log(`── ${bench}: ${result.status === 0 ? 'done' : 'FAILED'} in ${since(started)}`);
  } finally {
    await servers.stop();
  }
}
process.exit(failed === 0 ? 0 : 1);
