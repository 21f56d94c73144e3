// Errors an activity raises when retrying cannot help: the input itself is wrong (a plan that names a field
// Tend refuses to write, an audience without the event it needs). Temporal fails the activity at once instead
// of retrying it for ever; the run reports the message.

import { ApplicationFailure } from '@temporalio/common';

/** The error type of such a failure; workflows list it in `nonRetryableErrorTypes`. */
export const INVALID_ACTIVITY_INPUT = 'InvalidActivityInput';

export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, INVALID_ACTIVITY_INPUT);
}

/**
 * The error type of a send whose email the relay took but whose ledger record could not be written
 * (activities/delivery/deliver.ts, step (i)). Retryable: the next attempt records the email without sending
 * it again. Its details are the SentEmail, so that a run whose first attempt ran in its workflow task (where
 * there is no heartbeat to remember it) hands them to the attempt after it (workflows/runActivities.ts).
 */
export const SENT_NOT_RECORDED = 'SentNotRecorded';

/** What the relay took: enough to record the email without sending it again. */
export interface SentEmail {
  /** The Message-ID the relay accepted. */
  messageId: string;
  /** ms epoch, when the relay accepted it. */
  sentAt: number;
}

export function sentNotRecorded(sent: SentEmail, cause: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    message: `the relay took ${sent.messageId}, but it could not be recorded: ${String(cause)}`,
    type: SENT_NOT_RECORDED,
    details: [sent],
    cause: cause instanceof Error ? cause : undefined,
  });
}

/** The SentEmail a SENT_NOT_RECORDED failure carries; null for any other failure. */
export function sentEmailOf(failure: unknown): SentEmail | null {
  if (!(failure instanceof ApplicationFailure) || failure.type !== SENT_NOT_RECORDED) return null;
  const [sent]: unknown[] = failure.details ?? [];
  if (typeof sent !== 'object' || sent === null) return null;
  const messageId = 'messageId' in sent ? sent.messageId : undefined;
  const sentAt = 'sentAt' in sent ? sent.sentAt : undefined;
  if (typeof messageId !== 'string' || typeof sentAt !== 'number') return null;
  return { messageId, sentAt };
}
