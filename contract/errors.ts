// Errors an activity raises when retrying cannot help: the input itself is wrong (a plan that names a field
// Tend refuses to write, an audience without the event it needs). Temporal fails the activity at once instead
// of retrying it for ever; the run reports the message.

import { ApplicationFailure } from '@temporalio/common';

/** The error type of such a failure; workflows list it in `nonRetryableErrorTypes`. */
export const INVALID_ACTIVITY_INPUT = 'InvalidActivityInput';

export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, INVALID_ACTIVITY_INPUT);
}
