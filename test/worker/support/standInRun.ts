// A stand-in for `playbookRun` in the run-identity tests: the tests are about which runs start and which
// runs an event reaches, so the run only keeps the events it receives, reports a state, and ends on one of
// its plan's exit events. The real workflow is exercised by the process-level tests (worker.process.test.ts).

import { condition, defineQuery, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RunInput, RunState } from '../../../contract/runtime.js';
import { routeEventSignal, statusQuery } from '../../../contract/workflows.js';

export const receivedQuery = defineQuery<string[]>('received');

/** What the stand-in reports as its current step and next wake-up. */
export const STAND_IN_STEP = 'pause';
export const STAND_IN_WAKE_MS = 7 * 24 * 3600 * 1000;

export async function playbookRun(input: RunInput): Promise<string[]> {
  const received: string[] = [];
  let exited = false;
  const state: RunState = {
    playbook: input.plan.id,
    version: input.plan.version,
    memberId: input.memberId,
    key: input.key,
    status: 'waiting',
    currentStep: STAND_IN_STEP,
    nextWakeAt: workflowInfo().startTime.getTime() + STAND_IN_WAKE_MS,
    exitReason: null,
    steps: [],
  };
  setHandler(routeEventSignal, (event) => {
    received.push(event.id);
    if (input.plan.exit.events.includes(event.type)) exited = true;
  });
  setHandler(receivedQuery, () => received);
  setHandler(statusQuery, () => state);
  await condition(() => exited);
  return received;
}
