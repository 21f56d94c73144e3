// The fixed set of Handlebars helpers a template may call. Templates are compiled with knownHelpersOnly, so a
// helper outside this list is a compile error, not a surprise at send time. Every helper is pure: what it
// needs from the send (the reader's time zone, the signed survey links) arrives as a HelperScope in the
// render call's data, never through module state.

import { DateTime } from 'luxon';
import type { RuntimeOptions } from 'handlebars';

export const TEMPLATE_HELPER_NAMES = [
  'formatDate',
  'formatTime',
  'formatDateTime',
  'surveyUrl',
  'default',
  'eq',
  'shared',
] as const;
export type TemplateHelperName = (typeof TEMPLATE_HELPER_NAMES)[number];

/** Compile options shared by the renderer and the compiler's template check, so both accept the same set. */
export const TEMPLATE_COMPILE_OPTIONS = {
  knownHelpers: Object.fromEntries(TEMPLATE_HELPER_NAMES.map((name) => [name, true])),
  knownHelpersOnly: true,
  strict: false,
} as const;

/** Dates in emails read like a person wrote them: "Saturday 14 March", "18:30". */
const DATE_LOCALE = 'en-GB';
export const DEFAULT_DATE_FORMATS = {
  formatDate: 'cccc d LLLL',
  formatTime: 'HH:mm',
  formatDateTime: "cccc d LLLL 'at' HH:mm",
} as const;

/**
 * What the helpers need from one send. Its fields are private so that a template cannot print them through
 * `{{@tend...}}`: Handlebars only resolves own properties, and there are none.
 */
export class HelperScope {
  readonly #timezone: string;
  readonly #surveyUrl: ((score: number) => string | null) | null;

  /** `surveyUrl` is null when the run has no event: a survey link needs one. */
  constructor(timezone: string, surveyUrl: ((score: number) => string | null) | null) {
    this.#timezone = timezone;
    this.#surveyUrl = surveyUrl;
  }

  timezone(): string {
    return this.#timezone;
  }

  surveyUrl(score: number): string | null {
    return this.#surveyUrl ? this.#surveyUrl(score) : null;
  }

  /** `{{@tend}}` in a template prints nothing rather than "[object Object]". */
  toString(): string {
    return '';
  }
}

/** The runtime options that hand a HelperScope to the helpers of one render call. */
export function helperRuntimeOptions(scope: HelperScope): RuntimeOptions {
  return { data: { tend: scope } };
}

type Helper = (...args: unknown[]) => unknown;

interface HelperCall {
  args: unknown[];
  hash: Record<string, unknown>;
  scope: HelperScope;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Handlebars calls a helper with its positional arguments followed by one options object. */
function readCall(name: TemplateHelperName, raw: unknown[]): HelperCall {
  const options: unknown = raw.at(-1);
  if (!isRecord(options) || !isRecord(options.hash) || !isRecord(options.data)) {
    throw new Error(`${name}: called without Handlebars options`);
  }
  const scope = options.data.tend;
  if (!(scope instanceof HelperScope)) throw new Error(`${name}: called outside renderEmail`);
  return { args: raw.slice(0, -1), hash: options.hash, scope };
}

function toDateTime(name: TemplateHelperName, value: unknown): DateTime | null {
  if (value === undefined || value === null || value === '') return null;
  const parsed =
    value instanceof Date
      ? DateTime.fromJSDate(value)
      : typeof value === 'number'
        ? DateTime.fromMillis(value)
        : typeof value === 'string'
          ? DateTime.fromISO(value)
          : null;
  if (!parsed?.isValid) {
    throw new Error(
      `${name}: ${JSON.stringify(value)} is not a date; give it a time such as 2026-03-14T18:30:00Z`,
    );
  }
  return parsed;
}

/** formatDate, formatTime, formatDateTime: one helper each, differing only in the default format. */
function dateHelper(name: keyof typeof DEFAULT_DATE_FORMATS): Helper {
  return (...raw) => {
    const { args, hash, scope } = readCall(name, raw);
    const format = hash.format ?? DEFAULT_DATE_FORMATS[name];
    if (typeof format !== 'string') throw new Error(`${name}: format= must be text, such as "d MMM HH:mm"`);
    const date = toDateTime(name, args[0]);
    if (!date) return '';
    return date.setZone(scope.timezone()).setLocale(DATE_LOCALE).toFormat(format);
  };
}

const surveyUrl: Helper = (...raw) => {
  const { hash, scope } = readCall('surveyUrl', raw);
  const score = hash.score;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 10) {
    throw new Error(`surveyUrl: score= must be a whole number from 0 to 10, got ${JSON.stringify(score)}`);
  }
  const url = scope.surveyUrl(score);
  if (url === null) {
    throw new Error(
      'surveyUrl needs an event: use it only in a playbook whose runs have one (a trigger with key: eventId)',
    );
  }
  return url;
};

const defaultHelper: Helper = (...raw) => {
  const { args } = readCall('default', raw);
  const [value, fallback] = args;
  const missing = value === undefined || value === null || value === '';
  return missing ? (fallback ?? '') : value;
};

const eq: Helper = (...raw) => {
  const { args } = readCall('eq', raw);
  return args[0] === args[1];
};

/** The values two lists have in common, in the first list's order: what an introduction has in common. */
const shared: Helper = (...raw) => {
  const { args } = readCall('shared', raw);
  const [first, second] = args;
  if (!Array.isArray(first) || !Array.isArray(second)) return [];
  const values: unknown[] = [...new Set<unknown>(first)];
  return values.filter((value) => second.includes(value));
};

export const TEMPLATE_HELPERS: Record<TemplateHelperName, Helper> = {
  formatDate: dateHelper('formatDate'),
  formatTime: dateHelper('formatTime'),
  formatDateTime: dateHelper('formatDateTime'),
  surveyUrl,
  default: defaultHelper,
  eq,
  shared,
};
