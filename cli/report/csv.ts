// `tend report --csv`: every figure of the report as one `figure,value` row, for a spreadsheet. Rows of a
// list are named by what identifies them (a month, an event, a member, a category), not by position.

import type { HealthReport } from '../../domain/reports/health/index.js';

const IDENTIFIERS = ['month', 'eventId', 'memberId', 'category'];

export function healthCsv(report: HealthReport): string {
  const rows: [string, string][] = [];
  flatten(report, '', rows);
  return ['figure,value', ...rows.map(([figure, value]) => `${cell(figure)},${cell(value)}`)].join('\n');
}

function flatten(value: unknown, path: string, rows: [string, string][]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => flatten(item, `${path}.${identify(item) ?? index}`, rows));
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value))
      flatten(item, path === '' ? key : `${path}.${key}`, rows);
    return;
  }
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  rows.push([path, scalar ? String(value) : '']);
}

function identify(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  for (const key of IDENTIFIERS) {
    const id: unknown = Reflect.get(item, key);
    if (typeof id === 'string') return id;
  }
  return null;
}

/** RFC 4180: a cell with a comma, a quote or a line break is quoted, its quotes doubled. */
function cell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
