// What one attempt of the deliver activity tells the next: "the relay took this email". It is the
// activity's Temporal heartbeat, which the Temporal server keeps across the activity's attempts. The first
// heartbeat of an attempt goes out at once, so it is on the server within milliseconds of the relay's 250,
// whatever happens to the database: when the write that marks the email sent fails (or the worker dies
// before it), the next attempt reads it and records the email instead of sending it again.

import { asyncLocalStorage } from '@temporalio/activity';

export interface SentEarlier {
  /** The Message-ID the relay accepted. */
  messageId: string;
  /** ms epoch, when the relay accepted it. */
  sentAt: number;
}

/** What an earlier attempt of the running activity said it sent; null for a first attempt, or outside one. */
export function sentByEarlierAttempt(): SentEarlier | null {
  const details: unknown = asyncLocalStorage.getStore()?.info.heartbeatDetails;
  if (typeof details !== 'object' || details === null) return null;
  const messageId = 'messageId' in details ? details.messageId : undefined;
  const sentAt = 'sentAt' in details ? details.sentAt : undefined;
  if (typeof messageId !== 'string' || typeof sentAt !== 'number') return null;
  return { messageId, sentAt };
}

/** Tells the later attempts of the running activity (if any) that the relay took the email. */
export function rememberSent(sent: SentEarlier): void {
  asyncLocalStorage.getStore()?.heartbeat(sent);
}
