// Tend's configuration, read once from the environment. The dev stack (scripts/dev.mjs) and the test setup
// set these variables for the processes they start; production sets them in docker-compose.yml.

export interface TendConfig {
  playbooksDir: string;
  temporal: { address: string; namespace: string; taskQueue: string };
  mongodbUri: string;
  smtpUrl: string;
  port: number;
  publicUrl: string;
  apiKeys: string[];
  secret: string;
  dataDir: string;
  /** Runs a worker keeps in memory between their tasks (TEND_WORKER_CACHED_RUNS); unset: buildWorker's default. */
  workerCachedRuns?: number;
  /**
   * A workflow bundle built ahead (TEND_WORKFLOW_BUNDLE, `npm run build:workflows`): the worker loads it instead
   * of bundling workflows/ at start, which saves the start's seconds and the memory the bundler keeps.
   */
  workflowBundle?: string;
  /** How far the worker's heaps grow past what they keep, per cent (TEND_WORKER_HEAP_GROWTH); 0: V8 chooses. */
  workerHeapGrowth?: number;
  /** Where `kill -USR2` writes heap snapshots of the worker's threads (TEND_HEAP_SNAPSHOT_DIR); unset: none. */
  heapSnapshotDir?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Settings without a default. */
const REQUIRED = ['TEND_SECRET', 'TEMPORAL_ADDRESS', 'MONGODB_URI', 'SMTP_URL'] as const;
type Required = (typeof REQUIRED)[number];

export function loadConfig(env: Env = process.env): TendConfig {
  // Every missing setting at once, in one line: not one at a time, and never as a stack trace.
  const missing = REQUIRED.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    const [names, verb, pronoun] =
      missing.length === 1 ? [missing[0], 'is', 'it'] : [missing.join(', '), 'are', 'them'];
    throw new ConfigError(
      `${names} ${verb} not set: start \`npm run dev\` (commands in another terminal then use its settings), or set ${pronoun} (see README, Configuration)`,
    );
  }
  const setting = (name: Required): string => env[name]?.trim() ?? '';
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  }
  const secret = setting('TEND_SECRET');
  if (secret.length < 16) throw new ConfigError('TEND_SECRET must be at least 16 characters');
  const cachedRuns = env.TEND_WORKER_CACHED_RUNS?.trim();
  const workerCachedRuns = cachedRuns ? Number(cachedRuns) : undefined;
  if (workerCachedRuns !== undefined && !(Number.isInteger(workerCachedRuns) && workerCachedRuns > 0)) {
    throw new ConfigError(`TEND_WORKER_CACHED_RUNS must be a whole number above 0, got "${cachedRuns}"`);
  }
  const heapGrowth = env.TEND_WORKER_HEAP_GROWTH?.trim();
  const workerHeapGrowth = heapGrowth ? Number(heapGrowth) : undefined;
  if (workerHeapGrowth !== undefined && !(Number.isInteger(workerHeapGrowth) && workerHeapGrowth >= 0)) {
    throw new ConfigError(
      `TEND_WORKER_HEAP_GROWTH must be a whole number of per cent, 0 or more, got "${heapGrowth}"`,
    );
  }
  return {
    playbooksDir: env.PLAYBOOKS_DIR ?? './playbooks',
    temporal: {
      address: setting('TEMPORAL_ADDRESS'),
      namespace: env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'tend',
    },
    mongodbUri: setting('MONGODB_URI'),
    smtpUrl: setting('SMTP_URL'),
    port,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    apiKeys: (env.TEND_API_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key.length > 0),
    secret,
    dataDir: env.DATA_DIR ?? './.data',
    ...(workerCachedRuns === undefined ? {} : { workerCachedRuns }),
    ...(workerHeapGrowth === undefined ? {} : { workerHeapGrowth }),
    ...(env.TEND_WORKFLOW_BUNDLE?.trim() ? { workflowBundle: env.TEND_WORKFLOW_BUNDLE.trim() } : {}),
    ...(env.TEND_HEAP_SNAPSHOT_DIR?.trim() ? { heapSnapshotDir: env.TEND_HEAP_SNAPSHOT_DIR.trim() } : {}),
  };
}
