// Work whose first attempt runs inside the workflow task (a local activity, tried once) and whose retries run
// as an activity task. Most attempts succeed at once, and inside the task they cost the Temporal server no
// activity task and the workflow no second workflow task; retried there instead, work failing for as long
// as a database is away would keep the task open, its history growing at every one of the SDK's task
// heartbeats. The work must be idempotent: the activity task may repeat what the first attempt did.

import { ActivityFailure, isCancellation, TemporalFailure } from '@temporalio/workflow';

export interface HandOver<Input> {
  /** The activity task's input, made from the failure; the same input unless told otherwise. */
  input?: (input: Input, failure: TemporalFailure) => Input;
  /**
   * Whether this failure goes to the activity task; when not, it is thrown to the workflow as it came.
   * Every failure goes unless told otherwise.
   */
  when?: (failure: TemporalFailure) => boolean;
}

/** `inTask` (a local activity with `maximumAttempts: 1`) first; on its failure, `asActivityTask`. */
export function firstInTask<Input, Output>(
  inTask: (input: Input) => Promise<Output>,
  asActivityTask: (input: Input) => Promise<Output>,
  handOver: HandOver<Input> = {},
): (input: Input) => Promise<Output> {
  const { input: handedInput = (input: Input) => input, when = () => true } = handOver;
  return async (input) => {
    try {
      return await inTask(input);
    } catch (error) {
      // A local activity's failure reaches the workflow as the activity's own error (ApplicationFailure,
      // TimeoutFailure), not wrapped in an ActivityFailure as an activity task's is.
      if (isCancellation(error) || !(error instanceof TemporalFailure)) throw error;
      const failure =
        error instanceof ActivityFailure && error.cause instanceof TemporalFailure ? error.cause : error;
      if (!when(failure)) throw error;
      return asActivityTask(handedInput(input, failure));
    }
  };
}
