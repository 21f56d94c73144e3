// Plans for the interpreter tests, built by hand so the core is tested on its own (the compiler has its own
// tests, and the preview tests run the shipped playbooks through it).

import { WEEKDAYS } from '../../compiler/plan.js';
import type {
  AtStep,
  Plan,
  SendEmailStep,
  Step,
  WaitForStep,
  WaitLocalTimeStep,
  WaitUntilStep,
  Weekday,
} from '../../compiler/plan.js';
import { planDefaults } from '../support/plans.js';

export function plan(fields: Partial<Plan> & Pick<Plan, 'steps'>): Plan {
  return { id: 'test-playbook', ...planDefaults(), ...fields };
}

const base = (id: string) => ({ id, authoredId: true });

export function send(id: string, options: Partial<Omit<SendEmailStep, 'kind' | 'id'>> = {}): SendEmailStep {
  return {
    ...base(id),
    kind: 'send_email',
    template: id,
    to: { kind: 'member' },
    category: 'community',
    quietHours: true,
    ...options,
  };
}

export function wait(id: string, ms: number): Step {
  return { ...base(id), kind: 'wait', ms };
}

export function waitUntil(id: string, time: string, offsetMs: number): WaitUntilStep {
  return { ...base(id), kind: 'wait_until', time, offsetMs };
}

export function waitLocalTime(
  id: string,
  localTime: string,
  days: Weekday[] = [...WEEKDAYS],
): WaitLocalTimeStep {
  return { ...base(id), kind: 'wait_local_time', localTime, days };
}

export function at(id: string, fields: Pick<AtStep, 'time' | 'offsetMs' | 'do'> & Partial<AtStep>): AtStep {
  return { ...base(id), kind: 'at', ifPast: 'skip', ...fields };
}

export function waitFor(
  id: string,
  fields: Pick<WaitForStep, 'events' | 'timeoutMs'> & Partial<WaitForStep>,
): WaitForStep {
  return { ...base(id), kind: 'wait_for', onEvent: [], onTimeout: [], ...fields };
}

export function when(
  id: string,
  condition: Record<string, unknown>,
  then: Step[],
  otherwise: Step[] = [],
): Step {
  return { ...base(id), kind: 'if', condition, then, else: otherwise };
}

export function exitStep(id: string, reason: string): Step {
  return { ...base(id), kind: 'exit', reason };
}
