// Data a playbook writes into a member record must stay data: no key that MongoDB reads as an operator
// (`$set`), no key that reaches an object's prototype (`__proto__`), no dotted key that MongoDB reads as a
// path, only plain JSON values.

import { invalidInput } from '../../contract/errors.js';

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A field name or one segment of a path: `bio`, `home_town`, `t-shirt`. */
const NAME = /^[A-Za-z0-9_-]+$/;
/** Deeper than any profile a community keeps, shallow enough to stop a crafted, endlessly nested value. */
const MAX_DEPTH = 16;

/** Whether `name` may be a field name in a member record. */
export function isSafeName(name: string): boolean {
  return NAME.test(name) && !PROTOTYPE_KEYS.has(name);
}

/** Throws (not retryable) unless `value` is plain JSON whose every key is a safe name. */
export function assertSafeData(value: unknown, where: string, depth = 0): void {
  if (depth > MAX_DEPTH) throw invalidInput(`${where}: nested more than ${MAX_DEPTH} levels deep`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw invalidInput(`${where}: ${String(value)} is not a number that can be stored`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertSafeData(item, `${where}[${index}]`, depth + 1));
    return;
  }
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) {
    throw invalidInput(`${where}: only text, numbers, true/false, lists and objects can be stored`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isSafeName(key))
      throw invalidInput(`${where}: "${key}" cannot be a field name (letters, digits, _ and - only)`);
    assertSafeData(item, `${where}.${key}`, depth + 1);
  }
}
