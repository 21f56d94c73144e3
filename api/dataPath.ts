// Dotted paths into JSON (`data.respondent.email`, `profile.bio`), reading and writing own properties only:
// a path a community wrote, or a payload a stranger sent, never reaches Object.prototype.

import { ownEntry } from './plansSource.js';

/** The value at `path`, or undefined; numeric segments index arrays. */
export function getPath(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((current, segment) => {
    if (Array.isArray(current)) return /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    if (typeof current !== 'object' || current === null) return undefined;
    return Object.hasOwn(current, segment)
      ? (Object.getOwnPropertyDescriptor(current, segment)?.value as unknown)
      : undefined;
  }, value);
}

/**
 * Sets `path` in `target`, making objects on the way. Every segment becomes an own property, so that the
 * check of the event's data keys (safeJson.ts) sees a `__proto__` segment and refuses it.
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return;
  if (rest.length === 0) {
    define(target, head, value);
    return;
  }
  const existing = ownEntry(target, head);
  const child: Record<string, unknown> =
    typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? { ...existing } : {};
  setPath(child, rest.join('.'), value);
  define(target, head, child);
}

/** An own property even for a name like `__proto__` (which plain assignment would turn into a prototype). */
function define(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
