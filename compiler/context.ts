// What a run can see, by name: the roots and fields that conditions and templates may read, and when each root
// is there at all. The compiler checks every path a playbook or template names against this, so that a typo or
// a record the run will never have is a compile error, not an empty line in an email.
//
// The shapes follow the records in records.ts and the template context in templates/context.ts; their key
// lists are typed against those interfaces, so adding a field there without adding it here does not compile.

import { closestName } from './didYouMean.js';
import { DATE_FIELDS, RECORD_FIELDS } from './records.js';
import type { RenderLinks } from './templates/render.js';
import type { TemplateCommunity, TemplateContext, TemplateEvent, TemplateRun } from './templates/context.js';
import type {
  TemplateApplication,
  TemplateAtRiskMember,
  TemplateComingEvent,
  TemplateFigure,
  TemplateReport,
  TemplateReportFigures,
} from './templates/report.js';

export type Shape =
  | { kind: 'record'; noun: string; fields: ReadonlyMap<string, Shape>; custom: string | null }
  | { kind: 'list'; of: Shape }
  | { kind: 'value'; date: boolean }
  | { kind: 'any' };

const date: Shape = { kind: 'value', date: true };
export const ANY: Shape = { kind: 'any' };

/**
 * A record from a field list: `profile.*` is a free-form object, `activity.rsvps` a field of the nested record
 * `activity`, and names in `dates` (`activity.lastRsvpAt` too) hold dates.
 */
function record(
  noun: string,
  fields: readonly string[],
  dates: readonly string[],
  custom: string | null = null,
): Shape {
  const entries = new Map<string, Shape>();
  const nested = new Map<string, string[]>();
  for (const name of fields) {
    const [head = name, ...rest] = name.split('.');
    if (rest.join('.') === '*') entries.set(head, ANY);
    else if (rest.length > 0) nested.set(head, [...(nested.get(head) ?? []), rest.join('.')]);
    // A shape of its own for every field, so that one field can be told apart by identity (EMAILS_7D).
    else entries.set(name, { kind: 'value', date: dates.includes(name) });
  }
  for (const [head, inner] of nested) {
    const innerDates = dates
      .filter((name) => name.startsWith(`${head}.`))
      .map((name) => name.slice(head.length + 1));
    entries.set(head, record(`${noun} ${head}`, inner, innerDates));
  }
  return { kind: 'record', noun, fields: entries, custom };
}

type Fields<T> = Record<keyof T, 'value' | 'date' | 'any'>;
function fromKinds<T>(noun: string, kinds: Fields<T>): Shape {
  const entries = Object.entries<'value' | 'date' | 'any'>(kinds);
  return record(
    noun,
    entries.map(([name, kind]) => (kind === 'any' ? `${name}.*` : name)),
    entries.filter(([, kind]) => kind === 'date').map(([name]) => name),
  );
}

/** The member's own field names (`profile`, not `profile.*`; `activity` once, not each of its fields). */
export const MEMBER_FIELD_NAMES = [
  ...new Set(RECORD_FIELDS.member.map((name) => name.split('.')[0] ?? name)),
];

export const MEMBER = record('member', RECORD_FIELDS.member, DATE_FIELDS.member, 'attributes');
const EVENT = record('event', RECORD_FIELDS.event, DATE_FIELDS.event);
export const RSVP = record('RSVP', RECORD_FIELDS.rsvp, DATE_FIELDS.rsvp);

/**
 * `member.activity.emails7d` (and the peer's, the same shape): the one field that costs a query each time the
 * records are loaded (a count of the deliveries), so the compiler notes whether a plan can read it.
 */
export const EMAILS_7D: Shape = fieldOf(MEMBER, ['activity', 'emails7d']);

function fieldOf(shape: Shape, [head, ...rest]: readonly string[]): Shape {
  if (head === undefined) return shape;
  const field = shape.kind === 'record' ? shape.fields.get(head) : undefined;
  if (field === undefined) throw new Error(`the member shape has no field ${head}`);
  return fieldOf(field, rest);
}

/**
 * Whether reading a value of this shape can show `member.activity.emails7d`: the field itself, or a record or
 * list that holds it (`member`, `member.activity`, printed or handed to a helper whole).
 */
export function exposesEmails7d(shape: Shape): boolean {
  if (shape === EMAILS_7D) return true;
  if (shape.kind === 'list') return exposesEmails7d(shape.of);
  return shape.kind === 'record' && [...shape.fields.values()].some(exposesEmails7d);
}

const EVENT_MESSAGE = fromKinds<TemplateEvent>('event', { type: 'value', data: 'any', occurredAt: 'date' });
const COMMUNITY = fromKinds<TemplateCommunity>('community', {
  name: 'value',
  timezone: 'value',
  from: 'value',
  reply_to: 'value',
  managers: 'value',
  postal_address: 'value',
});
const RUN = fromKinds<TemplateRun>('run', {
  id: 'value',
  playbook: 'value',
  version: 'value',
  startedAt: 'date',
});
/** The run as conditions see it: the interpreter checks them before it has a workflow id to show. */
const RUN_IN_CONDITIONS = fromKinds<Omit<TemplateRun, 'id'>>('run', {
  playbook: 'value',
  version: 'value',
  startedAt: 'date',
});
const LINKS = fromKinds<Omit<RenderLinks, 'survey'>>('links', {
  unsubscribe: 'value',
  preferences: 'value',
  approve: 'value',
  decline: 'value',
});

