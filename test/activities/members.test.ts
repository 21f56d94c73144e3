// updateMember and introduce on a real MongoDB-wire server: only allowlisted fields are written, nothing a
// playbook sends becomes an operator; peers are matched by shared values, never twice, reproducibly.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createMailer } from '../../domain/delivery/mailer.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import type { IntroduceRequest, UpdateMemberRequest } from '../../contract/runtime.js';
import { useTestDatabase } from '../support/mongo.js';
import { member, runOf, signer, temporalDeps } from './fixtures.js';

const db = useTestDatabase();
let models: Models;
let activities: ReturnType<typeof createActivities>;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  // Nothing here sends email: the transport is never connected.
  activities = createActivities({
    ...temporalDeps(),
    models,
    mailer: createMailer('smtp://127.0.0.1:9'),
    links: signer,
    clock: () => 0,
  });
});

beforeEach(async () => {
  await Promise.all([models.members.deleteMany({}), models.introductions.deleteMany({})]);
});

describe('updateMember', () => {
  const update = (request: Partial<UpdateMemberRequest>) =>
    activities.updateMember({
      memberId: 'ada',
      request: { stepId: 'update', set: {}, addTags: [], removeTags: [], ...request },
    });

  it('writes allowlisted fields, free-form paths and tags', async () => {
    await models.members.create(member('ada', { tags: ['new', 'keep'], subgroup: 'north' }));
    await update({
      set: {
        firstName: 'Ada',
        status: 'left',
        lastActiveAt: '2026-03-14T18:30:00Z',
        timezone: 'America/New_York',
        'profile.bio': 'Runs at dawn',
        'attributes.onboarded': true,
        subgroup: null,
      },
      addTags: ['onboarded', 'keep'],
      removeTags: ['new'],
    });
    const stored = await models.members.findById('ada').lean();
    expect(stored).toMatchObject({
      firstName: 'Ada',
      status: 'left',
      lastActiveAt: new Date('2026-03-14T18:30:00Z'),
      timezone: 'America/New_York',
      profile: { bio: 'Runs at dawn' },
      attributes: { onboarded: true },
      tags: ['keep', 'onboarded'],
    });
    expect(stored?.subgroup).toBeUndefined();
  });

  it('is idempotent: the same update twice leaves the same record', async () => {
    await models.members.create(member('ada', { tags: ['new'] }));
    const request = { set: { 'profile.level': 2 }, addTags: ['onboarded'], removeTags: ['new'] };
    await update(request);
    const once = await models.members.findById('ada').lean();
    expect(once).toMatchObject({ profile: { level: 2 }, tags: ['onboarded'] });
    await update(request);
    expect(await models.members.findById('ada').lean()).toEqual(once);
  });

  it.each<[string, Partial<UpdateMemberRequest>, RegExp]>([
    ['_id', { set: { _id: 'eve' } }, /"_id" is not a field a playbook can write/],
    ['email', { set: { email: 'eve@evil.example' } }, /"email" is not a field a playbook can write/],
    ['unsubscribed', { set: { unsubscribed: [] } }, /"unsubscribed" is not a field/],
    ['an operator as a field', { set: { $set: { email: 'eve@evil.example' } } }, /"\$set" is not a field/],
    [
      'an operator inside a value',
      { set: { 'profile.x': { $where: 'sleep(1000)' } } },
      /"\$where" cannot be a field name/,
    ],
    [
      'an operator inside a whole object',
      { set: { attributes: { $inc: { n: 1 } } } },
      /"\$inc" cannot be a field name/,
    ],
    [
      'a prototype key in a path',
      { set: { 'profile.__proto__.admin': true } },
      /"profile\.__proto__\.admin" is not a field name/,
    ],
    [
      'a prototype key inside a value',
      { set: { attributes: JSON.parse('{"__proto__": {"admin": true}}') as unknown } },
      /"__proto__" cannot be a field name/,
    ],
    ['a dotted key inside a value', { set: { 'profile.x': { 'a.b': 1 } } }, /"a\.b" cannot be a field name/],
    ['a zone that is not one', { set: { timezone: 'Mars/Base' } }, /timezone must be a time zone/],
    ['a status that is not one', { set: { status: 'admin' } }, /status must be one of applied/],
    ['a date that is not one', { set: { lastActiveAt: 'yesterday' } }, /lastActiveAt must be a time/],
    ['a list of something else', { set: { interests: 'running' } }, /interests must be a list of text/],
    ['tags both set and added', { set: { tags: ['a'] }, addTags: ['b'] }, /not both/],
  ])('refuses %s, without retrying and without writing', async (_what, request, message) => {
    await models.members.create(member('ada'));
    const before = await models.members.findById('ada').lean();
    await expect(update(request)).rejects.toMatchObject({
      message: expect.stringMatching(message) as unknown,
      nonRetryable: true,
    });
    expect(await models.members.findById('ada').lean()).toEqual(before);
  });
});

