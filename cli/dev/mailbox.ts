// The dev mailbox: a real SMTP server on 127.0.0.1 that accepts every message and keeps it, parsed, for the
// dev inbox page and for tests. Tests can also make it answer with SMTP errors or stop listening, to see how
// Tend treats a relay that refuses (5xx), defers (4xx) or is down.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { parseStoredMessage, type ReceivedMessage, withDeliveryHeaders } from './receivedMessage.js';

export type { ReceivedMessage } from './receivedMessage.js';

export interface MailboxOptions {
  /** 0 picks a free port; read it back from `mailbox.port`. */
  port: number;
  host?: string;
  /** A directory to keep every message in as an .eml file, and to load them back from on start. */
  keep?: string;
}

export interface SmtpFailure {
  /** An SMTP reply code: 5xx (e.g. 550) is a permanent refusal, 4xx (e.g. 451) a temporary one. */
  code: number;
  /** How many messages in a row get this answer (default 1). */
  count?: number;
  message?: string;
}

export interface Mailbox {
  readonly host: string;
  readonly port: number;
  /** Every message accepted so far, oldest first. */
  messages(): ReceivedMessage[];
  /** Resolves once at least `count` messages are there; rejects after timeoutMs saying how many came. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  clear(): Promise<void>;
  /** The next message(s) get this SMTP error instead of being accepted. */
  failNext(failure: SmtpFailure): void;
  /** Stops listening, as a relay that is down; connections are refused until resume(). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

class SmtpReply extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

const EML = '.eml';
/** `<received ms>-<random>`: sorts by arrival and is safe in a path and a URL. */
const newId = () => `${Date.now()}-${randomBytes(4).toString('hex')}`;
const receivedAtOf = (id: string) => new Date(Number(id.split('-')[0]));

async function loadKept(dir: string): Promise<ReceivedMessage[]> {
  await mkdir(dir, { recursive: true });
  const ids = (await readdir(dir))
    .filter((name) => /^\d+-[0-9a-f]+\.eml$/.test(name))
    .map((name) => name.slice(0, -EML.length))
    .sort();
  return Promise.all(
    ids.map(async (id) => parseStoredMessage(id, await readFile(path.join(dir, id + EML)), receivedAtOf(id))),
  );
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('end', () => resolve(Buffer.concat(chunks)));
  });
}

export async function startMailbox({ port, host = '127.0.0.1', keep }: MailboxOptions): Promise<Mailbox> {
  let messages: ReceivedMessage[] = keep ? await loadKept(keep) : [];
  const failures: Required<SmtpFailure>[] = [];
  let waiters: (() => void)[] = [];

  const accept = async (stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> => {
    const raw = await readAll(stream);
    const failure = failures[0];
    if (failure) {
      failure.count -= 1;
      if (failure.count <= 0) failures.shift();
      throw new SmtpReply(failure.message, failure.code);
    }
    const envelope = {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
    };
    const stored = withDeliveryHeaders(raw, envelope);
    const id = newId();
    if (keep) await writeFile(path.join(keep, id + EML), stored);
    messages.push(await parseStoredMessage(id, stored, receivedAtOf(id)));
    for (const wake of waiters) wake();
  };

  const listen = async (onPort: number): Promise<SMTPServer> => {
    const server = new SMTPServer({
      banner: 'Tend dev mailbox',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      size: 25 * 1024 * 1024,
      closeTimeout: 500,
      onData(stream, session, callback) {
        accept(stream, session).then(
          () => callback(),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(onPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // A client that drops mid-conversation must not take the dev stack down with it.
    server.on('error', () => undefined);
    return server;
  };
  const stop = (server: SMTPServer) => new Promise<void>((resolve) => server.close(() => resolve()));

  let server: SMTPServer | undefined = await listen(port);
  const address = server.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;

  return {
    host,
    port: boundPort,
    messages: () => [...messages],
    waitForMessages(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          cleanUp();
          resolve([...messages]);
        };
        const timer = setTimeout(() => {
          cleanUp();
          reject(new Error(`expected ${count} message(s) within ${timeoutMs}ms, got ${messages.length}`));
        }, timeoutMs);
        const cleanUp = () => {
          clearTimeout(timer);
          waiters = waiters.filter((waiter) => waiter !== check);
        };
        waiters.push(check);
        check();
      });
    },
    async clear() {
      if (keep) {
        await Promise.all(messages.map((message) => rm(path.join(keep, message.id + EML), { force: true })));
      }
      messages = [];
    },
    failNext({ code, count = 1, message = `Dev mailbox answers ${code} as asked` }) {
      failures.push({ code, count, message });
    },
    async pause() {
      if (server) await stop(server);
      server = undefined;
    },
    async resume() {
      server ??= await listen(boundPort);
    },
    async close() {
      if (server) await stop(server);
      server = undefined;
    },
  };
}
