// The servers a command reads from, reached with a short timeout. One that does not answer is one line that
// says which, where, and why, not a stack trace after half a minute.

import { Connection as TemporalConnection } from '@temporalio/client';
import mongoose, { type Connection as DatabaseConnection } from 'mongoose';
import { ConfigError } from '../contract/config.js';

/** The setting names a server the command cannot reach. */
export class ServerUnreachableError extends ConfigError {
  override name = 'ServerUnreachableError';
}

const CONNECT_TIMEOUT_MS = 5_000;

/** `mongodb://user:secret@host/db` -> `mongodb://host/db`: the line may be pasted into an issue. */
const withoutCredentials = (uri: string): string => uri.replace(/\/\/[^@/]*@/, '//');

function unreachable(what: string, where: string, setting: string, error: unknown): ServerUnreachableError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ServerUnreachableError(
    `cannot reach ${what} at ${where} (${setting}): ${reason}. Is \`npm run dev\` running?`,
    { cause: error },
  );
}

export async function connectDatabase(uri: string): Promise<DatabaseConnection> {
  try {
    return await mongoose
      .createConnection(uri, { autoIndex: false, serverSelectionTimeoutMS: CONNECT_TIMEOUT_MS })
      .asPromise();
  } catch (error) {
    throw unreachable('MongoDB', withoutCredentials(uri), 'MONGODB_URI', error);
  }
}

export async function connectTemporal(address: string): Promise<TemporalConnection> {
  try {
    return await TemporalConnection.connect({ address, connectTimeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw unreachable('Temporal', address, 'TEMPORAL_ADDRESS', error);
  }
}
