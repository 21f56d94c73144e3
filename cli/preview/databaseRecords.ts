// `tend preview --member <id | email>` with MONGODB_URI set: one short connection, and the stored records read
// by the preview engine (preview/databaseRecords.ts).

import type { MemberRecord } from '../../compiler/records.js';
import type { LoadedRecords } from '../../contract/runtime.js';
import { createModels } from '../../db/index.js';
import { readStoredRecords, type DatabaseQuery } from '../../preview/databaseRecords.js';
import { connectDatabase } from '../servers.js';

export async function readDatabaseRecords(
  uri: string,
  query: DatabaseQuery,
): Promise<LoadedRecords & { member: MemberRecord }> {
  const connection = await connectDatabase(uri);
  try {
    return await readStoredRecords(createModels(connection), query);
  } finally {
    await connection.close();
  }
}
