// A stand-in for `playbookRun` in the run-identity tests: the tests are about which runs start and which
// runs an event reaches, so the run only keeps the events it receives and ends on one of its plan's exit
// events. The real workflow is exercised by the process-level tests (worker.process.test.ts).

import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import type { RoutedEvent } from '../../../compiler/events.js';
import type { RunInput } from '../../../workflows/core/runtime.js';

export const routeEventSignal = defineSignal<[RoutedEvent]>('routeEvent');
export const receivedQuery = defineQuery<string[]>('received');

export async function playbookRun(input: RunInput): Promise<string[]> {
  const received: string[] = [];
  let exited = false;
  setHandler(routeEventSignal, (event) => {
    received.push(event.id);
    if (input.plan.exit.events.includes(event.type)) exited = true;
  });
  setHandler(receivedQuery, () => received);
  await condition(() => exited);
  return received;
}
