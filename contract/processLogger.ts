// The logger of a Tend process (the API, the worker). JSON lines by default, as log collectors read them in
// production; `TEND_LOG_FORMAT=pretty` (which `npm run dev` sets) makes them one readable line of text each.

import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

type Env = Record<string, string | undefined>;

/** `TEND_LOG_FORMAT`, `json` when unset; a value it does not know is a mistake worth one clear line. */
export function logFormat(env: Env = process.env): LogFormat | { error: string } {
  const value = env.TEND_LOG_FORMAT?.trim() || 'json';
  const known = LOG_FORMATS.find((format) => format === value);
  return known ?? { error: `TEND_LOG_FORMAT must be ${LOG_FORMATS.join(' or ')}, got "${value}"` };
}

export function processLogger(name: string, env: Env = process.env): Logger {
  const format = logFormat(env);
  if (typeof format === 'object') {
    // The logger is what would report a bad setting; without one, this is the only place to say it.
    console.error(`${name}: ${format.error}`);
    process.exit(1);
  }
  if (format === 'json') return pino({ name });
  // Synchronous and in this thread: no transport worker to flush when the process exits on a signal.
  return pino(
    { name },
    PinoPretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
  );
}
