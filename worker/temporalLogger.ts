// Temporal's worker logs (its own and the workflows' `log`) go to the worker's pino logger, so that one
// process writes one stream of JSON lines.

import { DefaultLogger, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Temporal logs at INFO for every worker state change; WARN and up is what an operator needs to see. */
export function temporalLogger(logger: Logger, level: LogLevel = 'WARN'): DefaultLogger {
  const temporal = logger.child({ component: 'temporal' });
  return new DefaultLogger(level, (entry) =>
    temporal[PINO_LEVEL[entry.level]](entry.meta ?? {}, entry.message),
  );
}
