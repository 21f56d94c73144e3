// Which events a run of a plan may care about, so that routing signals only the runs that can act on an
// event: every signal is a line in a run's history, and a busy community sends many events.

import type { Plan, Step } from '../../compiler/plan.js';

/**
 * True when a run of `plan` reacts to events of `type`: an `exit` entry, a goal that ends the run, an `on`
 * handler, a `wait_for`, or a
 * `wait_until`/`at` that follows a record (`event.startsAt`) which events of that record's kind may move.
 */
export function caresAbout(plan: Plan, type: string): boolean {
  return interestsOf(plan).some((interest) =>
    interest.endsWith('.') ? type.startsWith(interest) : type === interest,
  );
}

const interestCache = new WeakMap<Plan, string[]>();

/** Event types, and record prefixes such as `event.`, that a run of the plan reacts to. */
function interestsOf(plan: Plan): string[] {
  const cached = interestCache.get(plan);
  if (cached) return cached;
  const steps = [...plan.steps, ...Object.values(plan.on).flat()];
  const goalExit = plan.goal?.exit ? [plan.goal.event] : [];
  const interests = [
    ...new Set([...plan.exit.events, ...goalExit, ...Object.keys(plan.on), ...steps.flatMap(stepInterests)]),
  ];
  interestCache.set(plan, interests);
  return interests;
}

function stepInterests(step: Step): string[] {
  switch (step.kind) {
    case 'wait_for':
      return [
        ...step.events,
        ...step.onEvent.flatMap(stepInterests),
        ...step.onTimeout.flatMap(stepInterests),
      ];
    case 'wait_until':
      return [recordPrefix(step.time)];
    case 'at':
      return [recordPrefix(step.time), ...step.do.flatMap(stepInterests)];
    case 'if':
      return [...step.then.flatMap(stepInterests), ...step.else.flatMap(stepInterests)];
    case 'send_email':
    case 'wait':
    case 'wait_local_time':
    case 'update_member':
    case 'introduce':
    case 'exit':
      return [];
    default: {
      const unknown: never = step;
      throw new Error(`unknown step ${JSON.stringify(unknown)}`);
    }
  }
}

/** `event.startsAt` -> `event.`: the events about that record (event.updated, event.cancelled, ...). */
function recordPrefix(timePath: string): string {
  return `${timePath.split('.')[0] ?? timePath}.`;
}
