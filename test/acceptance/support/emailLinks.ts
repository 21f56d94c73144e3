// The links an email gives its reader: every address under PUBLIC_URL in the HTML part (attributes and
// text), in the plain-text part, and in the List-Unsubscribe header, each once.

import type { ReceivedMessage } from '../../../cli/dev/mailbox.js';
import { elementsOf, visibleText } from './html.js';

const URL_IN_TEXT = /https?:\/\/[^\s<>"'[\]()]+/g;

export function linksIn(message: ReceivedMessage, publicUrl: string): string[] {
  const html = message.html ?? '';
  const candidates = [
    ...elementsOf(html, ['a', 'area', 'form', 'img']).flatMap(({ attributes }) =>
      [attributes.href, attributes.action, attributes.src].filter((value) => value !== undefined),
    ),
    ...(visibleText(html).match(URL_IN_TEXT) ?? []),
    ...((message.text ?? '').match(URL_IN_TEXT) ?? []),
    ...listUnsubscribeUrls(message),
  ];
  return [...new Set(candidates.filter((url) => url.startsWith(`${publicUrl}/`)))];
}

/** The http(s) addresses of the List-Unsubscribe header (`<https://...>, <mailto:...>`). */
export function listUnsubscribeUrls(message: ReceivedMessage): string[] {
  const header = message.headers['list-unsubscribe'] ?? '';
  return [...header.matchAll(/<(https?:[^>]+)>/g)].flatMap((match) =>
    match[1] === undefined ? [] : [match[1]],
  );
}
