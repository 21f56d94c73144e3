// Baseline workflows for the engine benchmarks (see baseline.ts).

import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { baselineActivities } from './baseline.js';

const { noop, stamp } = proxyActivities<typeof baselineActivities>({ startToCloseTimeout: '1 minute' });

const inTask = proxyLocalActivities<typeof baselineActivities>({ startToCloseTimeout: '1 minute' });

export async function oneActivity(): Promise<void> {
  await noop();
}

/** The same, inside the workflow task (a local activity), as a run makes a send's first attempt. */
export async function oneLocalActivity(): Promise<void> {
  await inTask.noop();
}

/** Sleeps until `due` (ms epoch), then returns when its activity ran. */
export async function activityAt(due: number): Promise<number> {
  await sleep(Math.max(0, due - Date.now()));
  return stamp();
}
