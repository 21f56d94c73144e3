// A condition as a manager writes it (`{ member.joinedAt: { $before: 14d } }`), checked and normalised: only
// allowlisted operators, operators where MongoDB expects them, data without `$` keys or prototype names, and
// `$before`/`$within` durations in milliseconds. The field paths it names are returned with their positions,
// to be checked against what the run can see (validate.ts).

import { ALLOWED_OPERATORS, RELATIVE_TIME_OPERATORS } from '../conditions/allowlist.js';
import type { Condition } from '../plan.js';
import type { Diagnostic } from '../diagnostics.js';
import { didYouMean } from '../didYouMean.js';
import { parseDuration } from '../duration.js';
import { diagnosticAt } from '../yaml/yamlFile.js';
import type { YamlFile, YamlPath } from '../yaml/yamlFile.js';

export interface FieldUse {
  /** As written: `member.joinedAt` (context) or `lastActiveAt` (audience). */
  path: string;
  /** Where the field's key is. */
  at: YamlPath;
  /** `$before`/`$within` on it: it must be a date. */
  dateOperator: string | null;
}

export interface NormalisedCondition {
  condition: Condition;
  fields: FieldUse[];
}

const LOGICAL = ['$and', '$or', '$nor'];
const COMPARISONS = ['$gt', '$gte', '$lt', '$lte'];
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function normaliseCondition(
  file: YamlFile,
  at: YamlPath,
  raw: Readonly<Record<string, unknown>>,
  options: { allowEmpty: boolean },
  problems: Diagnostic[],
): NormalisedCondition {
  const fields: FieldUse[] = [];
  const problem = (path: YamlPath, message: string, target: 'key' | 'value' = 'key'): void => {
    problems.push(diagnosticAt(file, path, message, { target }));
  };

  const whole = (object: Readonly<Record<string, unknown>>, path: YamlPath): Condition => {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      const here = [...path, key];
      if (!key.startsWith('$')) {
        result[key] = field(key, value, here);
      } else if (LOGICAL.includes(key)) {
        if (!Array.isArray(value) || value.length === 0 || !value.every(isPlainObject)) {
          problem(
            here,
            `${key} takes a list of conditions, like ${key}: [ { member.subgroup: north }, { ... } ]`,
            'value',
          );
          continue;
        }
        result[key] = value.map((item, index) => whole(item, [...here, index]));
      } else if (isAllowed(key)) {
        problem(here, `${key} compares a field: write it under one, like { member.status: { ${key}: ... } }`);
      } else {
        problem(here, notAllowed(key));
      }
    }
    return result;
  };

  const field = (path: string, value: unknown, here: YamlPath): unknown => {
    if (path.split('.').some((segment) => PROTOTYPE_KEYS.has(segment) || segment === '')) {
      problem(here, `"${path}" is not a field path`);
    }
    if (!isPlainObject(value) || !Object.keys(value).some((key) => key.startsWith('$'))) {
      fields.push({ path, at: here, dateOperator: null });
      return literal(value, here);
    }
    return operatorObject(value, here, path);
  };

  const operatorObject = (
    object: Readonly<Record<string, unknown>>,
    here: YamlPath,
    path: string,
  ): unknown => {
    if (!Object.keys(object).every((key) => key.startsWith('$'))) {
      problem(
        here,
        'this mixes operators ($...) and fields: write { $gt: 1 } or { field: value }, not both',
        'value',
      );
      return object;
    }
    const result: Record<string, unknown> = {};
    let dateOperator: string | null = null;
    for (const [op, arg] of Object.entries(object)) {
      const at = [...here, op];
      if (!isAllowed(op)) {
        problem(at, notAllowed(op));
      } else if (LOGICAL.includes(op)) {
        problem(at, `${op} combines whole conditions: use it at the top, like { ${op}: [ {...}, {...} ] }`);
      } else if ((RELATIVE_TIME_OPERATORS as readonly string[]).includes(op)) {
        dateOperator = op;
        const duration = typeof arg === 'string' ? parseDuration(arg, { allowNegative: false }) : null;
        if (duration?.ok) result[op] = duration.ms;
        else problem(at, duration?.message ?? `${op} takes a duration, like ${op}: 14d`, 'value');
      } else if (op === '$not') {
        if (isPlainObject(arg) && Object.keys(arg).length > 0) result[op] = operatorObject(arg, at, path);
        else problem(at, '$not takes operators, like $not: { $in: [left, banned] }', 'value');
      } else {
        result[op] = operand(op, arg, at);
      }
    }
    fields.push({ path, at: here, dateOperator });
    return result;
  };

  const operand = (op: string, arg: unknown, at: YamlPath): unknown => {
    if ((op === '$in' || op === '$nin') && !Array.isArray(arg)) {
      problem(at, `${op} takes a list, like ${op}: [left, banned]`, 'value');
    } else if (op === '$exists' && typeof arg !== 'boolean') {
      problem(at, '$exists takes true or false', 'value');
    } else if (op === '$size' && !(typeof arg === 'number' && Number.isInteger(arg) && arg >= 0)) {
      problem(at, '$size takes a whole number, like $size: 0', 'value');
    } else if (COMPARISONS.includes(op) && typeof arg === 'object' && arg !== null) {
      problem(at, `${op} compares with one value, like ${op}: 5`, 'value');
    }
    return literal(arg, at);
  };

  /** Plain data: no operator keys (they would be read as operators) and no prototype names. */
  const literal = (value: unknown, at: YamlPath): unknown => {
    if (Array.isArray(value)) return value.map((item, index) => literal(item, [...at, index]));
    if (!isPlainObject(value)) return value;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('$') || PROTOTYPE_KEYS.has(key))
        problem([...at, key], `"${key}" cannot be a key in a value`);
      result[key] = literal(item, [...at, key]);
    }
    return result;
  };

  if (!options.allowEmpty && Object.keys(raw).length === 0) {
    problem(
      at,
      'an empty condition is always true: say what must hold, like { member.status: active }',
      'value',
    );
  }
  return { condition: whole(raw, at), fields };
}

function isAllowed(key: string): boolean {
  return (ALLOWED_OPERATORS as readonly string[]).includes(key);
}

function notAllowed(key: string): string {
  const hint = didYouMean(key, ALLOWED_OPERATORS) || `: use ${ALLOWED_OPERATORS.join(' ')}`;
  return `operator "${key}" is not allowed in a condition${hint}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
