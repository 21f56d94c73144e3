// The timeline `tend preview` prints: one line per thing that happened to the member's run, at the member's
// local time (their own zone, else the community's), so a manager reads "08:00" where the member reads it.

import { DateTime } from 'luxon';
import type { StepRecord } from '../contract/runtime.js';
import { NO_ELSE } from '../workflows/core/interpreter.js';
import type { TimelineEntry } from './simulationRuntime.js';

const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

export function localTime(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('ccc dd LLL yyyy HH:mm ZZZZ');
}

/** One line per entry: `Mon 03 Mar 2025 08:00 EST  welcome  email "Welcome, Ada" to ada@example.org`. */
export function formatTimeline(entries: readonly TimelineEntry[], zone: string): string[] {
  const lines = entries.flatMap((entry) => {
    const line = describe(entry, zone);
    return line === null ? [] : [line];
  });
  const times = lines.map((line) => localTime(line.at, zone));
  const timeWidth = Math.max(0, ...times.map((time) => time.length));
  const stepWidth = Math.min(28, Math.max(0, ...lines.map((line) => line.stepId.length)));
  return lines.map(
    (line, index) =>
      `${(times[index] ?? '').padEnd(timeWidth)}  ${line.stepId.padEnd(stepWidth)}  ${line.text}`,
  );
}

interface Line {
  at: number;
  stepId: string;
  text: string;
}

function describe(entry: TimelineEntry, zone: string): Line | null {
  switch (entry.kind) {
    case 'email':
      return {
        at: entry.at,
        stepId: entry.email.stepId,
        text: `email "${entry.email.subject}" to ${entry.email.to.join(', ')}`,
      };
    case 'held': {
      // Quiet hours are kept in the reader's zone: for the organisers that is the community's, not the member's.
      const whose = entry.toMember || entry.zone === zone ? '' : ` (the organisers' time, ${entry.zone})`;
      return {
        at: entry.at,
        stepId: entry.stepId,
        text: `${entry.template} held by ${entry.reason.replace('_', ' ')} until ${localTime(entry.until, entry.zone)}${whose}`,
      };
    }
    case 'note':
      return { at: entry.at, stepId: entry.stepId ?? '', text: localise(entry.text, zone) };
    case 'step': {
      const text = stepText(entry.record);
      if (text === null) return null;
      return { at: entry.record.at, stepId: entry.record.stepId, text: localise(text, zone) };
    }
  }
}

/** What a step record says; null for sends and holds, which the email and hold lines already show. */
function stepText(record: StepRecord): string | null {
  const detail = record.detail ?? '';
  switch (record.outcome) {
    case 'sent':
    case 'held':
    case 'introduced':
      return null;
    case 'skipped':
      return `skipped: ${detail}`;
    case 'failed':
      return `failed: ${detail}`;
    case 'waited':
      return `waited ${detail}`;
    case 'event':
      return detail;
    case 'timeout':
      return `timed out: ${detail}`;
    case 'branch-then':
      return 'condition holds: then';
    case 'branch-else':
      return detail === NO_ELSE
        ? 'condition does not hold: no else, the run goes on'
        : 'condition does not hold: else';
    case 'updated':
      return `updated the member: ${detail}`;
    case 'exited':
      return `run ends: ${detail}`;
  }
}

/** The core writes instants as ISO 8601 UTC; the timeline shows them at the reader's local time. */
function localise(text: string, zone: string): string {
  return text.replace(ISO_INSTANT, (iso) => localTime(Date.parse(iso), zone));
}
