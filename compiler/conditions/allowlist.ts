// The one list of query operators a playbook or a request may use, and the walk that enforces it. Conditions
// become MongoDB queries (audiences) and in-memory matches (if, exit): an operator outside this list could
// run code on the database (`$where`, `$function`) or make a query unbounded (`$regex`), so anything else is
// refused here even though the compiler has already refused it (defence in depth).

export const ALLOWED_OPERATORS = [
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$size',
  '$and',
  '$or',
  '$nor',
  '$not',
  '$before',
  '$within',
] as const;
export type AllowedOperator = (typeof ALLOWED_OPERATORS)[number];

/** Tend's own operators: they take a duration in milliseconds, relative to "now". */
export const RELATIVE_TIME_OPERATORS = ['$before', '$within'] as const;

/** Keys that would reach an object's prototype if used as a field name or path segment. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class ConditionError extends Error {
  override name = 'ConditionError';
}

export function isAllowedOperator(key: string): key is AllowedOperator {
  return (ALLOWED_OPERATORS as readonly string[]).includes(key);
}

/**
 * Checks every key and value of a condition: operators are allowlisted, no path segment reaches a prototype,
 * `$before`/`$within` hold a number of milliseconds, and values are plain JSON (a RegExp or a function would
 * be read as a pattern or as code by a query engine). Throws a ConditionError naming the offending path.
 */
export function assertSafeCondition(condition: unknown, where = 'condition'): void {
  if (condition === null || typeof condition !== 'object') {
    throw new ConditionError(`${where} must be an object`);
  }
  assertSafeValue(condition, where);
}

function assertSafeValue(value: unknown, where: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new ConditionError(`${where}: ${String(value)} is not a finite number`);
    return;
  }
  if (value instanceof Date) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertSafeValue(item, `${where}[${index}]`));
    return;
  }
  if (!isPlainObject(value)) throw new ConditionError(`${where}: only plain JSON values are allowed`);
  for (const [key, child] of Object.entries(value)) {
    assertSafeKey(key, where);
    if ((RELATIVE_TIME_OPERATORS as readonly string[]).includes(key) && typeof child !== 'number') {
      throw new ConditionError(`${where}.${key} must be a duration`);
    }
    assertSafeValue(child, `${where}.${key}`);
  }
}

function assertSafeKey(key: string, where: string): void {
  if (key.startsWith('$')) {
    if (!isAllowedOperator(key)) {
      throw new ConditionError(
        `${where}: operator "${key}" is not allowed (allowed: ${ALLOWED_OPERATORS.join(' ')})`,
      );
    }
    return;
  }
  for (const segment of key.split('.')) {
    if (PROTOTYPE_KEYS.has(segment)) throw new ConditionError(`${where}: field "${key}" is not allowed`);
    if (segment.startsWith('$')) throw new ConditionError(`${where}: field "${key}" may not contain "$"`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
