// Building blocks of the route schemas. Every id is a bounded string with a pattern, so that nothing a client
// sends becomes a MongoDB operator, a prototype key or an unbounded string in a workflow id.

import { Type } from '@sinclair/typebox';

/** Ids of events, members and community events: letters, digits and `. _ : -`, up to 200 characters. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$';

/** A key inside free-form `data`: never an operator, a dotted path or a prototype property. */
export const SAFE_KEY_PATTERN = '^(?!(?:__proto__|constructor|prototype)$)[^$.\\u0000][^.\\u0000]{0,127}$';
export const SAFE_KEY = new RegExp(SAFE_KEY_PATTERN);
export const SAFE_KEY_RULE =
  'field names may not start with $, contain a dot, or be __proto__, constructor or prototype';

/** A playbook, form or webhook name as community.yaml and the playbooks folder spell it. */
export const NAME_PATTERN = '^[a-z][a-z0-9-]{0,62}$';

export const Id = (description: string) => Type.String({ pattern: ID_PATTERN, maxLength: 200, description });
export const Name = Type.String({ pattern: NAME_PATTERN, maxLength: 63 });

/** One of a fixed list of strings: a JSON Schema `enum` (a readable "must be one of" when it fails). */
export const OneOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(Type.String({ enum: [...values], ...(description === undefined ? {} : { description }) }));

const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'Stable, machine-readable: branch on it.' }),
        message: Type.String({ description: 'What went wrong, in words, naming the field.' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The responses every route may give besides its own: schemas make them part of the OpenAPI page. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, ErrorBody]));

/** A page for a person (the pages behind signed links, the answers to forms). */
export const HtmlPage = Type.String({ description: 'An HTML page' });
