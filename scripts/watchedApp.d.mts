// Types for watchedApp.mjs (plain JavaScript, run by scripts/dev.mjs), for the TypeScript that imports it.
export const APP_STOP_GRACE_MS: number;

export interface WatchedApp {
  pid: number | undefined;
  exitReason: () => string | undefined;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

export function startWatchedApp(options: {
  file: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  onLine: (line: string) => void;
  graceMs?: number;
}): WatchedApp;
