// Proves the MongoDB-wire server is real: a unique index built explicitly is enforced with error code 11000.
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
});
