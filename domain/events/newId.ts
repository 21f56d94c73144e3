// Ids Tend makes itself (for events sent without one, for members created from an email): ULID-shaped, 10
// characters of milliseconds then 16 of randomness in Crockford base32, so they sort roughly by creation
// time in logs and lists. Ids made in the same millisecond are not ordered; nothing relies on that.

import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newId(nowMs = Date.now()): string {
  let time = '';
  for (let rest = nowMs, i = 0; i < 10; i++, rest = Math.floor(rest / 32))
    time = CROCKFORD.charAt(rest % 32) + time;
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  const random = Array.from(randomBytes(16), (byte) => CROCKFORD.charAt(byte % 32)).join('');
  return time + random;
}
