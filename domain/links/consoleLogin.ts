// The login link of the managers' console: a signed `console-login` token for a manager's address, valid for
// 15 minutes, with a nonce so that two links asked for in the same second are two links. Made here, below
// the API and the CLI, because both make them: the API emails one, `tend console-link` prints one.

import { randomBytes } from 'node:crypto';
import { expiresIn, type LinkSigner } from './signedLinks.js';

export const CONSOLE_LOGIN_PATH = '/console/login/link';

export function consoleLoginUrl(
  links: LinkSigner,
  publicUrl: string,
  email: string,
  nowMs = Date.now(),
): string {
  const token = links.sign({
    a: 'console-login',
    m: email,
    x: expiresIn('console-login', nowMs),
    n: randomBytes(9).toString('base64url'),
  });
  return `${publicUrl.replace(/\/+$/, '')}${CONSOLE_LOGIN_PATH}?t=${token}`;
}
