// In-memory matching of a condition against a run's context (`if`, `exit`), with sift. Paths are dotted
// (`member.profile.bio`) over plain JSON; an array field matches when one of its items does, as in MongoDB.
//
// Dates: records hold ISO 8601 strings. `$before`/`$within` parse them (or take Date objects) and compare
// instants. `$gt`/`$lt`/`$gte`/`$lte` compare values of the same type only, as MongoDB does: a string against
// a string compares as text, which orders full ISO 8601 UTC timestamps (`2025-03-01T10:00:00.000Z`) and plain
// dates (`2025-03-01`) chronologically; a Date against a string never matches. Write `$before`/`$within` for
// anything relative to now.

import type { Condition } from '../plan.js';
import { assertSafeCondition } from './allowlist.js';
import { toEpochMs } from './dates.js';
import { siftExports as sift } from './siftModule.js';

type SiftOperations = NonNullable<NonNullable<Parameters<typeof sift.createQueryTester>[1]>['operations']>;

/** sift's implementations of the allowlisted standard operators: the only ones a condition can use. */
const STANDARD_OPERATIONS: SiftOperations = {
  $eq: sift.$eq,
  $ne: sift.$ne,
  $gt: sift.$gt,
  $gte: sift.$gte,
  $lt: sift.$lt,
  $lte: sift.$lte,
  $in: sift.$in,
  $nin: sift.$nin,
  $exists: sift.$exists,
  $size: sift.$size,
  $and: sift.$and,
  $or: sift.$or,
  $nor: sift.$nor,
  $not: sift.$not,
};

function relativeTimeOperations(now: number): SiftOperations {
  const dateOperation =
    (name: string, test: (time: number, ms: number) => boolean): SiftOperations[string] =>
    (params: unknown, ownerQuery: unknown, options) => {
      if (typeof params !== 'number' || !Number.isFinite(params)) {
        throw new Error(`${name} needs a duration in milliseconds`);
      }
      return sift.createEqualsOperation(
        (value: unknown) => {
          const time = toEpochMs(value);
          return time !== null && test(time, params);
        },
        ownerQuery,
        options,
      );
    };
  return {
    // joined more than 14 days ago: the date is earlier than now - 14d
    $before: dateOperation('$before', (time, ms) => time < now - ms),
    // starts within the next 2 days: the date is between now and now + 2d
    $within: dateOperation('$within', (time, ms) => time >= now && time <= now + ms),
  };
}

/** Whether `context` satisfies `condition` at time `now` (ms epoch). Throws on a disallowed operator. */
export function matches(condition: Condition, context: object, now: number): boolean {
  assertSafeCondition(condition);
  // createQueryTester (unlike sift's default export) enables only the operations it is given.
  const operations = { ...STANDARD_OPERATIONS, ...relativeTimeOperations(now) };
  return sift.createQueryTester(condition, { operations })(context);
}
