// Hand-built plans for workflow unit tests: the smallest Plan that a test's steps need, so a test reads as the
// journey it exercises. (The end-to-end tests compile the shipped playbooks instead.)
import type {
  EmailTemplate,
  Plan,
  SendEmailStep,
  Step,
  WaitForStep,
  WaitStep,
} from '../../../compiler/plan.js';
import { planDefaults } from '../../support/plans.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

export function planOf(fields: Pick<Plan, 'id' | 'steps'> & Partial<Plan>): Plan {
  const templates = templatesOf([...fields.steps, ...Object.values(fields.on ?? {}).flat()]);
  return {
    ...planDefaults(),
    name: fields.id,
    version: `v-${fields.id}`,
    templates: { emails: templates, layouts: {}, partials: {} },
    ...fields,
  };
}

export function send(id: string, template = id): SendEmailStep {
  return {
    kind: 'send_email',
    id,
    authoredId: true,
    template,
    to: { kind: 'member' },
    category: 'community',
    quietHours: true,
  };
}

export function wait(id: string, ms: number): WaitStep {
  return { kind: 'wait', id, authoredId: true, ms };
}

export function waitFor(id: string, events: string[], timeoutMs: number, onTimeout: Step[]): WaitForStep {
  return { kind: 'wait_for', id, authoredId: true, events, timeoutMs, onEvent: [], onTimeout };
}

/** A template for every send among the steps (and their nested blocks). */
function templatesOf(steps: readonly Step[]): Record<string, EmailTemplate> {
  const emails: Record<string, EmailTemplate> = {};
  const visit = (step: Step): void => {
    if (step.kind === 'send_email' || step.kind === 'introduce')
      emails[step.template] = {
        name: step.template,
        subject: step.template,
        preheader: null,
        html: '<p></p>',
        layout: null,
      };
    if (step.kind === 'at') step.do.forEach(visit);
    if (step.kind === 'wait_for') [...step.onEvent, ...step.onTimeout].forEach(visit);
    if (step.kind === 'if') [...step.then, ...step.else].forEach(visit);
  };
  steps.forEach(visit);
  return emails;
}
