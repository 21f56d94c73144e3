// A Tend app (`worker/main.ts`, `api/main.ts`) as a child process, started the way `npm run dev` starts it but
// under `node --import tsx`: one process, so that a signal reaches the app itself and not a launcher. Every
// line it writes is kept, so a failing test can show what the app said.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** How long an app may take to finish its work in hand after SIGTERM before it is killed. */
const STOP_GRACE_MS = 20_000;

export interface AppProcess {
  readonly name: string;
  /** The process id, e.g. to read its memory from /proc. */
  readonly pid: number | undefined;
  /** Every line written so far, stdout and stderr interleaved as they came. */
  readonly lines: readonly string[];
  /** Resolves at the first line (written so far or later) that matches; rejects if the app exits first. */
  waitForLine(matches: (line: string) => boolean, what: string, timeoutMs: number): Promise<void>;
  /** Why the app is no longer running, or undefined while it runs. */
  exitReason(): string | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within the grace period. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash or an OOM kill: nothing in hand is finished. Resolves once it has exited. */
  kill(): Promise<void>;
}

/** Apps still running, killed outright if the test process exits without stopping them. */
const killers = new Map<AppProcess, () => void>();
process.once('exit', () => {
  for (const kill of killers.values()) kill();
});

export function startApp(name: string, entry: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const listener of listeners) listener(line);
    });
  }
  let exit: string | undefined;
  const exited = once(child, 'exit').then(() => {
    exit = `${name} exited (${child.signalCode ?? `code ${String(child.exitCode)}`})`;
  });

  const app: AppProcess = {
    name,
    pid: child.pid,
    lines,
    exitReason: () => exit,
    waitForLine(matches, what, timeoutMs) {
      if (lines.some(matches)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const done = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(listener);
          if (error) reject(error);
          else resolve();
        };
        const listener = (line: string) => {
          if (matches(line)) done();
        };
        const timer = setTimeout(
          () => done(new Error(`${name}: no ${what} within ${timeoutMs} ms\n${tail(lines)}`)),
          timeoutMs,
        );
        listeners.add(listener);
        void exited.then(() => done(new Error(`${exit ?? name} before ${what}\n${tail(lines)}`)));
      });
    },
    async stop() {
      if (exit === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      killers.delete(app);
    },
    async kill() {
      if (exit === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
      killers.delete(app);
    },
  };
  killers.set(app, () => child.kill('SIGKILL'));
  return app;
}

/** The last lines an app wrote, for an error message. */
export function tail(lines: readonly string[], count = 40): string {
  return lines.slice(-count).join('\n');
}
