// The console session: a cookie signed by @fastify/cookie (HttpOnly, SameSite=Lax, Secure under an https
// PUBLIC_URL, 12 hours, path /console) that names a `consoleSessions` record. Every request reads that
// record by `_id` (FerretDB's one indexed lookup), so logging out ends the session on the server too, and an
// address taken out of community.yaml's `managers` loses the console at once.

import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Models } from '../../db/index.js';
import { SESSION_MS } from './loginLinks.js';

export const SESSION_COOKIE = 'tend_console';

export interface Manager {
  sessionId: string;
  email: string;
}

export interface ConsoleSessions {
  cookieOptions: CookieSerializeOptions;
  start(reply: FastifyReply, sessionId: string): void;
  /** The manager of this request, or null: no cookie, a forged one, an ended or expired session. */
  managerOf(request: FastifyRequest): Promise<Manager | null>;
  end(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export function createConsoleSessions(options: {
  models: Pick<Models, 'consoleSessions'>;
  secure: boolean;
  isManager: (email: string) => Promise<boolean>;
}): ConsoleSessions {
  const { models } = options;
  const cookieOptions: CookieSerializeOptions = {
    path: '/console',
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    signed: true,
  };

  const sessionIdOf = (request: FastifyRequest): string | null => {
    const raw = request.cookies[SESSION_COOKIE];
    if (raw === undefined) return null;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value !== null ? unsigned.value : null;
  };

  return {
    cookieOptions,
    start: (reply, sessionId) => {
      reply.setCookie(SESSION_COOKIE, sessionId, { ...cookieOptions, maxAge: SESSION_MS / 1000 });
    },
    managerOf: async (request) => {
      const sessionId = sessionIdOf(request);
      if (sessionId === null) return null;
      const record = await models.consoleSessions.findById(sessionId).lean().exec();
      if (record === null || record.endedAt !== null || record.expiresAt.getTime() <= Date.now()) return null;
      if (!(await options.isManager(record.email))) return null;
      return { sessionId, email: record.email };
    },
    end: async (request, reply) => {
      const sessionId = sessionIdOf(request);
      if (sessionId !== null) {
        await models.consoleSessions.updateOne({ _id: sessionId }, { $set: { endedAt: new Date() } }).exec();
      }
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
    },
  };
}
