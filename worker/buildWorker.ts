// The Temporal worker that runs Tend: the workflows of workflows/index.ts (the playbook run, the audience
// fan-out, event ingestion), bundled for Temporal's sandbox, and the activities of createActivities(deps).
// Workflow files import each other NodeNext-style (`./core/runtime.js` for `runtime.ts`); the SDK's
// bundler resolves `.js` to `.ts` itself (resolve.extensionAlias), so no webpack configuration is needed.

import { fileURLToPath } from 'node:url';
import { limitHeapGrowth } from './heapGrowth.js';
import type { NativeConnection } from '@temporalio/worker';
import {
  bundleWorkflowCode,
  Runtime,
  Worker,
  type WorkflowBundle,
  type WorkflowBundleOption,
} from '@temporalio/worker';

/** Tend's workflow code: every workflow type a Tend worker runs. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Runs a worker keeps in memory between their tasks unless told otherwise (TEND_WORKER_CACHED_RUNS). The SDK's
 * own default grows with the heap (thousands here). A cached run keeps about 250 KiB of live objects on the
 * workflow thread's heap (a heap snapshot at 3,000 runs asleep); with the heaps' growth bounded (heapGrowth.ts)
 * a worker with 10,000 runs asleep held 476 MiB with 250 cached and 378 MiB at 3,000 with 50. A run evicted
 * from the cache costs nothing while it sleeps; when it wakes, its history (a few dozen events for a playbook)
 * is replayed first, which cost 14% on 1,000 sends due at once with 50 cached (p99 late 64.3 s against 56.2).
 * bench/engine/memory.bench.ts and lateness.bench.ts measure both (bench/RESULTS.md).
 */
export const DEFAULT_CACHED_RUNS = 250;

export interface BuildWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** `createActivities(deps)` from activities/index.ts. */
  activities: object;
  /**
   * Workflow code bundled ahead: by `bundleTendWorkflows()` for a process that builds several workers (tests,
   * benchmarks), or a file from `npm run build:workflows` (`{ codePath }`, TEND_WORKFLOW_BUNDLE); by default
   * the worker bundles workflows/index.ts itself, which takes seconds and keeps the bundler's memory.
   */
  workflowBundle?: WorkflowBundleOption;
  /** Activities one worker runs at once; sends wait on SMTP, so many may be in flight. */
  maxConcurrentActivityTaskExecutions?: number;
  /** Runs kept in memory between their tasks (a sticky cache): DEFAULT_CACHED_RUNS unless set. */
  maxCachedWorkflows?: number;
  /** How far the heaps may grow past what they keep (heapGrowth.ts): DEFAULT_HEAP_GROWTH_PERCENT unless set. */
  heapGrowthPercent?: number;
}

export function buildWorker(options: BuildWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, workflowBundle } = options;
  // Before the SDK starts the workflow thread, whose heap is the one that grows with the runs.
  limitHeapGrowth(options.heapGrowthPercent);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 100,
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_CACHED_RUNS,
  });
}

export async function bundleTendWorkflows(): Promise<WorkflowBundle> {
  // The runtime's logger, at the level the process chose: webpack's statistics are noise at WARN.
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: Runtime.instance().logger,
  });
  return { code };
}
