// A form submission as an event: community.yaml maps each form field to a member field (`email`, `name`,
// `interests`, `profile.bio`, ...). The email goes into the event's `email`; every other field into `data`,
// where the event's type gives it meaning (member.applied sets the member's fields from it).

import type { TendEvent } from '../compiler/events.js';
import { BadRequest } from './errors.js';
import { setPath } from './dataPath.js';
import { ownEntry, type FormConfig } from './plansSource.js';

/** A field no person fills in: a bot that fills every field gives itself away. */
const HONEYPOT_FIELD = 'website';

/** Member fields that hold lists: a form sends several values, or one comma-separated line. */
const LIST_FIELDS = new Set(['interests', 'tags']);

export type FormFields = Record<string, string | string[]>;

export function isHoneypotFilled(fields: FormFields): boolean {
  const value = ownEntry(fields, HONEYPOT_FIELD);
  return value !== undefined && values(value).length > 0;
}

export function formEvent(name: string, form: FormConfig, fields: FormFields): TendEvent {
  const event: TendEvent = { type: form.event };
  const data: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (field === HONEYPOT_FIELD) continue;
    const target = ownEntry(form.member, field);
    if (target === undefined) {
      const known = Object.keys(form.member).join(', ');
      throw new BadRequest(
        `the form has a field "${field}" that the ${name} form does not take (it takes ${known})`,
      );
    }
    const given = values(value);
    if (given.length === 0) continue;
    if (target === 'email') event.email = given.join('');
    else setPath(data, target, LIST_FIELDS.has(target) ? given.flatMap(splitList) : given.join(', '));
  }
  return Object.keys(data).length === 0 ? event : { ...event, data };
}

/** The non-empty, trimmed values of a field (a repeated field arrives as an array). */
function values(value: string | string[]): string[] {
  return (Array.isArray(value) ? value : [value])
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
