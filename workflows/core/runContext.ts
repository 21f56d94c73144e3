// The context conditions are matched against: the records a template sees, under the same names (see
// compiler/templates/context.ts), so that `if:` and `{{ }}` read one world. `links` and `peer` exist only
// while an email is rendered; `run.id` is the workflow's own name and is given to templates by the sender.

import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan } from '../../compiler/plan.js';
import type { EventRecord, MemberRecord, RsvpRecord } from '../../compiler/records.js';
import { toEpochMs } from '../../compiler/conditions/dates.js';
import {
  communityForTemplates,
  eventForTemplates,
  type TemplateCommunity,
  type TemplateEvent,
} from '../../compiler/templates/context.js';
import type { LoadedRecords } from '../../contract/runtime.js';

export interface RunContext {
  member: MemberRecord | null;
  event: EventRecord | null;
  rsvp: RsvpRecord | null;
  trigger: TemplateEvent;
  /** Only inside `on` handlers and `wait_for.on_event`, so that `received: { $exists: false }` can tell. */
  received?: TemplateEvent;
  run: { playbook: string; version: string; startedAt: string };
  community: TemplateCommunity;
  upcoming_events: EventRecord[];
}

export function buildRunContext(input: {
  plan: Plan;
  records: LoadedRecords;
  trigger: RoutedEvent;
  received: RoutedEvent | null;
  startedAt: number;
}): RunContext {
  const { plan, records } = input;
  return {
    member: records.member,
    event: records.event,
    rsvp: records.rsvp,
    trigger: eventForTemplates(input.trigger),
    ...(input.received === null ? {} : { received: eventForTemplates(input.received) }),
    run: { playbook: plan.id, version: plan.version, startedAt: new Date(input.startedAt).toISOString() },
    community: communityForTemplates(plan.community),
    upcoming_events: records.upcomingEvents,
  };
}

/** A time named by a context path (`event.startsAt`) plus an offset, or why there is none. */
export type RecordTime = { ok: true; at: number } | { ok: false; reason: string };

export function recordTime(context: RunContext, path: string, offsetMs: number): RecordTime {
  const value = readPath(context, path);
  if (value === undefined || value === null) return { ok: false, reason: `${path} has no value` };
  const at = toEpochMs(value);
  if (at === null) return { ok: false, reason: `${path} is not a date` };
  return { ok: true, at: at + offsetMs };
}

/** The value at a dotted path, reading only an object's own fields (never its prototype's). */
export function readPath(root: object, path: string): unknown {
  let value: unknown = root;
  for (const name of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return undefined;
    value = Object.getOwnPropertyDescriptor(value, name)?.value;
  }
  return value;
}
