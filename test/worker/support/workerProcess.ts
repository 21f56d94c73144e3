// The real worker (`worker/main.ts`) as a child process, the way the dev stack and production run it, so a
// test can SIGKILL it in the middle of its work and start it again. It runs under `node --import tsx` (one
// process: a kill reaches the worker itself, not a launcher) and logs JSON lines, which the helper reads to
// know when the worker is up.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface WorkerProcess {
  readonly pid: number | undefined;
  /** Every log line so far, for a failing test to show. */
  readonly lines: string[];
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Asks the worker where its memory is (SIGUSR2) and resolves with what it logs, in MiB. */
  memory(): Promise<Record<string, number>>;
}

/** Starts `worker/main.ts` with `env` added to this process's environment; resolves once it polls. */
export async function startWorkerProcess(
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const readers = new Set<(line: string) => void>();
  const exited = once(child, 'exit');
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not ready in ${timeoutMs} ms:\n${lines.join('\n')}`)),
      timeoutMs,
    );
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        for (const reader of readers) reader(line);
        if (line.includes('"worker running"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`worker exited before it was ready:\n${lines.join('\n')}`));
    });
  });
  await ready;
  return {
    pid: child.pid,
    lines,
    kill: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
    memory: () =>
      new Promise((resolve) => {
        const reader = (line: string) => {
          if (!line.includes('"msg":"memory"')) return;
          readers.delete(reader);
          resolve((JSON.parse(line) as { memory: Record<string, number> }).memory);
        };
        readers.add(reader);
        child.kill('SIGUSR2');
      }),
  };
}
