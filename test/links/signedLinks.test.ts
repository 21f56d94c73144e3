import { describe, expect, it } from 'vitest';
import { createLinkSigner, expiresIn, type LinkPayload } from '../../domain/links/signedLinks.js';

const signer = createLinkSigner({
  secret: 'a-test-secret-of-some-length',
  publicUrl: 'http://localhost:3000/',
});
const now = Date.UTC(2026, 10, 27, 12);
const payload: LinkPayload = { a: 'survey', m: 'm_1', e: 'ev_1', s: 9, x: expiresIn('survey', now) };

/** Every base64url character but `original`, so each alteration really changes the text. */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function alterAt(token: string, index: number, replacement: string): string {
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('signed links', () => {
  it('verifies its own token and returns the payload', () => {
    expect(signer.verify(signer.sign(payload), now / 1000)).toEqual({ ok: true, payload });
  });

  it('builds the page URL under PUBLIC_URL without a double slash', () => {
    expect(signer.url(payload)).toMatch(/^http:\/\/localhost:3000\/l\/survey\?t=[\w-]+\.[\w-]+$/);
  });

  it('refuses every other last character of the signature, including ones that decode to the same bytes', () => {
    const token = signer.sign(payload);
    const last = token.length - 1;
    const others = [...alphabet].filter((char) => char !== token[last]);
    const accepted = others.filter((char) => signer.verify(alterAt(token, last, char), now / 1000).ok);
    expect(accepted).toEqual([]);
  });

  it('refuses a token signed with another secret, an expired one and malformed ones', () => {
    const other = createLinkSigner({ secret: 'another-secret-of-some-length', publicUrl: 'http://x' });
    expect(signer.verify(other.sign(payload), now / 1000)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(signer.verify(signer.sign({ ...payload, x: now / 1000 - 1 }), now / 1000)).toEqual({
      ok: false,
      reason: 'expired',
    });
    for (const token of ['', 'abc', 'a.b.c', '.sig', 'body.']) {
      expect(signer.verify(token, now / 1000)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses a validly signed payload that is not a link payload', () => {
    const forged = createLinkSigner({ secret: 'a-test-secret-of-some-length', publicUrl: 'http://x' });
    const bad = forged.sign({ ...payload, s: 11 });
    expect(signer.verify(bad, now / 1000)).toEqual({ ok: false, reason: 'malformed' });
  });
});
