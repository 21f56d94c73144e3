// The dev stack's mail side, run by `npm run dev` as a child process: the dev mailbox (SMTP) keeping every
// message under --keep, and the inbox page that shows them. Stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { buildInbox } from './inbox.js';
import { startMailbox } from './mailbox.js';

const { values } = parseArgs({
  options: {
    'smtp-port': { type: 'string', default: '1025' },
    'inbox-port': { type: 'string', default: '8025' },
    keep: { type: 'string', default: '.data/mail' },
  },
});

const port = (name: 'smtp-port' | 'inbox-port'): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`--${name} must be a port number`);
  return value;
};

const mailbox = await startMailbox({ port: port('smtp-port'), keep: values.keep });
const inbox = buildInbox(mailbox);
await inbox.listen({ port: port('inbox-port'), host: '127.0.0.1' });
console.log(
  `dev mailbox: SMTP on 127.0.0.1:${mailbox.port}, inbox on http://127.0.0.1:${port('inbox-port')}/`,
);

const shutDown = async () => {
  await Promise.all([inbox.close(), mailbox.close()]);
  process.exit(0);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutDown());
