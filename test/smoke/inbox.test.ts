// The dev inbox page shows what the mailbox kept, escaped: a hostile subject or body cannot run script.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInbox } from '../../cli/dev/inbox.js';
import { type Mailbox, startMailbox } from '../../cli/dev/mailbox.js';

let mailbox: Mailbox;
beforeAll(async () => {
  mailbox = await startMailbox({ port: 0 });
  await nodemailer.createTransport({ host: '127.0.0.1', port: mailbox.port }).sendMail({
    from: 'tend@example.org',
    to: 'ada@example.org',
    subject: 'Hi <script>alert(1)</script>',
    html: '<p onclick="x()">Hello "Ada"</p><script>alert(2)</script>',
    text: 'Hello <Ada>',
  });
  await mailbox.waitForMessages(1);
});
afterAll(() => mailbox.close());

describe('dev inbox page', () => {
  const inbox = () => buildInbox(mailbox);

  it('lists messages with the subject escaped', async () => {
    const response = await inbox().inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Hi &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(response.body).not.toContain('<script>');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('shows the HTML body only inside a sandboxed iframe, and the text body escaped', async () => {
    const [message] = mailbox.messages();
    const response = await inbox().inject({ url: `/messages/${message?.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(
      '<iframe sandbox title="HTML body" srcdoc="&#60;p onclick=&#34;x()&#34;&#62;',
    );
    expect(response.body).toContain('<pre>Hello &#60;Ada&#62;');
    expect(response.body).not.toContain('<script>');
  });

  it('serves the messages as JSON and answers 404 or 400 for unknown or malformed ids', async () => {
    const json = await inbox().inject({ url: '/api/messages' });
    expect(json.json()).toMatchObject([{ envelope: { to: ['ada@example.org'] }, text: 'Hello <Ada>' }]);
    expect((await inbox().inject({ url: '/messages/1-ab' })).statusCode).toBe(404);
    expect((await inbox().inject({ url: '/messages/..%2Fetc' })).statusCode).toBe(400);
  });
});
