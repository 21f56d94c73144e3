// One ajv instance for every schema the compiler checks: all errors at once (a manager fixes a file in one go),
// with the failing data and schema attached (verbose) so that messages can quote both.

import { Ajv } from 'ajv';
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false });

export interface Validator<T> {
  /** Narrows `value` to the schema's type: the compiler reads parsed YAML only through this. */
  is(value: unknown): value is T;
  /** Every way `value` breaks the schema (empty when it fits). */
  errors(value: unknown): ErrorObject[];
}

export function validator<S extends TSchema>(schema: S): Validator<Static<S>> {
  const jsonSchema: SchemaObject = schema;
  let compiled: ValidateFunction<Static<S>> | null = null;
  // Compiled on first use: `tend validate` pays only for the schemas it meets.
  const check = () => (compiled ??= ajv.compile<Static<S>>(jsonSchema));
  return {
    is: (value: unknown): value is Static<S> => check()(value),
    errors(value) {
      const validate = check();
      return validate(value) ? [] : [...(validate.errors ?? [])];
    },
  };
}
