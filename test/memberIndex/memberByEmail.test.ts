// Finding a member by address on a real MongoDB-wire server: through the address's key when it is right,
// and through the members collection when there is no key (a member the host platform wrote) or the key is
// stale (the platform changed the address), which corrects the key. Creating a member by address keys it.
// And finding members by the whole words of their name and address (db/nameWords.ts).

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { keyedMember, memberByEmail } from '../../domain/members/memberByEmail.js';
import { membersByWords } from '../../domain/members/nameWords.js';
import { backfillMemberIndex } from '../../domain/memberIndex/backfill.js';
import { createMongoRecordStore } from '../../domain/records/mongoRecordStore.js';
import { member } from '../activities/fixtures.js';
import { useTestDatabase } from '../support/mongo.js';

const db = useTestDatabase();
let models: Models;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
});

beforeEach(async () => {
  await models.members.deleteMany({}).exec();
  await models.memberEmails.deleteMany({}).exec();
});

const keyOf = async (email: string) =>
  (await models.memberEmails.findById(email).lean().exec())?.memberId ?? null;

describe('memberByEmail', () => {
  it('finds a member the platform wrote (no key), in any case, and keys the address', async () => {
    await models.members.create(member('ada'));
    expect(await keyedMember(models, 'ada@example.org')).toBeNull();
    expect((await memberByEmail(models, ' Ada@Example.org '))?._id).toBe('ada');
    expect(await keyOf('ada@example.org')).toBe('ada');
    expect((await keyedMember(models, 'ada@example.org'))?._id).toBe('ada');
  });

  it('passes over a stale key and corrects it', async () => {
    await models.members.create(member('ada'));
    await models.members.create(member('bob'));
    await memberByEmail(models, 'ada@example.org');
    // The platform gives Ada's old address to Bob.
    await models.members.updateOne({ _id: 'ada' }, { $set: { email: 'ada@new.example' } }).exec();
    await models.members.updateOne({ _id: 'bob' }, { $set: { email: 'ada@example.org' } }).exec();
    expect(await keyedMember(models, 'ada@example.org')).toBeNull();
    expect((await memberByEmail(models, 'ada@example.org'))?._id).toBe('bob');
    expect(await keyOf('ada@example.org')).toBe('bob');
  });

  it('answers null for an address nobody has', async () => {
    expect(await memberByEmail(models, 'nobody@example.org')).toBeNull();
    expect(await models.memberEmails.countDocuments().exec()).toBe(0);
  });
});

describe('the record store', () => {
  it('keys a member it creates by address, and finds them again by the key', async () => {
    const store = createMongoRecordStore(models);
    const id = await store.createMemberByEmail('new@example.org', 'mem_new');
    expect(id).toBe('mem_new');
    expect(await keyOf('new@example.org')).toBe('mem_new');
    // A second creation by the same address (a retried member.applied) finds the same member.
    expect(await store.createMemberByEmail('new@example.org', 'mem_other')).toBe('mem_new');
    expect(await store.findMemberIdByEmail('new@example.org')).toBe('mem_new');
    expect(await models.members.countDocuments({ email: 'new@example.org' }).exec()).toBe(1);
  });
});

describe('members by the words of their name', () => {
  beforeEach(async () => {
    await models.nameWords.deleteMany({}).exec();
  });

  it('finds a member created by address, and by name once an event names them', async () => {
    const store = createMongoRecordStore(models);
    const id = await store.createMemberByEmail('grace.hopper@navy.example', 'mem_grace');
    expect((await membersByWords(models, 'hopper', 10))?.map((found) => found._id)).toEqual([id]);
    await store.writeMember('mem_grace', { set: { name: 'Amazing Grace' } });
    expect((await membersByWords(models, 'AMAZING grace', 10))?.map((found) => found._id)).toEqual([id]);
    // A word of the name and one of the address; but not half a word, nor a word nobody has.
    expect((await membersByWords(models, 'grace navy', 10))?.map((found) => found._id)).toEqual([id]);
    expect(await membersByWords(models, 'amaz', 10)).toEqual([]);
    expect(await membersByWords(models, 'grace lovelace', 10)).toEqual([]);
    expect(await membersByWords(models, '  --  ', 10)).toBeNull();
  });

  it('passes over a member whose name no longer has the word, and finds by the backfill those the platform wrote', async () => {
    const store = createMongoRecordStore(models);
    await store.createMemberByEmail('ada@example.org', 'mem_ada');
    await store.writeMember('mem_ada', { set: { name: 'Ada Lovelace' } });
    await models.members.updateOne({ _id: 'mem_ada' }, { $set: { name: 'Ada King' } }).exec();
    await models.members.create(member('bob', { name: 'Bob Lovelace' }));
    expect(await membersByWords(models, 'lovelace', 10)).toEqual([]);
    await backfillMemberIndex(models);
    expect((await membersByWords(models, 'lovelace', 10))?.map((found) => found._id)).toEqual(['bob']);
    expect((await membersByWords(models, 'king', 10))?.map((found) => found._id)).toEqual(['mem_ada']);
  });
});
