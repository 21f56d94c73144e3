// How far a worker's JavaScript heaps may grow past what they kept at their last full collection before V8
// collects again. Left to itself V8 lets a heap grow up to four times over when collecting looks cheap: the
// workflow thread, keeping 80 MiB of cached runs and code, held 223 to 360 MiB of heap while 3,000 runs were
// started. Let grow by a fifth, the same thread held 133 to 144 MiB, and a worker with 10,000 runs asleep 476
// MiB against 773, for about 3.5 ms more CPU a send on a burst of sends due at once (bench/RESULTS.md, "The
// worker's heaps, and how far they grow").
//
// The setting is V8's, for every heap of the process (the main thread's too), and is read at every collection,
// so setting it before the Temporal worker starts its workflow thread covers both. A `--heap-growing-percent`
// given to node itself wins.

import { setFlagsFromString } from 'node:v8';

/** Per cent over the kept heap; 0 leaves V8 to choose (TEND_WORKER_HEAP_GROWTH). */
export const DEFAULT_HEAP_GROWTH_PERCENT = 20;

export function limitHeapGrowth(percent: number = DEFAULT_HEAP_GROWTH_PERCENT): void {
  if (process.execArgv.some((flag) => flag.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
