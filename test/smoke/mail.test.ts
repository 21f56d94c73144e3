// Proves the dev mailbox is a real SMTP server: nodemailer sends over TCP and the message comes back parsed,
// headers and both bodies intact; and that it can refuse, defer, or be down when a test asks it to.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Mailbox, startMailbox } from '../../cli/dev/mailbox.js';

let mailbox: Mailbox;
beforeAll(async () => {
  mailbox = await startMailbox({ port: 0 });
});
afterAll(() => mailbox.close());
beforeEach(() => mailbox.clear());

const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: mailbox.port, secure: false });
const message = {
  from: 'Tend <tend@example.org>',
  to: 'ada@example.org',
  subject: 'Welcome, Ada',
  messageId: '<welcome.ada@tend.test>',
  text: 'Plain welcome',
  html: '<p>HTML <b>welcome</b></p>',
  headers: { 'X-Tend-Run': 'run:welcome:ada' },
  list: { unsubscribe: 'https://tend.test/u/abc' },
};

describe('dev mailbox over SMTP', () => {
  it('keeps a message sent with nodemailer, headers and bodies intact', async () => {
    await transport().sendMail(message);
    const [received] = await mailbox.waitForMessages(1);

    expect(received?.envelope).toEqual({ from: 'tend@example.org', to: ['ada@example.org'] });
    expect(received?.messageId).toBe('<welcome.ada@tend.test>');
    expect(received?.headers['list-unsubscribe']).toBe('<https://tend.test/u/abc>');
    expect(received?.headers['x-tend-run']).toBe('run:welcome:ada');
    expect(received?.subject).toBe('Welcome, Ada');
    expect(received?.html).toBe('<p>HTML <b>welcome</b></p>');
    expect(received?.text?.trim()).toBe('Plain welcome');
  });

  it.each([550, 451])('answers %i when told to, then accepts again', async (code) => {
    mailbox.failNext({ code });
    await expect(transport().sendMail(message)).rejects.toMatchObject({ responseCode: code });
    await transport().sendMail(message);
    expect(await mailbox.waitForMessages(1)).toHaveLength(1);
  });

  it('refuses connections while paused', async () => {
    await mailbox.pause();
    await expect(transport().sendMail(message)).rejects.toMatchObject({ code: 'ESOCKET' });
    await mailbox.resume();
    await transport().sendMail(message);
    expect(mailbox.messages()).toHaveLength(1);
  });

  it('keeps messages in a directory across restarts', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tend-mail-'));
    try {
      const first = await startMailbox({ port: 0, keep: dir });
      await nodemailer.createTransport({ host: '127.0.0.1', port: first.port }).sendMail(message);
      await first.close();

      const second = await startMailbox({ port: 0, keep: dir });
      const [kept] = second.messages();
      await second.close();
      expect(kept?.envelope.to).toEqual(['ada@example.org']);
      expect(kept?.headers['x-tend-run']).toBe('run:welcome:ada');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
