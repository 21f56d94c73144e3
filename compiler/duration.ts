// Durations as managers write them: 30s, 10m, 2h, 3d, 1w, combinations such as 1d12h, ISO 8601 (P1DT12H),
// and, for offsets only, a leading minus (-1d). Anything else gets a message that says what to write instead.

import { Duration } from 'luxon';

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
type Unit = keyof typeof UNIT_MS;
const UNITS = Object.keys(UNIT_MS).filter((unit): unit is Unit => unit in UNIT_MS);

const SHORT_FORM = /^(?:\d+[wdhms])+$/;
const SHORT_PART = /(\d+)([wdhms])/g;

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

export function parseDuration(text: string, options: { allowNegative: boolean }): DurationResult {
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const body = negative ? trimmed.slice(1) : trimmed;
  const ms = SHORT_FORM.test(body) ? shortFormMs(body) : isoMs(body);
  if (ms === 'fuzzy') {
    return {
      ok: false,
      message: `"${text}" is not a fixed length: months and years vary, so write days, like 30d`,
    };
  }
  if (ms === null) return { ok: false, message: `"${text}" is not a duration: write ${suggestion(text)}` };
  if (negative && !options.allowNegative) {
    return {
      ok: false,
      message: `"${text}" is negative: only an offset from a time can be, like offset: -1d`,
    };
  }
  return { ok: true, ms: negative ? -ms : ms };
}

/** `1d12h` -> ms, or null when a unit appears twice (`1d2d` is more likely a slip than a sum). */
function shortFormMs(body: string): number | null {
  const seen = new Set<string>();
  let total = 0;
  for (const [, amount, unit] of body.matchAll(SHORT_PART)) {
    if (amount === undefined || unit === undefined || seen.has(unit) || !isUnit(unit)) return null;
    seen.add(unit);
    total += Number(amount) * UNIT_MS[unit];
  }
  return total;
}

/** ISO 8601 (`P1DT12H`, `PT30M`, `P2W`): ms, 'fuzzy' for months or years, null when it is not one. */
function isoMs(body: string): number | 'fuzzy' | null {
  if (!/^P/i.test(body)) return null;
  const duration = Duration.fromISO(body.toUpperCase());
  if (!duration.isValid) return null;
  const { years, quarters, months } = duration.toObject();
  if (years || quarters || months) return 'fuzzy';
  return duration.toMillis();
}

function isUnit(value: string): value is Unit {
  return (UNITS as readonly string[]).includes(value);
}

/** Words and spellings managers use for each unit, and what a month or a year is taken to be. */
const UNIT_WORDS: ReadonlyArray<[RegExp, Unit, number]> = [
  [/^(s|secs?|seconds?)$/, 's', 1],
  [/^(m|mins?|minutes?)$/, 'm', 1],
  [/^(h|hrs?|hours?)$/, 'h', 1],
  [/^(d|days?)$/, 'd', 1],
  [/^(w|wks?|weeks?)$/, 'w', 1],
  [/^(mo|months?)$/, 'd', 30],
  [/^(y|yrs?|years?)$/, 'd', 365],
];

/** What to write instead of a loose duration such as "3 days" or "1 day and 12 hours". */
function suggestion(text: string): string {
  const generic = 'a number and a unit, like 30m, 2h, 3d or 1w';
  const parts = [...text.toLowerCase().matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/g)];
  const leftover = text
    .toLowerCase()
    .replace(/(\d+(?:\.\d+)?)\s*([a-z]+)/g, '')
    .replace(/\b(and)\b|[\s,+-]/g, '');
  if (parts.length === 0 || leftover !== '') return generic;
  const amounts = new Map<Unit, number>();
  for (const [, amountText, word] of parts) {
    const unitWord = UNIT_WORDS.find(([pattern]) => word !== undefined && pattern.test(word));
    if (!unitWord || amountText === undefined) return generic;
    const [, unit, factor] = unitWord;
    const whole = wholeAmount(Number(amountText) * factor, unit);
    if (whole === null) return generic;
    amounts.set(whole.unit, (amounts.get(whole.unit) ?? 0) + whole.amount);
  }
  const written = UNITS.filter((unit) => amounts.has(unit)).map((unit) => `${amounts.get(unit)}${unit}`);
  return `${text.trim().startsWith('-') ? '-' : ''}${written.join('')}`;
}

/** `1.5h` -> 90m: the largest unit in which the amount is whole. */
function wholeAmount(amount: number, unit: Unit): { amount: number; unit: Unit } | null {
  const ms = amount * UNIT_MS[unit];
  const fitting = UNITS.slice(UNITS.indexOf(unit)).find((candidate) =>
    Number.isInteger(ms / UNIT_MS[candidate]),
  );
  return fitting === undefined ? null : { amount: ms / UNIT_MS[fitting], unit: fitting };
}