/** A record whose fields are shapes of their own; keyed by an interface so the two cannot drift apart. */
function nested<T>(noun: string, fields: Record<keyof T, Shape>): Shape {
  return { kind: 'record', noun, fields: new Map(Object.entries<Shape>(fields)), custom: null };
}

const FIGURE = fromKinds<TemplateFigure>('figure', { value: 'value', previous: 'value', change: 'value' });
const REPORT = nested<TemplateReport>('report', {
  from: date,
  to: date,
  figures: nested<TemplateReportFigures>('set of figures', {
    retention_30: FIGURE,
    retention_90: FIGURE,
    attendance: FIGURE,
    connection_rate: FIGURE,
    nps: FIGURE,
  }),
  at_risk: {
    kind: 'list',
    of: fromKinds<TemplateAtRiskMember>('member at risk', {
      name: 'value',
      email: 'value',
      lastActivityAt: 'date',
    }),
  },
  events: {
    kind: 'list',
    of: fromKinds<TemplateComingEvent>('coming event', { title: 'value', startsAt: 'date', going: 'value' }),
  },
  applications: {
    kind: 'list',
    of: fromKinds<TemplateApplication>('application', { name: 'value', email: 'value' }),
  },
});

/**
 * What must be true of a run (or a step) for a root to be there. A run has a member unless it is a community
 * playbook's (a schedule without an audience), and only those runs have the community's `report`.
 */
export type Requirement = 'eventId' | 'received' | 'introduce' | 'member' | 'report';

interface Root {
  /** What a template sees. */
  shape: Shape;
  needs: Requirement | null;
  /** What a condition sees: conditions run outside any email, so there are no links and no peer. */
  inConditions: Shape | null;
}

const UPCOMING_EVENTS: Shape = { kind: 'list', of: EVENT };

export const ROOTS = {
  member: { shape: MEMBER, needs: 'member', inConditions: MEMBER },
  event: { shape: EVENT, needs: 'eventId', inConditions: EVENT },
  rsvp: { shape: RSVP, needs: 'eventId', inConditions: RSVP },
  trigger: { shape: EVENT_MESSAGE, needs: null, inConditions: EVENT_MESSAGE },
  received: { shape: EVENT_MESSAGE, needs: 'received', inConditions: EVENT_MESSAGE },
  peer: { shape: MEMBER, needs: 'introduce', inConditions: null },
  report: { shape: REPORT, needs: 'report', inConditions: REPORT },
  community: { shape: COMMUNITY, needs: null, inConditions: COMMUNITY },
  run: { shape: RUN, needs: null, inConditions: RUN_IN_CONDITIONS },
  links: { shape: LINKS, needs: null, inConditions: null },
  upcoming_events: { shape: UPCOMING_EVENTS, needs: null, inConditions: UPCOMING_EVENTS },
} satisfies Record<keyof TemplateContext | 'links', Root>;

export type RootName = keyof typeof ROOTS;

export function isRootName(name: string): name is RootName {
  return Object.hasOwn(ROOTS, name);
}

/** What is true where a condition is checked or an email is sent. */
export interface Availability {
  eventId: boolean;
  received: boolean;
  introduce: boolean;
  /** False in a community playbook: no member is there to read or write to. */
  member: boolean;
  /** True only in a community playbook. */
  report: boolean;
}

export type Resolved = { ok: true; shape: Shape } | { ok: false; message: string };

/** Keys that would reach an object's prototype: never a field, whatever a record holds. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** No custom field is written (by default): a custom field is then never suggested. */
const NOTHING_WRITTEN: ReadonlySet<string> = new Set();

/**
 * The shape at `parts` below `shape`; `written` is the whole path as the manager wrote it, for messages, and
 * `prefix` the part of it that names `shape` (`member.` for member fields in a condition).
 */
export function resolveFields(
  shape: Shape,
  parts: readonly string[],
  written: string,
  prefix: string,
  customWritten: ReadonlySet<string> = NOTHING_WRITTEN,
): Resolved {
  let current = shape;
  for (const [index, part] of parts.entries()) {
    if (PROTOTYPE_KEYS.has(part))
      return { ok: false, message: `"${written}" names "${part}", which is not allowed` };
    const here = [prefix.replace(/\.$/, ''), ...parts.slice(0, index)].filter(Boolean).join('.');
    if (current.kind === 'any') return { ok: true, shape: ANY };
    if (current.kind === 'value')
      return { ok: false, message: `"${written}": ${here} is a value, it has no fields` };
    if (current.kind === 'list') {
      // `upcoming_events.[0]` is the first one; `upcoming_events.length` how many there are.
      if (/^\d+$/.test(part)) current = current.of;
      else if (part === 'length') current = { kind: 'value', date: false };
      else
        return {
          ok: false,
          message: `"${written}": ${here} is a list: go through it with {{#each ${here}}}`,
        };
      continue;
    }
    const next = current.fields.get(part);
    if (next === undefined)
      return { ok: false, message: unknownField(current, parts, index, written, prefix, customWritten) };
    current = next;
  }
  return { ok: true, shape: current };
}

