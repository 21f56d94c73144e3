// Ports for the servers Tend starts: find a free one, refuse a taken one with a sentence, wait for readiness.
import net from 'node:net';

/** A port that the user chose (or the default) is taken; the message names the variable to change. */
export class PortTakenError extends Error {
  name = 'PortTakenError';
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves when nothing listens on 127.0.0.1:port; rejects with a PortTakenError naming `variable` otherwise.
 * @param {number} port
 * @param {string} variable the environment variable that moves this server to another port
 * @param {string} what the server that wants the port, for the message
 */
export function assertPortFree(port, variable, what) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error) => {
      const code = error && typeof error === 'object' && 'code' in error ? error.code : '';
      const reason = code === 'EADDRINUSE' ? 'is taken' : `cannot be used (${String(code || error)})`;
      reject(new PortTakenError(`port ${port} for ${what} ${reason}: set ${variable} to another port`));
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(undefined)));
  });
}

/** Resolves true when a TCP connection to host:port succeeds within timeoutMs. */
function canConnect(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Waits until host:port accepts TCP connections. Stops early when `exited()` reports that the server's
 * process is gone, so a crash is reported at once instead of after the whole deadline.
 * @param {{ host?: string, port: number, what: string, timeoutMs?: number, exited?: () => string | undefined }} options
 */
export async function waitForPort({ host = '127.0.0.1', port, what, timeoutMs = 60_000, exited }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(host, port, 1000)) return;
    const exit = exited?.();
    if (exit) throw new Error(`${what} stopped before it listened on ${host}:${port}: ${exit}`);
    if (Date.now() > deadline)
      throw new Error(`${what} did not listen on ${host}:${port} within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** True when host:port answers a TCP connect within a few seconds: the check for a given MONGODB_URI etc. */
export function isReachable(host, port) {
  return canConnect(host, port, 3000);
}
