// An app of the dev stack (the worker, the API) run as `node --watch --import tsx <file>`: restarted when one
// of the files it loaded changes, and stopped the way production stops it. Node's watch mode sends the app
// SIGTERM and waits for it to exit, on a restart and on stop alike; `tsx watch` killed it with SIGKILL after
// 5 s, in the middle of the tasks it was finishing. The app runs in a process group of its own, so a Ctrl-C in
// the terminal reaches only dev, which stops the apps before the servers they need (scripts/dev.mjs).
// Node built-ins only.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How long an app may take to finish what it has in hand before it is killed. */
export const APP_STOP_GRACE_MS = 60_000;

/**
 * @param {{ file: string, cwd: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void, graceMs?: number }} options
 */
export function startWatchedApp({ file, cwd, env, onLine, graceMs = APP_STOP_GRACE_MS }) {
  const child = spawn(process.execPath, ['--watch', '--watch-preserve-output', '--import', 'tsx', file], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', onLine);

  /** @type {string | undefined} */
  let exitReason;
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exitReason = `exit ${signal ?? code}`;
      resolve(code);
    }),
  );
  // The whole group: the watcher and the app it runs.
  const killGroup = () => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  // If dev ends without stop() (a crash), the app must not outlive it in its own process group.
  process.once('exit', killGroup);

  return {
    pid: child.pid,
    /** `exit <code or signal>` once the watcher has exited, else undefined (what waitForPort's `exited` takes). */
    exitReason: () => exitReason,
    exited,
    /** SIGTERM, then as long as the app needs (up to graceMs) to finish; resolves with the exit code. */
    async stop() {
      process.off('exit', killGroup);
      if (exitReason !== undefined) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        onLine(`did not stop within ${graceMs / 1000} s: killed`);
        killGroup();
      }, graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
