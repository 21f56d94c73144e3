// A condition as a MongoDB query, for audiences and record queries. Tend's relative-time operators become
// absolute date ranges at the moment the query runs; every other allowlisted operator passes through as it is,
// and anything else is refused (the compiler already refuses it: this is defence in depth).

import type { Condition } from '../plan.js';
import { assertSafeCondition, ConditionError, isPlainObject } from './allowlist.js';

/** `{ lastActiveAt: { $before: 30d } }` -> `{ lastActiveAt: { $lt: <now - 30d> } }`, and so on. */
export function toMongoQuery(condition: Condition, now: Date): Record<string, unknown> {
  assertSafeCondition(condition);
  return translateObject(condition, now.getTime());
}

function translate(value: unknown, now: number): unknown {
  if (Array.isArray(value)) return value.map((item) => translate(item, now));
  if (isPlainObject(value)) return translateObject(value, now);
  return value;
}

function translateObject(object: Readonly<Record<string, unknown>>, now: number): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  const put = (key: string, value: unknown): void => {
    if (Object.hasOwn(query, key)) {
      throw new ConditionError(`${key} is given twice for one field (from $before/$within): write one bound`);
    }
    query[key] = value;
  };
  for (const [key, value] of Object.entries(object)) {
    if (key === '$before') {
      put('$lt', new Date(now - durationOf(value)));
    } else if (key === '$within') {
      put('$gte', new Date(now));
      put('$lte', new Date(now + durationOf(value)));
    } else {
      put(key, translate(value, now));
    }
  }
  return query;
}

function durationOf(value: unknown): number {
  // assertSafeCondition has checked this already; the type guard keeps the compiler honest.
  if (typeof value !== 'number') throw new ConditionError('$before/$within need a duration');
  return value;
}
