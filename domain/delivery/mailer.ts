// The SMTP side of delivery: one pooled nodemailer transport per worker, and what an SMTP error means for
// the email. A permanent refusal (5xx) is final: the same message would be refused again, so it is recorded
// as failed. A temporary refusal (4xx) or a relay that cannot be reached is retried with backoff.

import { createTransport } from 'nodemailer';

/** A pooled transport for SMTP_URL (smtp://user:pass@host:port, smtps:// for TLS). Close it with `close()`. */
export function createMailer(smtpUrl: string) {
  return createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 5,
    // Fail fast enough that an activity retry, not a hung socket, deals with a relay that stops answering.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
}

export type Mailer = ReturnType<typeof createMailer>;

export type SmtpErrorKind = 'permanent' | 'transient';

export interface ClassifiedSmtpError {
  kind: SmtpErrorKind;
  /** The server's reply when it gave one, else what went wrong on the way. */
  reply: string;
}

/**
 * Errors of the way to the relay rather than of the message: the relay down or slow, TLS, DNS, or Tend's own
 * credentials refused (even with a 5xx reply such as 535). Fixing them lets every waiting email go out, so
 * they are retried, never recorded as failed.
 */
const TRANSPORT_ERRORS = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROXY',
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
]);

/**
 * A reply to the message itself is permanent when it is 5xx, except 503 (bad sequence of commands: the
 * session, not the message, was wrong); 4xx is transient. With no reply, an envelope or message nodemailer
 * could not build (no valid recipient) is permanent; anything else is transient.
 */
export function classifySmtpError(error: unknown): ClassifiedSmtpError {
  const fields = typeof error === 'object' && error !== null ? error : {};
  const responseCode =
    'responseCode' in fields && typeof fields.responseCode === 'number' ? fields.responseCode : null;
  const code = 'code' in fields && typeof fields.code === 'string' ? fields.code : null;
  const response = 'response' in fields && typeof fields.response === 'string' ? fields.response : null;
  const reply = response ?? (error instanceof Error ? error.message : String(error));
  if (code !== null && TRANSPORT_ERRORS.has(code)) return { kind: 'transient', reply };
  if (responseCode !== null) {
    const permanent = responseCode >= 500 && responseCode < 600 && responseCode !== 503;
    return { kind: permanent ? 'permanent' : 'transient', reply };
  }
  return { kind: code === 'EENVELOPE' || code === 'EMESSAGE' ? 'permanent' : 'transient', reply };
}

/** Thrown for a transient SMTP error: Temporal retries the activity, which finds its claim and sends again. */
export class SmtpTransientError extends Error {
  override readonly name = 'SmtpTransientError';
}
