// The names Tend gives to the Temporal things behind a run, derived from what they are about, so that the
// same trigger always lands on the same name: a trigger delivered twice finds the run the first one started.
//
//   run:<playbook>:<memberId>[:<key>]     one member's run of a playbook (key: the trigger's `key` value)
//   run:<playbook>@<firing>               a community playbook's run for one firing of its schedule
//   fanout:<playbook>:<eventId>           the fan-out of an event over a playbook's audience
//   fanout:<playbook>-<time>              the fan-out of one firing of a schedule (Temporal adds `-<time>`)
//   schedule:<playbook>                   the Temporal Schedule of a schedule-triggered playbook

import type { RoutedEvent } from '../../compiler/events.js';
import type { Trigger } from '../../compiler/plan.js';
import { runKey } from '../../db/index.js';

const RUN_PREFIX = 'run:';

/** `run:` and the run's runKey (db/runs.ts), so that the one gives the other (`runKeyOfWorkflowId`). */
export function runWorkflowId(playbook: string, memberId: string | null, key: string | null): string {
  return `${RUN_PREFIX}${runKey(playbook, memberId, key)}`;
}

/** The runKey of a run's workflow id, or null when the id is not a run's. */
export function runKeyOfWorkflowId(workflowId: string): string | null {
  return workflowId.startsWith(RUN_PREFIX) ? workflowId.slice(RUN_PREFIX.length) : null;
}

/** The fan-out of one occasion (an event id, or nothing for a schedule, whose firings Temporal names). */
export function fanOutWorkflowId(playbook: string, occasion: string | null): string {
  return occasion === null ? `fanout:${playbook}` : `fanout:${playbook}:${occasion}`;
}

/**
 * The firing a schedule's fan-out is for: Temporal names each firing's workflow after the schedule's action
 * id and the firing's time (`fanout:<playbook>-2026-12-07T09:00:00Z`), so the time is what follows the
 * prefix. A fan-out started under another id (by hand) stands for a firing of its own, named by its id.
 */
export function scheduleFiring(playbook: string, fanOutId: string): string {
  const prefix = `${fanOutWorkflowId(playbook, null)}-`;
  return fanOutId.startsWith(prefix) ? fanOutId.slice(prefix.length) : fanOutId;
}

export function scheduleId(playbook: string): string {
  return `schedule:${playbook}`;
}

export const SCHEDULE_ID_PREFIX = 'schedule:';

/**
 * The value of a trigger's `key` in an event: `eventId`, or a `data.` path. Null when the trigger has no key
 * or the event does not carry it (a keyed run cannot be named without it).
 */
export function triggerKeyValue(trigger: Trigger, event: RoutedEvent): string | null {
  if (trigger.kind !== 'event' || trigger.key === null) return null;
  const [head, ...rest] = trigger.key.split('.');
  const value =
    head === 'data' ? rest.reduce<unknown>(ownField, event.data) : head === 'eventId' ? event.eventId : null;
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A field the object itself holds (never one inherited from its prototype). */
function ownField(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, name)
    ? (Object.getOwnPropertyDescriptor(value, name)?.value as unknown)
    : undefined;
}
