// Small schema builders over TypeBox. Each schema carries a `description` written as a noun phrase in a
// manager's words ("a duration like 3d"): editors show it on hover, and the compiler's messages quote it
// ("wait must be a duration like 3d"), so the two never say different things.

import { Type } from '@sinclair/typebox';
import type { ObjectOptions, Static, TObject, TProperties, TSchema, TUnsafe } from '@sinclair/typebox';

/** Text that must match `pattern`; `description` says what it is and is the message when it does not. */
export const Pattern = (pattern: RegExp, description: string) =>
  Type.String({ pattern: pattern.source, description });

export function StringEnum<const T extends readonly string[]>(
  values: T,
  description: string,
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
}

/** A mapping that accepts only the keys it names: a typo is an error, never silently ignored. */
export const Strict = <T extends TProperties>(properties: T, options: ObjectOptions = {}): TObject<T> =>
  Type.Object(properties, { additionalProperties: false, ...options });

/**
 * A mapping that is one of several kinds, told apart by the key it has: a step is a `wait:` step or a
 * `send_email:` step. Written as `oneOf` (exactly one kind key) plus `if`/`then` per kind, so that a validator
 * reports the errors of the kind the manager wrote, not of every kind they did not mean.
 */
export function KeyedUnion<T extends Record<string, TObject>>(
  branches: T,
  options: { title: string; description: string },
): TUnsafe<Static<T[keyof T]>> {
  const keys = Object.keys(branches);
  const branch = (key: string): TSchema | undefined => branches[key];
  return Type.Unsafe<Static<T[keyof T]>>({
    type: 'object',
    ...options,
    // Hover help for each kind key in an editor; validation happens in the `then` of its kind.
    properties: Object.fromEntries(
      keys.map((key) => [key, { description: branch(key)?.description ?? key }]),
    ),
    oneOf: keys.map((key) => ({ required: [key] })),
    allOf: keys.map((key) => ({ if: { required: [key] }, then: branch(key) })),
  });
}

/** A list that may be empty unless said otherwise. */
export const List = <T extends TSchema>(items: T, description: string, minItems = 0) =>
  Type.Array(items, { description, ...(minItems > 0 ? { minItems } : {}) });
