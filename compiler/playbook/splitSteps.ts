// One step split in two by a stray `- `: valid YAML, so the parser is happy, and the schema then says "this
// step needs one of send_email, wait, ..." about a step that has everything, just on two list items:
//
//   - id: welcome                 - id: first-week
//   - send_email: welcome           wait_for: { event: member.active, timeout: 7d }
//                                 - on_timeout:
//                                     - send_email: first-week-checkin
//
// Found here, before the schema's messages, and told as one mistake: which `- ` to remove and what the key
// then lines up with. The schema's errors about the two halves are left out (see `halves`).

import type { Diagnostic } from '../diagnostics.js';
import { STEP_KEYS } from '../schema/playbook.js';
import { diagnosticAt, positionOf } from '../yaml/yamlFile.js';
import type { YamlFile, YamlPath } from '../yaml/yamlFile.js';
import { isPlainObject } from './condition.js';

export interface SplitSteps {
  problems: Diagnostic[];
  /** The list items of each split step, as written: neither is a step of its own. */
  halves: ReadonlySet<unknown>;
  /** Their places as JSON pointers (`/steps/1`), as the schema's errors name them. */
  pointers: ReadonlySet<string>;
}

const KINDS = [...STEP_KEYS.keys()];
/** Keys that hold steps inside a step (then, else, do, on_event, on_timeout). */
const NESTED = [...new Set([...STEP_KEYS.values()].flat())];

export function findSplitSteps(file: YamlFile, doc: Readonly<Record<string, unknown>>): SplitSteps {
  const problems: Diagnostic[] = [];
  const halves = new Set<unknown>();
  const pointers = new Set<string>();
  const line = (path: YamlPath): number => positionOf(file, path, 'key').line;

  const list = (raw: unknown, at: YamlPath): void => {
    if (!Array.isArray(raw)) return;
    raw.forEach((item: unknown, index) => {
      if (!isPlainObject(item)) return;
      for (const key of NESTED) list(item[key], [...at, index, key]);
      const next: unknown = raw[index + 1];
      if (!isPlainObject(next)) return;
      const here = [...at, index];
      const there = [...at, index + 1];
      const message = splitMessage(item, next, (key) => line([...here, key]));
      if (message === null) return;
      problems.push(diagnosticAt(file, [...there, message.key], message.text, { target: 'key' }));
      for (const [half, path] of [
        [item, here],
        [next, there],
      ] as const) {
        halves.add(half);
        pointers.add(`/${path.join('/')}`);
      }
    });
  };

  list(doc.steps, ['steps']);
  for (const [type, steps] of Object.entries(isPlainObject(doc.on) ? doc.on : {})) list(steps, ['on', type]);
  return { problems, halves, pointers };
}

/** What to do when `first` and `second`, two items of one list, are one step; null when they are not. */
function splitMessage(
  first: Readonly<Record<string, unknown>>,
  second: Readonly<Record<string, unknown>>,
  lineOf: (key: string) => number,
): { key: string; text: string } | null {
  const kindsOf = (item: Readonly<Record<string, unknown>>) => Object.keys(item).filter(isKind);
  const [firstKind, ...moreFirst] = kindsOf(first);
  const [secondKind, ...moreSecond] = kindsOf(second);
  const overlaps = Object.keys(second).some((key) => Object.hasOwn(first, key));
  if (overlaps || moreFirst.length > 0 || moreSecond.length > 0) return null;
  // `- id: welcome` then `- send_email: welcome`: the kind was pushed into an item of its own.
  const [firstKey] = Object.keys(first);
  const belongsWithSecond = ['id', ...(secondKind === undefined ? [] : (STEP_KEYS.get(secondKind) ?? []))];
  if (
    firstKind === undefined &&
    secondKind !== undefined &&
    firstKey !== undefined &&
    Object.keys(first).every((key) => belongsWithSecond.includes(key))
  ) {
    const step = typeof first.id === 'string' ? `step "${first.id}"` : 'the step';
    return {
      key: secondKind,
      text: `${secondKind} belongs to ${step} above: remove the "- " before it, so that ${secondKind} lines up with ${firstKey} on line ${lineOf(firstKey)}`,
    };
  }
  // `wait_for: ...` then `- on_timeout:`: the kind's own keys were pushed into an item of their own.
  const options = firstKind === undefined ? [] : (STEP_KEYS.get(firstKind) ?? []);
  const [secondKey] = Object.keys(second);
  if (
    firstKind !== undefined &&
    secondKind === undefined &&
    secondKey !== undefined &&
    Object.keys(second).every((key) => options.includes(key))
  ) {
    return {
      key: secondKey,
      text: `${secondKey} belongs to the ${firstKind} on line ${lineOf(firstKind)}: remove the "- " before it, so that ${secondKey} lines up with ${firstKind}`,
    };
  }
  return null;
}

const isKind = (key: string): boolean => KINDS.includes(key);
