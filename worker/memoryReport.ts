// What the worker tells an operator who asks where its memory is (`kill -USR2 <pid>`): the resident set beside
// the main thread's heap and, when TEND_HEAP_SNAPSHOT_DIR is set, a V8 heap snapshot of every thread. The
// workflow code runs in a thread the Temporal SDK starts, whose heap Node does not report to the main thread;
// its snapshot (`workflows-<n>.heapsnapshot`) is the only way to see what cached runs hold. Open the files in
// Chrome's DevTools (Memory) or summarise them with `node scripts/heapSummary.mjs <file>`.

import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { writeHeapSnapshot } from 'node:v8';
import type { Worker as Thread } from 'node:worker_threads';

export interface MemoryReporter {
  /** RSS and the main heap, in MiB. */
  inMiB(): Record<string, number>;
  /** Writes a snapshot of the main thread and of every live thread into `dir`; resolves to the files. */
  snapshots(dir: string): Promise<string[]>;
}

/**
 * Starts tracking the threads this process starts. Call it before the Temporal worker is created: the SDK
 * starts its workflow thread then, and a thread is seen only if it starts after this.
 */
export function trackMemory(): MemoryReporter {
  const threads = new Set<Thread>();
  process.on('worker', (thread: Thread) => {
    threads.add(thread);
    thread.once('exit', () => threads.delete(thread));
  });
  let taken = 0;
  return {
    inMiB: memoryInMiB,
    async snapshots(dir) {
      await mkdir(dir, { recursive: true });
      taken += 1;
      const stamp = `${process.pid}-${taken}`;
      const files = [writeHeapSnapshot(path.join(dir, `main-${stamp}.heapsnapshot`))];
      let n = 0;
      for (const thread of threads) {
        n += 1;
        const file = path.join(dir, `workflows-${n}-${stamp}.heapsnapshot`);
        await pipeline(await thread.getHeapSnapshot(), createWriteStream(file));
        files.push(file);
      }
      return files;
    },
  };
}

/**
 * The process's resident set beside what the main thread's JavaScript heap holds. Workflow code runs in a
 * worker thread whose heap Node does not report here: it is in `outsideMainHeap`, with the Temporal SDK's
 * native core and whatever the allocator keeps.
 */
function memoryInMiB(): Record<string, number> {
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
  return {
    rss: mib(rss),
    mainHeapUsed: mib(heapUsed),
    mainHeapTotal: mib(heapTotal),
    external: mib(external),
    arrayBuffers: mib(arrayBuffers),
    outsideMainHeap: mib(rss - heapTotal - external),
  };
}
