// ajv's errors, turned into what a manager reads: the line and column of the key or value that is wrong, and a
// sentence in their words built from the schema's own descriptions. Unions are explained as the kind the
// manager meant (a `wait:` step is checked as a wait step), never as a list of every kind they did not mean.

import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import { closestName, didYouMean } from '../didYouMean.js';
import { diagnosticAt } from '../yaml/yamlFile.js';
import type { PathTarget, YamlFile, YamlPath } from '../yaml/yamlFile.js';

export function schemaDiagnostics(file: YamlFile, errors: readonly ErrorObject[]): Diagnostic[] {
  // `if` only says that a `then` failed; the `then` errors say what.
  const pending = errors.filter((e) => e.keyword !== 'if');
  const covered = new Set<ErrorObject>();
  const diagnostics: Diagnostic[] = [];
  const report = (path: YamlPath, message: string, target: PathTarget = 'value'): void => {
    diagnostics.push(diagnosticAt(file, path, message, { target }));
  };
  /** Leaves out errors a union's explanation covers. */
  const drop = (isCovered: (e: ErrorObject) => boolean): void => {
    for (const e of pending) if (isCovered(e)) covered.add(e);
  };

  for (const e of pending.filter((e) => e.keyword === 'oneOf')) explainKeyedUnion(e, drop, report);
  for (const e of pending.filter((e) => e.keyword === 'anyOf' && !covered.has(e))) {
    explainAnyOf(e, drop, report);
  }
  for (const e of pending.filter((e) => e.keyword === 'propertyNames' && !covered.has(e))) {
    const name = text(e.params, 'propertyName') ?? '';
    drop((other) => other === e || (other.instancePath === e.instancePath && isUnder(other, e.schemaPath)));
    report(
      [...pathOf(e), name],
      `"${name}" is not ${text(e.schema, 'description') ?? 'a valid name'}`,
      'key',
    );
  }
  const remaining = pending.filter((e) => !covered.has(e) && !explainedByTypo(e, pending));
  // A value of the wrong type is wrong in one way only: say that, not what its fields would need.
  const typed = new Set(remaining.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const shown = new Set<string>();
  for (const e of remaining) {
    if (typed.has(e.instancePath) && e.keyword !== 'type') continue;
    if (e.keyword === 'type' && shown.has(e.instancePath)) continue;
    shown.add(e.instancePath);
    const { path, message, target } = describe(e);
    report(path, message, target);
  }
  return diagnostics;
}

/** `tempalte: welcome` is missing `template` only because of the typo the unknown-field message points at. */
function explainedByTypo(e: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (e.keyword !== 'required') return false;
  const missing = text(e.params, 'missingProperty') ?? '';
  return all.some(
    (other) =>
      other.keyword === 'additionalProperties' &&
      other.instancePath === e.instancePath &&
      closestName(text(other.params, 'additionalProperty') ?? '', [missing]) === missing,
  );
}

type Report = (path: YamlPath, message: string, target?: PathTarget) => void;
type Drop = (covered: (e: ErrorObject) => boolean) => void;

/** A step (trigger, audience, exit entry) with no kind key, or with two. */
function explainKeyedUnion(e: ErrorObject, drop: Drop, report: Report): void {
  const base = e.schemaPath.replace(/\/oneOf$/, '');
  const union = e.parentSchema;
  const title = text(union, 'title') ?? 'entry';
  const kinds = list(e.schema).flatMap((branch) => list(field(branch, 'required')).filter(isString));
  const data = e.data;
  const atThisUnion = (other: ErrorObject): boolean =>
    other.instancePath === e.instancePath && isUnder(other, base) && other.schemaPath !== `${base}/type`;
  // The other kinds' errors at this path are noise; a value that is not a mapping keeps its own type error.
  drop(atThisUnion);
  if (!isRecord(data)) return;
  const present = Object.keys(data).filter((key) => kinds.includes(key));
  if (present.length > 1) {
    const [first, second] = present;
    report(
      [...pathOf(e), second ?? ''],
      `this ${title} has both "${first}" and "${second}", and can only be one of them`,
      'key',
    );
    return;
  }
  const known = new Set(
    list(field(union, 'allOf')).flatMap((branch) =>
      Object.keys(record(field(field(branch, 'then'), 'properties'))),
    ),
  );
  const unknown = Object.keys(data).find((key) => !known.has(key));
  if (unknown === undefined) {
    report(pathOf(e), `this ${title} needs one of ${kinds.join(', ')}`);
    return;
  }
  const hint = didYouMean(unknown, kinds) || `: a ${title} is one of ${kinds.join(', ')}`;
  report([...pathOf(e), unknown], `unknown ${title} "${unknown}"${hint}`, 'key');
}

/** A value that may take several forms (`send_email: welcome` or `send_email: { template: ... }`). */
function explainAnyOf(e: ErrorObject, drop: Drop, report: Report): void {
  const branches = list(e.schema);
  const kind = jsonType(e.data);
  const fitting = branches.findIndex((branch) => {
    const type = field(branch, 'type');
    const sameType = type === kind || (type === 'number' && kind === 'integer');
    const constant = field(branch, 'const');
    return sameType && (constant === undefined || constant === e.data);
  });
  const under = (other: ErrorObject): boolean =>
    other.instancePath.startsWith(e.instancePath) && isUnder(other, e.schemaPath);
  if (fitting === -1) {
    drop((other) => other === e || under(other));
    report(pathOf(e), `${label(e)} must be ${text(e.parentSchema, 'description') ?? 'something else'}`);
    return;
  }
  // The form the manager chose: only its errors are worth reading.
  drop((other) => other === e || (under(other) && !isUnder(other, `${e.schemaPath}/${fitting}`)));
}

function describe(e: ErrorObject): { path: YamlPath; message: string; target: PathTarget } {
  const path = pathOf(e);
  const value = (message: string) => ({ path, message, target: 'value' as const });
  const description = text(e.parentSchema, 'description');
  switch (e.keyword) {
    case 'required': {
      const missing = text(e.params, 'missingProperty') ?? '';
      const wanted = text(field(field(e.parentSchema, 'properties'), missing), 'description');
      return value(`${owner(e)} needs ${missing}${wanted ? ` (${wanted})` : ''}`);
    }
    case 'additionalProperties': {
      const extra = text(e.params, 'additionalProperty') ?? '';
      const allowed = Object.keys(record(field(e.parentSchema, 'properties')));
      return {
        path: [...path, extra],
        message: `unknown field "${extra}" in ${owner(e)}${didYouMean(extra, allowed)}`,
        target: 'key',
      };
    }
    case 'type': {
      // The root's description is a sentence about the file, not a noun for the value.
      const noun = e.instancePath === '' ? undefined : description;
      return value(`${label(e)} must be ${noun ?? typeNoun(text(e.params, 'type'))}`);
    }
    case 'enum': {
      const allowed = list(field(e.params, 'allowedValues')).filter(isString);
      const written = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
      return value(
        `${label(e)} "${written}" is not one of ${allowed.join(', ')}${didYouMean(written, allowed)}`,
      );
    }
    case 'const':
      return value(`${label(e)} must be ${description ?? JSON.stringify(field(e.params, 'allowedValue'))}`);
    case 'pattern':
      return value(`"${String(e.data)}" is not ${description ?? 'written as expected'}`);
    case 'minItems':
    case 'minLength':
      return value(`${label(e)} must not be empty`);
    case 'minimum':
      return value(`${label(e)} must be at least ${String(field(e.params, 'limit'))}`);
    case 'minProperties': {
      const allowed = Object.keys(record(field(e.parentSchema, 'properties')));
      return value(`${label(e)} needs at least one of ${allowed.join(', ')}`);
    }
    default:
      return value(`${label(e)} is not valid here${description ? `: it must be ${description}` : ''}`);
  }
}

/** JSON pointer -> path segments; numbers stay strings, which positionOf reads as list indexes. */
function pathOf(e: ErrorObject): string[] {
  if (e.instancePath === '') return [];
  return e.instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** What the value at the error's path is called: its key, or, in a list, what the list holds. */
function label(e: ErrorObject): string {
  const path = pathOf(e);
  const last = path.at(-1);
  const title = text(e.parentSchema, 'title');
  if (last === undefined) return `the ${title ?? 'file'}`;
  if (!/^\d+$/.test(last)) return last;
  return title ? `this ${title}` : `each entry of ${path.at(-2) ?? 'the list'}`;
}

/** The mapping a missing or unknown field belongs to. */
function owner(e: ErrorObject): string {
  const title = text(e.parentSchema, 'title');
  if (e.instancePath === '') return `the ${title ?? 'file'}`;
  return title ? `this ${title}` : label(e);
}

function typeNoun(type: string | undefined): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping (key: value)';
    default:
      return 'something else';
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const isUnder = (e: ErrorObject, schemaPath: string): boolean => e.schemaPath.startsWith(`${schemaPath}/`);

// ajv types schemas and params loosely; these read them as unknown and check what they find.
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const isString = (value: unknown): value is string => typeof value === 'string';
const field = (value: unknown, key: string): unknown => (isRecord(value) ? value[key] : undefined);
const text = (value: unknown, key: string): string | undefined => {
  const found = field(value, key);
  return isString(found) ? found : undefined;
};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