describe('introduce', () => {
  const introduce = (memberId: string, request: Partial<IntroduceRequest> = {}, workflowId?: string) =>
    activities.introduce({
      run: runOf(memberId, workflowId === undefined ? {} : { workflowId }),
      request: { stepId: 'first-introduction', same: ['interests'], within: null, ...request },
    });

  it('picks the active peer sharing the most values, then the one introduced least, then the smallest id', async () => {
    await models.members.create([
      member('ada', { interests: ['trail', 'parkrun', 'track'] }),
      member('bo', { interests: ['trail'] }),
      member('cy', { interests: ['trail', 'parkrun'] }),
      member('di', { interests: ['trail', 'parkrun', 'track'], status: 'left' }),
      member('ed', { interests: ['parkrun', 'track'] }),
      member('fa', { interests: ['trail', 'parkrun', 'track'], emailStatus: 'bounced' }),
    ]);
    // cy and ed share two values each; cy has been introduced before, so ed wins.
    await models.introductions.create({
      pairKey: 'bo|cy',
      memberIds: ['bo', 'cy'],
      memberId: 'bo',
      peerId: 'cy',
      runId: 'earlier',
      stepId: 'x',
      playbook: 'onboarding',
      createdAt: new Date(0),
    });
    expect(await introduce('ada')).toEqual({ status: 'matched', peerId: 'ed' });
    expect(await models.introductions.findOne({ pairKey: 'ada|ed' }).lean()).toMatchObject({
      memberIds: ['ada', 'ed'],
      runId: `run:onboarding:ada@${runOf('ada').startedAt}`,
      stepId: 'first-introduction',
    });
  });

  it('breaks a full tie by the smallest id', async () => {
    await models.members.create([
      member('ada', { interests: ['trail'] }),
      member('zed', { interests: ['trail'] }),
      member('max', { interests: ['trail'] }),
    ]);
    expect(await introduce('ada')).toEqual({ status: 'matched', peerId: 'max' });
  });

  it('returns the same peer when the step is retried', async () => {
    await models.members.create([
      member('ada', { interests: ['trail'] }),
      member('bo', { interests: ['trail'] }),
    ]);
    const first = await introduce('ada');
    await models.members.create(member('aa', { interests: ['trail'] }));
    expect(await introduce('ada')).toEqual(first);
    expect(await models.introductions.countDocuments()).toBe(1);
  });

  it('never introduces the same pair twice, in either direction', async () => {
    await models.members.create([
      member('ada', { interests: ['trail'] }),
      member('bo', { interests: ['trail'] }),
      member('cy', { interests: ['trail'] }),
    ]);
    expect(await introduce('ada')).toEqual({ status: 'matched', peerId: 'bo' });
    expect(await introduce('bo', {}, 'run:onboarding:bo')).toEqual({ status: 'matched', peerId: 'cy' });
    expect(await introduce('ada', { stepId: 'second' })).toEqual({ status: 'matched', peerId: 'cy' });
    const third = await introduce('cy', {}, 'run:onboarding:cy');
    expect(third).toEqual({
      status: 'skipped',
      reason: 'nobody fits: no active member who shares interests is left to introduce',
    });
  });

  it('matches within the same subgroup and on every `same` field', async () => {
    await models.members.create([
      member('ada', { interests: ['trail'], subgroup: 'north', profile: { languages: ['en', 'fr'] } }),
      member('bo', { interests: ['trail'], subgroup: 'south', profile: { languages: ['fr'] } }),
      member('cy', { interests: ['trail'], subgroup: 'north', profile: { languages: ['de'] } }),
      member('di', { interests: ['trail'], subgroup: 'north', profile: { languages: ['fr'] } }),
    ]);
    expect(await introduce('ada', { same: ['interests', 'profile.languages'], within: 'subgroup' })).toEqual({
      status: 'matched',
      peerId: 'di',
    });
  });

  it('skips with the reason when nobody fits or the member has nothing to match on', async () => {
    await models.members.create([
      member('ada', { interests: ['chess'] }),
      member('bo', { interests: ['trail'] }),
    ]);
    expect(await introduce('ada')).toEqual({
      status: 'skipped',
      reason: 'nobody fits: no active member who shares interests is left to introduce',
    });
    expect(await introduce('ada', { same: [], within: 'subgroup' })).toEqual({
      status: 'skipped',
      reason: 'nobody fits: the member has no subgroup',
    });
  });

  it('lets one of two runs introducing the same pair at once record it; the other picks again', async () => {
    await models.members.create([
      member('ada', { interests: ['trail', 'road'] }),
      member('bo', { interests: ['trail', 'road'] }),
      member('cy', { interests: ['trail'] }),
    ]);
    // ada's run wants bo and bo's run wants ada: the same pair, recorded once.
    const [ada, bo] = await Promise.all([introduce('ada'), introduce('bo', {}, 'run:onboarding:bo')]);
    const pairs = (await models.introductions.find().lean()).map((intro) => intro.pairKey).sort();
    expect(pairs).toHaveLength(2);
    expect(pairs[0]).toBe('ada|bo');
    expect(pairs[1]).toMatch(/^(ada|bo)\|cy$/);
    const peers = [ada, bo].map((outcome) => (outcome.status === 'matched' ? outcome.peerId : null));
    expect(peers.filter((peer) => peer === 'cy')).toHaveLength(1);
    expect(peers.filter((peer) => peer === 'ada' || peer === 'bo')).toHaveLength(1);
  });
});
