// The dev stack's mail side, run by `npm run dev` as a child process: the dev mailbox (SMTP) keeping every
// message under --keep, and the inbox page that shows them with the emails Tend holds (--mongodb-uri).
// Stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { createModels } from '../../db/index.js';
import { heldEmailsFrom } from './heldEmails.js';
import { buildInbox } from './inbox.js';
import { startMailbox } from './mailbox.js';

const { values } = parseArgs({
  options: {
    'smtp-port': { type: 'string', default: '1025' },
    'inbox-port': { type: 'string', default: '8025' },
    keep: { type: 'string', default: '.data/mail' },
    // Where the held emails are written down (db/holds.ts); without it the page shows sent mail only.
    'mongodb-uri': { type: 'string' },
  },
});

const port = (name: 'smtp-port' | 'inbox-port'): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`--${name} must be a port number`);
  return value;
};

const mailbox = await startMailbox({ port: port('smtp-port'), keep: values.keep });
// Not awaited: the database may still be starting beside this process; queries wait for it.
const database =
  values['mongodb-uri'] === undefined
    ? null
    : mongoose.createConnection(values['mongodb-uri'], { autoIndex: false, serverSelectionTimeoutMS: 3_000 });
// Reported on the page when it reads; logged here so that a wrong URI shows in .data/logs/mail.log too.
database?.on('error', (error: unknown) => console.error(`dev inbox: MongoDB: ${String(error)}`));
const inbox = buildInbox(mailbox, database === null ? null : heldEmailsFrom(createModels(database)));
await inbox.listen({ port: port('inbox-port'), host: '127.0.0.1' });
console.log(
  `dev mailbox: SMTP on 127.0.0.1:${mailbox.port}, inbox on http://127.0.0.1:${port('inbox-port')}/`,
);

const shutDown = async () => {
  await Promise.all([inbox.close(), mailbox.close(), database?.close()]);
  process.exit(0);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutDown());
