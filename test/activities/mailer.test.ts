// What an SMTP error means for an email: final (recorded as failed) or worth retrying. The deliver suite sees
// real 550/451 replies and a relay that is down; this table covers the replies a test server cannot easily
// produce.

import { describe, expect, it } from 'vitest';
import { classifySmtpError } from '../../domain/delivery/mailer.js';

/** An error shaped as nodemailer reports SMTP failures: a code, and the reply when the server gave one. */
function smtpError(code: string, response?: string): Error {
  const responseCode = response === undefined ? undefined : Number(response.slice(0, 3));
  return Object.assign(new Error(`${code}: ${response ?? 'no reply'}`), { code, response, responseCode });
}

describe('classifySmtpError', () => {
  it.each([
    [smtpError('EENVELOPE', '550 5.1.1 No such user'), 'permanent'],
    [smtpError('EMESSAGE', '552 Message too large'), 'permanent'],
    [smtpError('EENVELOPE'), 'permanent'],
    [smtpError('EMESSAGE', '451 4.3.0 Try again later'), 'transient'],
    [smtpError('EENVELOPE', '421 Service not available'), 'transient'],
    [smtpError('EPROTOCOL', '503 Bad sequence of commands'), 'transient'],
    [smtpError('EAUTH', '535 Authentication failed'), 'transient'],
    [smtpError('ETLS', '554 TLS not available'), 'transient'],
    [smtpError('ECONNECTION'), 'transient'],
    [smtpError('ETIMEDOUT'), 'transient'],
    [smtpError('ESOCKET'), 'transient'],
    [new Error('something else'), 'transient'],
  ])('%s is %s', (error, kind) => {
    expect(classifySmtpError(error).kind).toBe(kind);
  });

  it("keeps the server's reply, else the error message", () => {
    expect(classifySmtpError(smtpError('EENVELOPE', '550 No such user')).reply).toBe('550 No such user');
    expect(classifySmtpError(new Error('connect ECONNREFUSED')).reply).toBe('connect ECONNREFUSED');
  });
});
