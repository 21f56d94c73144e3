// The database a read-only CLI command works on: MONGODB_URI, and nothing else from the environment, so that
// `tend report` and `tend backfill` run without Temporal or SMTP settings.

import mongoose, { type Connection } from 'mongoose';
import { createModels, type Models } from '../db/index.js';

export class MissingDatabase extends Error {
  override name = 'MissingDatabase';
}

export async function withDatabase<T>(
  env: Record<string, string | undefined>,
  use: (models: Models) => Promise<T>,
): Promise<T> {
  const uri = env.MONGODB_URI?.trim();
  if (!uri)
    throw new MissingDatabase(
      'MONGODB_URI is not set: run `npm run dev`, or set it (see README, Configuration)',
    );
  const connection: Connection = await mongoose
    .createConnection(uri, { autoIndex: false, serverSelectionTimeoutMS: 5000 })
    .asPromise();
  try {
    return await use(createModels(connection));
  } finally {
    await connection.close();
  }
}
