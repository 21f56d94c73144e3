// A fresh database for each test file on the shared MongoDB-wire server, so files run in parallel without
// seeing each other's documents. autoIndex is off as in production: suites create indexes explicitly.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, inject } from 'vitest';

export interface TestDatabase {
  /** A mongoose connection on this file's database; available inside tests and hooks. */
  readonly connection: Connection;
  /** The database name, unique to this test file and run. */
  readonly name: string;
  /** A MongoDB URI that selects this database, for code under test that connects by itself. */
  readonly uri: string;
}

/** `mongodb://host:port/?opts` + `db` -> `mongodb://host:port/db?opts` */
export function databaseUri(baseUri: string, database: string): string {
  const [beforeQuery = '', query] = baseUri.split('?', 2);
  const schemeEnd = beforeQuery.indexOf('://') + 3;
  const slash = beforeQuery.indexOf('/', schemeEnd);
  const hosts = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash);
  return `${hosts}/${database}${query === undefined ? '' : `?${query}`}`;
}

/** A database name from the test file's name: letters, digits and `_` only, short enough for every server. */
function databaseName(testFile: string): string {
  const stem = path
    .basename(testFile, '.test.ts')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .slice(0, 40);
  return `t_${stem}_${randomBytes(4).toString('hex')}`;
}

/** Registers hooks that open a fresh database before this file's tests and drop it after them. */
export function useTestDatabase(): TestDatabase {
  let connection: Connection | undefined;
  let name = '';
  beforeAll(async () => {
    name = databaseName(expect.getState().testPath ?? 'unnamed');
    connection = await mongoose
      .createConnection(inject('mongoUri'), { dbName: name, autoIndex: false })
      .asPromise();
  });
  afterAll(async () => {
    if (!connection) return;
    await connection.dropDatabase();
    await connection.close();
  });
  return {
    get connection() {
      if (!connection)
        throw new Error('useTestDatabase(): the connection exists inside tests and hooks only');
      return connection;
    },
    get name() {
      return name;
    },
    get uri() {
      return databaseUri(inject('mongoUri'), name);
    },
  };
}
