// Conditions: the in-memory matcher behind `if` and `exit`, and the MongoDB form behind audiences.
import { describe, expect, it } from 'vitest';
import { ConditionError } from '../../compiler/conditions/allowlist.js';
import { matches } from '../../compiler/conditions/evaluate.js';
import { toMongoQuery } from '../../compiler/conditions/mongoQuery.js';
import type { Condition } from '../../compiler/plan.js';

const NOW = Date.parse('2025-06-15T12:00:00.000Z');
const DAY = 24 * 3600 * 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

const context = {
  member: {
    _id: 'm1',
    status: 'active',
    tags: ['vip', 'runner'],
    interests: [],
    subgroup: 'north',
    joinedAt: iso(NOW - 20 * DAY),
    lastActiveAt: iso(NOW - 2 * DAY),
    profile: { bio: 'Likes hills', age: 41 },
  },
  event: { startsAt: iso(NOW + DAY), status: 'published', startsAtDate: new Date(NOW + DAY) },
  received: { type: 'event.updated', data: { changed: ['startsAt', 'location'] } },
};

describe('matches', () => {
  const cases: Array<[string, Condition, boolean]> = [
    ['equality on a dotted path', { 'member.status': 'active' }, true],
    ['$eq', { 'member.subgroup': { $eq: 'south' } }, false],
    ['$ne', { 'member.subgroup': { $ne: 'south' } }, true],
    ['$in over an array field', { 'member.tags': { $in: ['vip'] } }, true],
    ['$in with no common value', { 'member.tags': { $in: ['new'] } }, false],
    ['$nin', { 'member.status': { $nin: ['left', 'banned'] } }, true],
    ['$exists false on a missing path', { 'member.profile.photo': { $exists: false } }, true],
    ['$exists false on a present path', { 'member.profile.bio': { $exists: false } }, false],
    ['$exists true under a missing record', { 'rsvp.status': { $exists: true } }, false],
    ['$size', { 'member.tags': { $size: 2 } }, true],
    ['$size of an empty array', { 'member.interests': { $size: 0 } }, true],
    ['$gt on a number', { 'member.profile.age': { $gt: 40 } }, true],
    ['$lte on a number', { 'member.profile.age': { $lte: 40 } }, false],
    ['$or', { $or: [{ 'member.tags': { $in: ['new'] } }, { 'member.subgroup': 'north' }] }, true],
    ['$and', { $and: [{ 'member.status': 'active' }, { 'member.subgroup': 'south' }] }, false],
    ['$nor', { $nor: [{ 'member.status': 'left' }, { 'member.status': 'banned' }] }, true],
    ['$not', { 'member.subgroup': { $not: { $in: ['north'] } } }, false],
    ['an array of changed fields', { 'received.data.changed': { $in: ['startsAt'] } }, true],
    ['$before: joined more than 14 days ago', { 'member.joinedAt': { $before: 14 * DAY } }, true],
    ['$before: joined more than 30 days ago', { 'member.joinedAt': { $before: 30 * DAY } }, false],
    ['$before on a missing date', { 'member.approvedAt': { $before: DAY } }, false],
    ['$not $before on a missing date', { 'member.approvedAt': { $not: { $before: DAY } } }, true],
    ['$within: starts within 2 days', { 'event.startsAt': { $within: 2 * DAY } }, true],
    ['$within: starts within 1 hour', { 'event.startsAt': { $within: 3600 * 1000 } }, false],
    ['$within on a date in the past', { 'member.lastActiveAt': { $within: 30 * DAY } }, false],
    ['$within on a Date object', { 'event.startsAtDate': { $within: 2 * DAY } }, true],
    ['$before on text that is no date', { 'member.status': { $before: DAY } }, false],
    // Same-type comparison: ISO strings order as text, which is chronological for UTC timestamps.
    ['$gt between ISO strings', { 'member.joinedAt': { $gt: '2025-05-01' } }, true],
    ['$lt between ISO strings', { 'member.joinedAt': { $lt: '2025-05-01T00:00:00.000Z' } }, false],
    ['$gt of a Date against an ISO string', { 'member.joinedAt': { $gt: new Date(0) } }, false],
  ];
  it.each(cases)('%s', (_name, condition, expected) => {
    expect(matches(condition, context, NOW)).toBe(expected);
  });

  it('measures $before and $within from the given now, not the clock', () => {
    const condition = { 'member.joinedAt': { $before: 30 * DAY } };
    expect(matches(condition, context, NOW)).toBe(false);
    expect(matches(condition, context, NOW + 11 * DAY)).toBe(true);
  });
});

