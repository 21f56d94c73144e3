// Turns the schema validator's findings into one sentence a client can act on, naming the field:
// `body[3].type must be lowercase words separated by dots, e.g. member.approved`.

import type { FastifySchemaValidationError } from 'fastify';
import { EVENT_TYPE_PATTERN } from '../compiler/events.js';
import { ID_PATTERN, NAME_PATTERN, SAFE_KEY_PATTERN, SAFE_KEY_RULE } from './schemas/common.js';
import { BadRequest } from './errors.js';

/** What each pattern means, in words: a bare regular expression helps nobody. */
const PATTERN_MEANINGS: Record<string, string> = {
  [EVENT_TYPE_PATTERN.source]: 'must be lowercase words separated by dots, e.g. member.approved',
  [ID_PATTERN]: 'must be letters, digits and . _ : - (at most 200 characters)',
  [NAME_PATTERN]: 'must be lowercase letters, digits and - (at most 63 characters)',
  [SAFE_KEY_PATTERN]: SAFE_KEY_RULE,
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const FORMAT_NAMES: Record<string, string> = {
  email: 'an email address',
  'date-time': 'an ISO 8601 date and time, e.g. 2025-06-01T18:30:00Z',
};

export function validationError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  return new BadRequest(describeValidationErrors(errors, dataVar));
}

export function describeValidationErrors(errors: FastifySchemaValidationError[], dataVar: string): string {
  // A union (one event or an array of events) reports a failure per branch; the deepest one is the branch
  // the client meant, and failures of both branches at the same place are "must be X or Y".
  const specific = errors.filter((error) => error.keyword !== 'anyOf' && !('propertyName' in error));
  const deepest = Math.max(...specific.map((error) => depth(error.instancePath)));
  const atDeepest = specific.filter((error) => depth(error.instancePath) === deepest);
  const first = atDeepest[0];
  if (!first) return `${dataVar} is not valid`;
  const where = fieldPath(dataVar, first.instancePath);
  const types = atDeepest
    .filter((error) => error.keyword === 'type')
    .map((error) => String(error.params.type));
  if (types.length > 1)
    return `${where} must be ${types.map((type) => TYPE_NAMES[type] ?? type).join(' or ')}`;
  return `${where} ${describe(first)}`;
}

function describe(error: FastifySchemaValidationError): string {
  const { params } = error;
  switch (error.keyword) {
    case 'required':
      return `is missing the field "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `has an unknown field "${String(params.additionalProperty)}"`;
    case 'propertyNames':
      return `has a field named ${JSON.stringify(String(params.propertyName))}: ${SAFE_KEY_RULE}`;
    case 'type':
      return `must be ${TYPE_NAMES[String(params.type)] ?? String(params.type)}`;
    case 'pattern':
      return PATTERN_MEANINGS[String(params.pattern)] ?? `must match ${String(params.pattern)}`;
    case 'format':
      return `must be ${FORMAT_NAMES[String(params.format)] ?? String(params.format)}`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters`;
    case 'minLength':
      return Number(params.limit) === 1
        ? 'must not be empty'
        : `must be at least ${String(params.limit)} characters`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    case 'minItems':
      return `must have at least ${String(params.limit)} item${Number(params.limit) === 1 ? '' : 's'}`;
    case 'maxProperties':
      return `must have at most ${String(params.limit)} fields`;
    case 'enum':
      return `must be one of: ${Array.isArray(params.allowedValues) ? params.allowedValues.join(', ') : ''}`;
    case 'minimum':
    case 'maximum':
      return `must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`;
    default:
      return error.message ?? 'is not valid';
  }
}

function depth(instancePath: string): number {
  return instancePath === '' ? 0 : instancePath.split('/').length - 1;
}

/** `/3/data/a~1b` in the body -> `body[3].data["a/b"]` */
function fieldPath(root: string, instancePath: string): string {
  if (instancePath === '') return root;
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, segment) => {
      if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) return `${path}.${segment}`;
      return `${path}[${JSON.stringify(segment)}]`;
    }, root);
}
