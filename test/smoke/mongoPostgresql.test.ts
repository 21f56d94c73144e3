// TEND_MONGO_BACKEND=postgresql, end to end: startMongoServer builds a PostgreSQL cluster in its data folder and
// starts FerretDB on it; mongoose writes and reads through it (unique index, lookup by a field that is not
// _id, update), the data is in PostgreSQL and survives a restart, and stop() leaves no process behind.
// Provisioning installs PostgreSQL where it can (root with apt-get) and otherwise fails with what to install,
// as it does for Chromium: this test never skips.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose, { Schema, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/ports.mjs';
import { provision } from '../../scripts/provision.mjs';
import { startMongoServer, type RunningServer } from '../../scripts/servers.mjs';

const DATABASE = 'tend_pg_smoke';
const memberSchema = new Schema({
  email: { type: String, required: true, unique: true },
  name: String,
  plan: String,
});

let dir = '';
let ferretdb: { ferretdb: string } | undefined;
let binDir = '';
let port = 0;

beforeAll(async () => {
  // Never a server named in the environment: this test is about the one startMongoServer starts.
  const env = { ...process.env, MONGODB_URI: '' };
  const found = await provision({ mongo: true, postgresql: true, env, log: () => undefined });
  if (!found.mongo || !('ferretdb' in found.mongo))
    throw new Error('this test needs FerretDB (provisioning found mongod or a MONGODB_URI instead)');
  if (!found.postgresql) throw new Error('provisioning returned no PostgreSQL');
  ferretdb = found.mongo;
  binDir = found.postgresql.binDir;
  dir = await mkdtemp(path.join(tmpdir(), 'tend-pg-smoke-'));
  port = await freePort();
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const dataDir = () => path.join(dir, 'mongo');
const clusterDir = () => path.join(dataDir(), 'postgresql');

function start(): Promise<RunningServer> {
  if (!ferretdb) throw new Error('provisioning runs before the tests');
  return startMongoServer({ source: ferretdb, port, dataDir: dataDir(), backend: 'postgresql' });
}

/** The postmaster's pid and port, from the file PostgreSQL keeps in its data folder while it runs. */
async function postmaster(): Promise<{ pid: number; port: number }> {
  const lines = (await readFile(path.join(clusterDir(), 'postmaster.pid'), 'utf8')).split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withConnection<T>(use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await mongoose
    .createConnection(`mongodb://127.0.0.1:${port}/`, { dbName: DATABASE, autoIndex: false })
    .asPromise();
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

describe('FerretDB on PostgreSQL through startMongoServer', () => {
  it('stores, enforces a unique index, finds by a field and updates, in PostgreSQL', async () => {
    const server = await start();
    try {
      await withConnection(async (connection) => {
        const Member = connection.model('PgMember', memberSchema);
        await Member.createIndexes();
        await Member.create([
          { email: 'ada@example.org', name: 'Ada', plan: 'free' },
          { email: 'bob@example.org', name: 'Bob', plan: 'free' },
        ]);

        const duplicate = await Member.create({ email: 'ada@example.org', name: 'Ada again' }).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(duplicate).toMatchObject({ code: 11000 });

        const ada = await Member.findOne({ email: 'ada@example.org' }).lean();
        expect(ada).toMatchObject({ name: 'Ada', plan: 'free' });

        const updated = await Member.updateOne({ email: 'bob@example.org' }, { $set: { plan: 'paid' } });
        expect(updated.modifiedCount).toBe(1);
        const plans = await Member.find({}, { _id: 0, email: 1, plan: 1 }).sort({ email: 1 }).lean();
        expect(plans).toEqual([
          { email: 'ada@example.org', plan: 'free' },
          { email: 'bob@example.org', plan: 'paid' },
        ]);
      });

      // The documents are PostgreSQL's rows, not SQLite's: FerretDB keeps a MongoDB database as a schema.
      const { port: pgPort } = await postmaster();
      const sql = `SELECT count(*) FROM information_schema.schemata WHERE schema_name = '${DATABASE}'`;
      const args = [
        '-h',
        clusterDir(),
        '-p',
        String(pgPort),
        '-U',
        'postgres',
        '-d',
        'ferretdb',
        '-tAXc',
        sql,
      ];
      const { stdout } = await promisify(execFile)(path.join(binDir, 'psql'), args);
      expect(stdout.trim()).toBe('1');
    } finally {
      await server.stop();
    }
  });

  it('keeps the data across a restart and leaves no process behind when stopped', async () => {
    const server = await start();
    const pids = [server.pid, (await postmaster()).pid];
    try {
      const bob = await withConnection((connection) =>
        connection.model('PgMember', memberSchema).findOne({ email: 'bob@example.org' }).lean(),
      );
      expect(bob).toMatchObject({ name: 'Bob', plan: 'paid' });
    } finally {
      await server.stop();
    }

    expect(pids.every((pid) => pid !== undefined && pid > 0)).toBe(true);
    expect(pids.filter((pid) => pid !== undefined && isRunning(pid))).toEqual([]);
    // PostgreSQL removes this file only when it shuts down cleanly.
    await expect(readFile(path.join(clusterDir(), 'postmaster.pid'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
