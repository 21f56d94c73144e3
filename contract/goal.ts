// Whether an event reaches a playbook's goal for one run: the goal's event, within `within` of the run's
// start, and the goal's condition over the event (`received`) and the member. Ingestion asks it to record
// conversions (domain/journal/goals.ts), a run asks it to end with `exit: true`: one rule, one place.

import { toEpochMs } from '../compiler/conditions/dates.js';
import { matches } from '../compiler/conditions/evaluate.js';
import type { RoutedEvent } from '../compiler/events.js';
import type { Goal } from '../compiler/plan.js';
import type { MemberRecord } from '../compiler/records.js';
import { eventForTemplates } from '../compiler/templates/context.js';

export function reachesGoal(
  goal: Goal,
  event: RoutedEvent,
  member: MemberRecord | null,
  runStartedAt: number,
  now: number,
): boolean {
  if (event.type !== goal.event) return false;
  const at = toEpochMs(event.occurredAt) ?? now;
  if (at < runStartedAt || at - runStartedAt > goal.withinMs) return false;
  if (goal.condition === null) return true;
  return matches(goal.condition, { received: eventForTemplates(event), member }, now);
}
