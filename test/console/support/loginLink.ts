// The login link in a console login email, as the path and query a browser would request on this server.

import type { ReceivedMessage } from '../../../cli/dev/mailbox.js';

export function loginLinkIn(message: ReceivedMessage | undefined): string {
  const url = /https?:\/\/\S+\/console\/login\/link\?t=[A-Za-z0-9_.-]+/.exec(message?.text ?? '')?.[0];
  if (url === undefined) throw new Error(`no login link in the email "${message?.subject ?? '(none)'}"`);
  const { pathname, search } = new URL(url);
  return pathname + search;
}