describe('refused conditions', () => {
  const refused: Array<[string, Condition, RegExp]> = [
    ['$where', { $where: 'this.member.status == "active"' }, /operator "\$where" is not allowed/],
    ['$expr', { $expr: { $eq: ['$member.status', 'active'] } }, /operator "\$expr" is not allowed/],
    ['$regex', { 'member.name': { $regex: '^A' } }, /operator "\$regex" is not allowed/],
    [
      '$function nested in $or',
      { $or: [{ a: { $function: {} } }] },
      /condition\.\$or\[0\]\.a: operator "\$function"/,
    ],
    ['$elemMatch', { 'member.tags': { $elemMatch: { $eq: 'x' } } }, /"\$elemMatch" is not allowed/],
    [
      'a __proto__ path',
      { 'member.__proto__.polluted': 1 },
      /field "member.__proto__.polluted" is not allowed/,
    ],
    ['a constructor key', { constructor: { prototype: 1 } }, /field "constructor" is not allowed/],
    ['a $ inside a path', { 'member.$x': 1 }, /may not contain "\$"/],
    ['a RegExp value', { 'member.name': /^A/ }, /only plain JSON values/],
    ['$before without a duration', { 'member.joinedAt': { $before: '14d' } }, /\$before must be a duration/],
  ];
  it.each(refused)('refuses %s when matching', (_name, condition, message) => {
    expect(() => matches(condition, context, NOW)).toThrow(ConditionError);
    expect(() => matches(condition, context, NOW)).toThrow(message);
  });
  it.each(refused)('refuses %s as a MongoDB query', (_name, condition, message) => {
    expect(() => toMongoQuery(condition, new Date(NOW))).toThrow(message);
  });
});

describe('toMongoQuery', () => {
  const now = new Date(NOW);
  const cases: Array<[string, Condition, Record<string, unknown>]> = [
    [
      'an audience of quiet members',
      { status: 'active', lastActiveAt: { $before: 30 * DAY } },
      { status: 'active', lastActiveAt: { $lt: new Date(NOW - 30 * DAY) } },
    ],
    [
      '$within becomes a closed range from now',
      { startsAt: { $within: 2 * DAY } },
      { startsAt: { $gte: new Date(NOW), $lte: new Date(NOW + 2 * DAY) } },
    ],
    [
      'relative operators inside $or and $not',
      { $or: [{ joinedAt: { $not: { $before: DAY } } }, { tags: { $in: ['vip'] } }] },
      { $or: [{ joinedAt: { $not: { $lt: new Date(NOW - DAY) } } }, { tags: { $in: ['vip'] } }] },
    ],
    [
      'other operators pass through',
      { attended: true, status: { $ne: 'cancelled' }, tags: { $size: 0 }, bio: { $exists: false } },
      { attended: true, status: { $ne: 'cancelled' }, tags: { $size: 0 }, bio: { $exists: false } },
    ],
    [
      '$before next to $exists on one field',
      { lastActiveAt: { $exists: true, $before: DAY } },
      { lastActiveAt: { $exists: true, $lt: new Date(NOW - DAY) } },
    ],
  ];
  it.each(cases)('%s', (_name, condition, expected) => {
    expect(toMongoQuery(condition, now)).toEqual(expected);
  });

  it('refuses two bounds of the same kind on one field', () => {
    expect(() => toMongoQuery({ joinedAt: { $lt: new Date(0), $before: DAY } }, now)).toThrow(
      /\$lt is given twice/,
    );
  });

  it('does not change the condition it is given', () => {
    const condition = { lastActiveAt: { $before: DAY } };
    toMongoQuery(condition, now);
    expect(condition).toEqual({ lastActiveAt: { $before: DAY } });
  });
});
