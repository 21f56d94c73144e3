// Types for servers.mjs (plain JavaScript so it runs before npm install), for the TypeScript that imports it.
export const TEND_SEARCH_ATTRIBUTES: readonly string[];

export interface RunningServer {
  what: string;
  port: number;
  pid: number | undefined;
  stop: () => Promise<void>;
  /** The processes it stores its data in, if any (FerretDB's PostgreSQL). */
  backing?: { what: string; pid: number | undefined }[];
}

export function startServer(options: {
  what: string;
  command: string;
  args: string[];
  port: number;
  logFile?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
  stopSignal?: NodeJS.Signals;
}): Promise<RunningServer>;
export function startTemporalDevServer(options: {
  binary: string;
  port: number;
  uiPort?: number;
  dbFile: string;
  logFile?: string;
}): Promise<RunningServer>;
export function startMongoServer(options: {
  source: { mongod: string } | { ferretdb: string };
  port: number;
  dataDir: string;
  logFile?: string;
  backend?: 'sqlite' | 'postgresql';
}): Promise<RunningServer>;
