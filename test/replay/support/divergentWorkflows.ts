// A `playbookRun` that no longer does what the recorded runs did (it sleeps before anything else): replaying
// a committed history against it must fail, which shows that the replay test can catch a change.
import { sleep } from '@temporalio/workflow';

export async function playbookRun(): Promise<void> {
  await sleep('1 minute');
}
