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
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): TendConfig {
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value)
      throw new ConfigError(`${name} is not set: run \`npm run dev\`, or set it (see README, Configuration)`);
    return value;
  };
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  }
  const secret = required('TEND_SECRET');
  if (secret.length < 16) throw new ConfigError('TEND_SECRET must be at least 16 characters');
  return {
    playbooksDir: env.PLAYBOOKS_DIR ?? './playbooks',
    temporal: {
      address: required('TEMPORAL_ADDRESS'),
      namespace: env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'tend',
    },
    mongodbUri: required('MONGODB_URI'),
    smtpUrl: required('SMTP_URL'),
    port,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    apiKeys: (env.TEND_API_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key.length > 0),
    secret,
    dataDir: env.DATA_DIR ?? './.data',
  };
}
