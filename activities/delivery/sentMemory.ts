// What one attempt of the deliver activity tells the next: "the relay took this email". It is the
// activity's Temporal heartbeat, which the Temporal server keeps across the activity's attempts. The first
// heartbeat of an attempt goes out at once, so it is on the server within milliseconds of the relay's 250,
// whatever happens to the database: when the write that marks the email sent fails (or the worker dies
// before it), the next attempt reads it and records the email instead of sending it again.
//
// A run's first attempt runs in its workflow task (a local activity), which has no heartbeat: when its write
// fails, its failure carries the email instead (contract/errors.ts, SENT_NOT_RECORDED), and the run hands it
// to the activity it schedules next (DeliverInput.sentEarlier).

import { asyncLocalStorage } from '@temporalio/activity';
import type { SentEmail } from '../../contract/errors.js';

/** What an earlier attempt of the running activity said it sent; null for a first attempt, or outside one. */
export function sentByEarlierAttempt(): SentEmail | null {
  const details: unknown = asyncLocalStorage.getStore()?.info.heartbeatDetails;
  if (typeof details !== 'object' || details === null) return null;
  const messageId = 'messageId' in details ? details.messageId : undefined;
  const sentAt = 'sentAt' in details ? details.sentAt : undefined;
  if (typeof messageId !== 'string' || typeof sentAt !== 'number') return null;
  return { messageId, sentAt };
}

/** Tells the later attempts of the running activity (if any) that the relay took the email. */
export function rememberSent(sent: SentEmail): void {
  const context = asyncLocalStorage.getStore();
  // A local activity's heartbeat goes nowhere: its failure carries the email instead.
  if (context !== undefined && !context.info.isLocal) context.heartbeat(sent);
}

/** Time kept back at the end of an attempt without a heartbeat, for its failure to reach the run. */
const MARGIN_MS = 15_000;

/**
 * The moment (ms epoch) by which an attempt without a heartbeat (a local activity) must stop trying to record
 * a sent email, so that it fails with the email in hand before its time is up; Infinity for an activity task,
 * whose heartbeat already holds the email.
 */
export function recordDeadline(): number {
  const info = asyncLocalStorage.getStore()?.info;
  if (info === undefined || !info.isLocal) return Infinity;
  return info.currentAttemptScheduledTimestampMs + info.startToCloseTimeoutMs - MARGIN_MS;
}
