// `--events "member.active@3d,event.updated@5d startsAt=2025-04-02T18:30:00Z"`: the events a preview feeds the
// run, each at a time after the start (a duration) or at an ISO 8601 time, with optional `key=value` data.
// Values that read as JSON numbers or booleans become those; anything else is text. A comma ends an event,
// a space separates its data: neither can appear inside a value.

import { EVENT_TYPE_PATTERN } from '../compiler/events.js';
import { parseDuration } from '../compiler/duration.js';
import { PreviewInputError } from './previewInputError.js';

export interface ScriptedEvent {
  /** ms epoch */
  at: number;
  type: string;
  data: Record<string, unknown>;
}

export function parseScriptedEvents(text: string, start: number): ScriptedEvent[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .map((item) => parseOne(item, start))
    .sort((a, b) => a.at - b.at);
}

function parseOne(item: string, start: number): ScriptedEvent {
  const [head = '', ...pairs] = item.split(/\s+/);
  const at = head.lastIndexOf('@');
  if (at <= 0) throw new PreviewInputError(`--events: "${item}" needs a time: write type@3d`);
  const type = head.slice(0, at);
  if (!EVENT_TYPE_PATTERN.test(type)) {
    throw new PreviewInputError(`--events: "${type}" is not an event type (like member.active)`);
  }
  return { type, at: timeOf(head.slice(at + 1), start, item), data: Object.fromEntries(pairs.map(pairOf)) };
}

function timeOf(when: string, start: number, item: string): number {
  if (/^\d{4}-\d{2}-\d{2}T/.test(when)) {
    const ms = Date.parse(when);
    if (Number.isNaN(ms)) throw new PreviewInputError(`--events: "${when}" in "${item}" is not a date`);
    return ms;
  }
  const duration = parseDuration(when, { allowNegative: false });
  if (!duration.ok) throw new PreviewInputError(`--events: ${duration.message} (in "${item}")`);
  return start + duration.ms;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function pairOf(pair: string): [string, unknown] {
  const equals = pair.indexOf('=');
  const key = pair.slice(0, equals);
  if (equals <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || FORBIDDEN_KEYS.has(key)) {
    throw new PreviewInputError(`--events: "${pair}" is not data: write key=value`);
  }
  return [key, valueOf(pair.slice(equals + 1))];
}

function valueOf(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}
