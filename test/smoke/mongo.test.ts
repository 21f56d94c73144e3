// Proves the MongoDB-wire server is real: a unique index built explicitly is enforced with error code 11000,
// and a read by _id is served from an index, not a scan of the collection (on FerretDB on SQLite, by the
// lookup index its launcher adds: scripts/ferretdb/idindex.go).
import { Schema } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/mongo.js';

const db = useTestDatabase();

describe('MongoDB-wire server through mongoose', () => {
  it('rejects a duplicate under a unique index with code 11000', async () => {
    const Member = db.connection.model('SmokeMember', new Schema({ email: { type: String, unique: true } }));
    await Member.createIndexes();
    await Member.create({ email: 'ada@example.org' });

    const duplicate = await Member.create({ email: 'ada@example.org' }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(duplicate).toMatchObject({ code: 11000 });
    expect(await Member.countDocuments()).toBe(1);
  });

  it('gives each test file its own database', () => {
    expect(db.connection.name).toBe(db.name);
    expect(db.uri.endsWith(`/${db.name}`)).toBe(true);
  });

  it('reads a document by _id from an index', async () => {
    const collection = db.connection.db!.collection<{ _id: string; n: number }>('smoke_lookups');
    await collection.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `k${n}`, n })));
    // A read first: SQLite plans an EXPLAIN on the schema its connection last read, and only a statement that
    // reads a table sees an index made since.
    const plan = async () => {
      await collection.findOne({ _id: 'k3' });
      return JSON.stringify(await collection.find({ _id: 'k7' }).explain('queryPlanner'));
    };
    // FerretDB on SQLite: SQLite's own plan, once the launcher has indexed the new collection (every 200 ms).
    // MongoDB: its _id fast path or an index scan. FerretDB on PostgreSQL (TEND_MONGO_BACKEND) uses no index
    // for it (docs/architecture.md): there the filter is at least evaluated in SQL, not in Go.
    const indexed = (text: string) =>
      process.env.TEND_MONGO_BACKEND === 'postgresql'
        ? text.includes('"filterPushdown":true')
        : /USING INDEX \S+_tend_id_lookup/.test(text) || /IDHACK|EXPRESS_IXSCAN|IXSCAN/.test(text);
    await expect.poll(plan, { timeout: 10_000, interval: 100 }).toSatisfy(indexed);
    expect(await collection.findOne({ _id: 'k7' })).toEqual({ _id: 'k7', n: 7 });
  });
});
