// A TCP proxy in front of a fault test's MongoDB-wire server (ownServers.ts), for the processes whose
// database connection the test means to break: `cut()` drops every connection through it at once (the
// socket is reset, as a network fault or a database failover does) and refuses new ones until `restore()`;
// `loseReplyTo()` lets one chosen request reach the server and resets its connection before the answer
// reaches the client, so the write is done and the client cannot know it. The server itself stays up, so
// the test can still read and check the records over its own connection.

import { createServer, Socket, type Server } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { OwnServers } from './ownServers.js';

export interface DatabaseProxy {
  /** A MongoDB URI without a database, through the proxy. */
  readonly address: string;
  /** Resets every connection through the proxy and refuses new ones until restore(). */
  cut: () => void;
  restore: () => void;
  /**
   * The next request whose bytes `matches` (a MongoDB wire message carries its command and collection names
   * as plain strings) is forwarded, and its connection reset as the server's answer comes back. Resolves
   * once that has happened.
   */
  loseReplyTo: (matches: (request: Buffer) => boolean) => Promise<void>;
}

interface LostReply {
  matches: (request: Buffer) => boolean;
  done: () => void;
}

export function useDatabaseProxy(servers: OwnServers): DatabaseProxy {
  let server: Server | undefined;
  let address = '';
  let down = false;
  const open = new Set<Socket>();
  let losing: LostReply | null = null;

  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };

  beforeAll(async () => {
    const target = new URL(servers.mongo.address);
    server = createServer((client) => {
      if (down) {
        client.resetAndDestroy();
        return;
      }
      const upstream = new Socket();
      track(client);
      track(upstream);
      // Either side failing ends both, as a broken network path would.
      for (const [socket, other] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        socket.on('error', () => other.destroy());
        socket.on('close', () => other.destroy());
      }
      upstream.connect(Number(target.port), target.hostname);
      let lost: LostReply | null = null;
      client.on('data', (request: Buffer) => {
        if (losing?.matches(request)) {
          lost = losing;
          losing = null;
        }
        upstream.write(request);
      });
      upstream.on('data', (reply: Buffer) => {
        if (lost === null) {
          client.write(reply);
          return;
        }
        client.resetAndDestroy();
        upstream.resetAndDestroy();
        lost.done();
      });
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(0, '127.0.0.1', () => resolve());
    });
    const bound = listening.address();
    if (bound === null || typeof bound === 'string') throw new Error('the database proxy has no port');
    address = `mongodb://127.0.0.1:${bound.port}/`;
  });

  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  return {
    get address() {
      if (address === '') throw new Error('useDatabaseProxy(): the proxy exists inside tests and hooks only');
      return address;
    },
    cut() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      down = false;
    },
    loseReplyTo(matches) {
      return new Promise((resolve) => {
        losing = { matches, done: resolve };
      });
    },
  };
}
