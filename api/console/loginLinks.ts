// Login links for the managers' console: a signed token (domain/links/signedLinks.ts, the same HMAC as
// every link in an email) naming the manager's address, valid for 15 minutes, usable once. Using a link
// records it in `consoleSessions` under a hash of its token as `_id`: a second use is a duplicate key, so
// "single use" holds across API replicas with nothing but MongoDB's unique `_id`.

import { createHash } from 'node:crypto';
import { CONSOLE_LOGIN_PATH, consoleLoginUrl } from '../../domain/links/consoleLogin.js';
import type { LinkSigner } from '../../domain/links/signedLinks.js';
import { isDuplicateKeyError, type Models } from '../../db/index.js';

/** How long a console session lasts after its link is used. */
export const SESSION_MS = 12 * 3600_000;
export const LOGIN_LINK_PATH = CONSOLE_LOGIN_PATH;

export type LinkRefusal = { ok: false; reason: 'invalid' | 'expired' | 'used' };
export type LinkCheck = { ok: true; email: string } | LinkRefusal;
export type LinkUse = { ok: true; sessionId: string; email: string } | LinkRefusal;

export interface LoginLinks {
  /** The absolute URL a manager follows to log in (under PUBLIC_URL). */
  url(email: string, nowMs?: number): string;
  /** The email a link is for, without using it: the page that asks to confirm shows it. */
  peek(token: string): Promise<LinkCheck>;
  /** Uses the link once: a session, or why not. */
  use(token: string, nowMs?: number): Promise<LinkUse>;
}

export function createLoginLinks(options: {
  links: LinkSigner;
  publicUrl: string;
  models: Pick<Models, 'consoleSessions'>;
}): LoginLinks {
  const { links, models } = options;

  const check = (token: string): LinkCheck => {
    const verified = links.verify(token);
    if (!verified.ok) return { ok: false, reason: verified.reason === 'expired' ? 'expired' : 'invalid' };
    if (verified.payload.a !== 'console-login') return { ok: false, reason: 'invalid' };
    return { ok: true, email: verified.payload.m };
  };

  return {
    url: (email, nowMs = Date.now()) => consoleLoginUrl(links, options.publicUrl, email, nowMs),
    peek: async (token) => {
      const checked = check(token);
      if (!checked.ok) return checked;
      const used = await models.consoleSessions.exists({ _id: sessionIdOf(token) }).exec();
      return used === null ? checked : { ok: false, reason: 'used' };
    },
    use: async (token, nowMs = Date.now()) => {
      const checked = check(token);
      if (!checked.ok) return checked;
      const sessionId = sessionIdOf(token);
      try {
        await models.consoleSessions.create({
          _id: sessionId,
          email: checked.email,
          createdAt: new Date(nowMs),
          expiresAt: new Date(nowMs + SESSION_MS),
          endedAt: null,
        });
      } catch (error) {
        if (isDuplicateKeyError(error)) return { ok: false, reason: 'used' };
        throw error;
      }
      return { ok: true, sessionId, email: checked.email };
    },
  };
}

/** The record of a link's use, and the session it starts, are keyed by a hash of the link's token. */
function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
