// API keys for /v1: `Authorization: Bearer <key>`, one of TEND_API_KEYS. Keys are compared as SHA-256
// digests with timingSafeEqual, against every configured key, so neither a key's length nor how much of it
// matched shows in the response time.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestHookHandler } from 'fastify';
import { Unauthorized } from './errors.js';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

export function requireApiKey(keys: readonly string[]): onRequestHookHandler {
  const digests = keys.map(digest);
  const refusal = (header: string | undefined): Unauthorized | undefined => {
    if (header === undefined)
      return new Unauthorized('an API key is required: send Authorization: Bearer <key>');
    const given = /^Bearer ([!-~]{1,512})$/.exec(header)?.[1];
    if (given === undefined) return new Unauthorized('the Authorization header must be "Bearer <key>"');
    const candidate = digest(given);
    const matches = digests.reduce((found, key) => timingSafeEqual(key, candidate) || found, false);
    return matches ? undefined : new Unauthorized('this API key is not valid');
  };
  return (request, _reply, done) => done(refusal(request.headers.authorization));
}
