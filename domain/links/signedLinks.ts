// Signed links: the only way a member or an organiser acts on Tend from an email. A token is
// `<payload>.<signature>`, both base64url: the payload is a small JSON object, the signature an HMAC-SHA256
// of the payload with TEND_SECRET. Tokens expire; a tampered or expired token is refused, never acted on.

import { createHmac, timingSafeEqual } from 'node:crypto';

export type LinkAction =
  'unsubscribe' | 'preferences' | 'survey' | 'approve' | 'decline' | 'click' | 'console-login';

export interface LinkPayload {
  /** What the link does. */
  a: LinkAction;
  /** Member id; for console-login, the manager's email address. */
  m: string;
  /** Category, for unsubscribe. */
  c?: string;
  /** Event id, for survey. */
  e?: string;
  /** Score 0-10, for survey. */
  s?: number;
  /** The link's own address, for click: inside the signature, so a redirect cannot be pointed elsewhere. */
  u?: string;
  /** The delivery ledger key of the email, for click: it names the email, its step and the run that sent it. */
  d?: string;
  /** A random nonce, for console-login: two links asked for in the same second are two links. */
  n?: string;
  /** Expiry, seconds since the epoch. */
  x: number;
}

export type VerifyResult =
  { ok: true; payload: LinkPayload } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

/** How long a link in an email keeps working. Unsubscribe links must work for a long time (RFC 8058). */
export const LINK_LIFETIME_SECONDS: Record<LinkAction, number> = {
  unsubscribe: 365 * 24 * 3600,
  preferences: 365 * 24 * 3600,
  survey: 60 * 24 * 3600,
  approve: 60 * 24 * 3600,
  decline: 60 * 24 * 3600,
  // A link in an email's text keeps taking the reader where it pointed for as long as unsubscribing works.
  click: 365 * 24 * 3600,
  // A login link for the managers' console: short-lived, and single use (api/console/session.ts).
  'console-login': 15 * 60,
};

export interface LinkSigner {
  sign(payload: LinkPayload): string;
  verify(token: string, nowSeconds?: number): VerifyResult;
  /** Absolute URL of the page for a link, under PUBLIC_URL: `<publicUrl>/l/<action>?t=<token>`. */
  url(payload: LinkPayload): string;
  /** Whether a URL is one of Tend's own link pages (`<publicUrl>/l/...`): such links are never tracked. */
  isLinkPage(url: string): boolean;
}

const ACTIONS: readonly LinkAction[] = [
  'unsubscribe',
  'preferences',
  'survey',
  'approve',
  'decline',
  'click',
  'console-login',
];

export function createLinkSigner(options: { secret: string; publicUrl: string }): LinkSigner {
  if (options.secret.length < 16) throw new Error('TEND_SECRET must be at least 16 characters');
  const base = options.publicUrl.replace(/\/+$/, '');
  const mac = (data: string): Buffer => createHmac('sha256', options.secret).update(data).digest();

  const sign = (payload: LinkPayload): string => {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${mac(body).toString('base64url')}`;
  };

  const verify = (token: string, nowSeconds = Math.floor(Date.now() / 1000)): VerifyResult => {
    const parts = token.split('.');
    if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
    const [body, signature] = parts;
    // Compare the text of the signature, not its decoded bytes: base64url decoding ignores the spare bits of
    // the last character, so two different strings can decode to the same bytes.
    const given = Buffer.from(signature);
    const expected = Buffer.from(mac(body).toString('base64url'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'bad-signature' };
    }
    const payload = parsePayload(Buffer.from(body, 'base64url').toString('utf8'));
    if (!payload) return { ok: false, reason: 'malformed' };
    if (payload.x < nowSeconds) return { ok: false, reason: 'expired' };
    return { ok: true, payload };
  };

  return {
    sign,
    verify,
    url: (payload) => `${base}/l/${payload.a}?t=${sign(payload)}`,
    isLinkPage: (url) => url.startsWith(`${base}/l/`),
  };
}

/** Expiry for a link made now. */
export function expiresIn(action: LinkAction, nowMs: number): number {
  return Math.floor(nowMs / 1000) + LINK_LIFETIME_SECONDS[action];
}

function parsePayload(json: string): LinkPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { a, m, c, e, s, x, n, u, d } = record;
  if (typeof a !== 'string' || !ACTIONS.includes(a as LinkAction)) return null;
  if (typeof m !== 'string' || typeof x !== 'number') return null;
  if (c !== undefined && typeof c !== 'string') return null;
  if (e !== undefined && typeof e !== 'string') return null;
  if (n !== undefined && typeof n !== 'string') return null;
  if (u !== undefined && typeof u !== 'string') return null;
  if (d !== undefined && typeof d !== 'string') return null;
  if (s !== undefined && (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 10)) return null;
  return {
    a: a as LinkAction,
    m,
    x,
    ...(c === undefined ? {} : { c }),
    ...(e === undefined ? {} : { e }),
    ...(s === undefined ? {} : { s }),
    ...(n === undefined ? {} : { n }),
    ...(u === undefined ? {} : { u }),
    ...(d === undefined ? {} : { d }),
  };
}