function unknownField(
  shape: Extract<Shape, { kind: 'record' }>,
  parts: readonly string[],
  index: number,
  written: string,
  prefix: string,
  customWritten: ReadonlySet<string>,
): string {
  const part = parts[index] ?? '';
  const before = [prefix.replace(/\.$/, ''), ...parts.slice(0, index)].filter(Boolean).join('.');
  const at = (name: string) => [before, name, ...parts.slice(index + 1)].filter(Boolean).join('.');
  const instead = writtenFieldLike(shape, part, customWritten);
  const unknown = `"${written}" is not a field of ${article(shape.noun)}`;
  if (instead !== null) return `${unknown} (did you mean "${at(instead)}"?)`;
  return `${unknown}: ${article(shape.noun)} has ${fieldList(shape).join(', ')}`;
}

/**
 * The field a manager most likely meant by `part`, among fields something writes: the record's own, those of
 * a record inside it (`rsvps` -> `activity.rsvps`), and, under its free-form `custom` field, only names some
 * playbook sets. `attributes.rsvps` for `rsvps` would validate and then never hold: a suggestion must not
 * lead to a playbook that is silently wrong.
 */
function writtenFieldLike(
  shape: Extract<Shape, { kind: 'record' }>,
  part: string,
  customWritten: ReadonlySet<string>,
): string | null {
  const own = closestName(part, [...shape.fields.keys()]);
  if (own !== null) return own;
  const nested = [...shape.fields].flatMap(([name, inner]) =>
    inner.kind === 'record' ? [...inner.fields.keys()].map((field) => `${name}.${field}`) : [],
  );
  const lastNames = nested.map((path) => path.slice(path.indexOf('.') + 1));
  const inner = closestName(part, lastNames);
  if (inner !== null) return nested[lastNames.indexOf(inner)] ?? null;
  const custom = shape.custom === null ? null : closestName(part, [...customWritten]);
  return custom === null ? null : `${shape.custom}.${custom}`;
}

/** What a record has, as a manager would write it: `activity.rsvps`, `profile.<field>`. */
function fieldList(shape: Extract<Shape, { kind: 'record' }>): string[] {
  return [...shape.fields].flatMap(([name, inner]) => {
    if (inner.kind === 'any') return [`${name}.<field>`];
    if (inner.kind === 'record') return [...inner.fields.keys()].map((field) => `${name}.${field}`);
    return [name];
  });
}

const article = (noun: string): string =>
  /^[aeiouAEIOU]/.test(noun) && noun !== 'RSVP' ? `an ${noun}` : `a ${noun}`;

/** Conditions and templates see the same roots, but not all of them (see Root.inConditions). */
export type ContextView = 'conditions' | 'templates';

function shapeIn(root: RootName, view: ContextView): Shape | null {
  return view === 'templates' ? ROOTS[root].shape : ROOTS[root].inConditions;
}

/** A context path (`member.profile.bio`): its root, and what it resolves to. */
export function resolveContextPath(
  path: string,
  view: ContextView,
  customWritten: ReadonlySet<string> = NOTHING_WRITTEN,
): { ok: true; root: RootName; shape: Shape } | { ok: false; message: string } {
  const [first = '', ...rest] = path.split('.');
  const roots = Object.keys(ROOTS)
    .filter(isRootName)
    .filter((root) => shapeIn(root, view) !== null);
  const shape = isRootName(first) ? shapeIn(first, view) : null;
  if (!isRootName(first) || shape === null) {
    const close = closestName(first, roots);
    const hint =
      close === null
        ? `: it starts with one of ${roots.join(', ')}`
        : ` (did you mean "${[close, ...rest].join('.')}"?)`;
    return { ok: false, message: `"${path}" names nothing a run can see${hint}` };
  }
  const resolved = resolveFields(shape, rest, path, `${first}.`, customWritten);
  return resolved.ok ? { ok: true, root: first, shape: resolved.shape } : resolved;
}

/** Why a root is not there, in a sentence that ends with what to do. */
export function missingRequirement(root: RootName, availability: Availability): Requirement | null {
  const needs = ROOTS[root].needs;
  if (needs === null) return null;
  return availability[needs] ? null : needs;
}

/** Whether a value at this shape can be a date (a date field, or a free-form field that may hold one). */
export const mayBeDate = (shape: Shape): boolean =>
  shape.kind === 'any' || (shape.kind === 'value' && shape.date);
