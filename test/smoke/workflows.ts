// The smallest workflows that prove a Temporal server runs our bundled code: a greeting that imports a
// helper the NodeNext way (`.js` naming a `.ts` file), and a 30-day sleep for the time-skipping server.
import { sleep } from '@temporalio/workflow';
import { greetingFor } from './greeting.js';

export function greet(name: string): Promise<string> {
  return Promise.resolve(greetingFor(name));
}

/** Sleeps `days` of workflow time and returns how many milliseconds of workflow time passed (Date.now() in a
 * workflow is the deterministic workflow clock). */
export async function sleepDays(days: number): Promise<number> {
  const started = Date.now();
  await sleep(`${days} days`);
  return Date.now() - started;
}
