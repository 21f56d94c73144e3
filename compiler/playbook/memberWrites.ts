// What an `update_member` step may write, checked when the playbook is compiled rather than when a member
// reaches the step: which fields, and what each takes (null removes a field). The update activity applies
// the same rules again when it writes.
//
// A name that is not a member field is the community's own, and is kept under `attributes`
// (`onboarded` -> `attributes.onboarded`), where the member record holds such data.

import type { Diagnostic } from '../diagnostics.js';
import { closestName, didYouMean } from '../didYouMean.js';
import { MEMBER_FIELD_NAMES } from '../context.js';
import { MEMBER_STATUSES } from '../records.js';
import type { MemberRecord } from '../records.js';
import { timezoneProblem } from '../timezones.js';
import { diagnosticAt } from '../yaml/yamlFile.js';
import type { YamlFile, YamlPath } from '../yaml/yamlFile.js';
import { isPlainObject } from './condition.js';

type Kind = 'never' | 'text' | 'timezone' | 'status' | 'date' | 'text list' | 'object';

/** Every member field and what a playbook may write to it; typed so that a new field must be given a kind. */
const FIELD_KINDS: Record<keyof Required<MemberRecord>, Kind> = {
  // Identity, and what only the member or the mail system decides.
  _id: 'never',
  email: 'never',
  unsubscribed: 'never',
  emailStatus: 'never',
  // Kept by the engine from what the member did (domain/memberActivity/).
  activity: 'never',
  name: 'text',
  firstName: 'text',
  subgroup: 'text',
  timezone: 'timezone',
  status: 'status',
  joinedAt: 'date',
  approvedAt: 'date',
  lastActiveAt: 'date',
  interests: 'text list',
  tags: 'text list',
  profile: 'object',
  attributes: 'object',
};

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$/;

export function normaliseMemberWrites(
  file: YamlFile,
  at: YamlPath,
  set: Readonly<Record<string, unknown>>,
  problems: Diagnostic[],
): Record<string, unknown> {
  const report = (path: YamlPath, message: string, severity: Diagnostic['severity'] = 'error'): void => {
    problems.push(diagnosticAt(file, path, message, { target: 'key', severity }));
  };
  const writes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(set)) {
    const here = [...at, key];
    if (!FIELD_PATH.test(key) || key.split('.').some((part) => PROTOTYPE_KEYS.includes(part))) {
      report(here, `"${key}" is not a field name`);
      continue;
    }
    const [field = '', ...rest] = key.split('.');
    const kind = isMemberField(field) ? FIELD_KINDS[field] : null;
    if (kind === null) {
      const close = closestName(field, MEMBER_FIELD_NAMES);
      if (close !== null) {
        const message = `"${key}" is not a member field, so it is kept as attributes.${key} (did you mean "${close}"?)`;
        report(here, message, 'warning');
      }
      writes[`attributes.${key}`] = storedData(value, here, report);
      continue;
    }
    const problem =
      kind === 'never'
        ? neverWritten(field, key)
        : rest.length > 0 && kind !== 'object'
          ? `"${key}": ${field} has no fields to write`
          : rest.length > 0
            ? null
            : valueProblem(field, kind, value);
    if (problem !== null) {
      report(here, problem);
      continue;
    }
    writes[key] = storedData(value, here, report);
  }
  // MongoDB refuses one update that writes both `attributes` and `attributes.onboarded`.
  const paths = Object.keys(writes);
  const overlap = paths.find((path) => paths.some((other) => other.startsWith(`${path}.`)));
  if (overlap !== undefined) {
    const inner = paths.find((other) => other.startsWith(`${overlap}.`)) ?? '';
    report(at, `set writes both ${overlap} and ${inner}, which is inside it: write one of them`);
  }
  return writes;
}

function isMemberField(name: string): name is keyof typeof FIELD_KINDS {
  return Object.hasOwn(FIELD_KINDS, name);
}

/** Why a field no playbook writes is refused; member.activity says whose it is. */
function neverWritten(field: string, key: string): string {
  return field === 'activity'
    ? `member.${key} is what the member has done, kept by Tend as events arrive: a playbook cannot change it`
    : `a playbook cannot change ${field}`;
}

/** Why `value` cannot be written to a field of this kind (null removes the field), or null when it can. */
function valueProblem(
  field: string,
  kind: Exclude<Kind, 'never' | 'kept by tend'>,
  value: unknown,
): string | null {
  if (value === null && kind !== 'status' && kind !== 'text list') return null;
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? null : `${field} must be text, or null to remove it`;
    case 'timezone':
      return typeof value === 'string'
        ? timezoneProblem(value)
        : `${field} must be a time zone like Europe/London`;
    case 'status':
      return MEMBER_STATUSES.some((status) => status === value)
        ? null
        : `status must be one of ${MEMBER_STATUSES.join(', ')}${didYouMean(String(value), MEMBER_STATUSES)}`;
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? null
        : `${field} must be a time like 2026-03-14T18:30:00Z, or null to remove it`;
    case 'text list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? null
        : `${field} must be a list of text, like [running, cycling]`;
    case 'object':
      return isPlainObject(value) ? null : `${field} must be a mapping, or null to remove it`;
  }
}

/** A value to store: plain data, no `$` keys (MongoDB would read them as operators), no prototype names. */
function storedData(
  value: unknown,
  at: YamlPath,
  report: (path: YamlPath, message: string) => void,
): unknown {
  if (Array.isArray(value)) return value.map((item, index) => storedData(item, [...at, index], report));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, item]): Array<[string, unknown]> => {
      if (key.startsWith('$') || PROTOTYPE_KEYS.includes(key)) {
        report([...at, key], `"${key}" cannot be a key in stored data`);
        return [];
      }
      return [[key, storedData(item, [...at, key], report)]];
    }),
  );
}

/** The custom field a `set` key writes under attributes (`onboarded`, `attributes.onboarded`), or null. */
export function attributeWrittenBy(key: string): string | null {
  const [field = '', inner] = key.split('.');
  if (field === 'attributes') return inner === undefined || inner === '' ? null : inner;
  return isMemberField(field) || !FIELD_PATH.test(key) ? null : field;
}
