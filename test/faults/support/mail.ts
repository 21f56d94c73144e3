// What a fault test asks of the stack's mailbox and API: how many of an email a member got, which emails
// came twice, and events posted the way a platform posts them.

import type { Mailbox } from '../../../cli/dev/mailbox.js';
import type { OwnStack } from './ownStack.js';

/** How many messages reached `to` with a subject `subject` matches. */
export function received(mailbox: Mailbox, to: string, subject: RegExp): number {
  return mailbox
    .messages()
    .filter((message) => message.envelope.to.includes(to) && subject.test(message.subject)).length;
}

/**
 * Every Message-ID the mailbox got more than once. Tend derives an email's Message-ID from its ledger key, so
 * a second copy of one email, however it came about, carries the same Message-ID.
 */
export function sentTwice(mailbox: Mailbox): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const { messageId } of mailbox.messages()) {
    if (messageId === undefined) continue;
    if (seen.has(messageId)) twice.add(messageId);
    seen.add(messageId);
  }
  return [...twice];
}

/** POSTs events to one of the stack's API processes (the first by default); answers the HTTP status. */
export async function postEvents(stack: OwnStack, events: readonly object[], api = 0): Promise<number> {
  const base = stack.apis[api];
  if (base === undefined) throw new Error(`the stack has no API process ${api}`);
  const answer = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  await answer.arrayBuffer();
  return answer.status;
}
