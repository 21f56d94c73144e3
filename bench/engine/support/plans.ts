// The plans the engine benchmarks run, built in code (no playbook files to compile): one email template
// and the smallest steps that exercise what each benchmark measures.

import type { EmailTemplate, Plan, Step } from '../../../compiler/plan.js';
import { testPlan } from '../../../test/worker/support/plans.js';

const HELLO: EmailTemplate = {
  name: 'hello',
  subject: 'Hello {{member.name}}',
  preheader: null,
  html: '<p>Hello {{member.name}}, welcome to {{community.name}}.</p>',
  layout: null,
};

/** A week's wait: a run that starts and sleeps, as most journeys do after their first step. */
export const waitAWeek: Step = { kind: 'wait', id: 'pause', authoredId: true, ms: 7 * 24 * 3600 * 1000 };

export const sendHello: Step = {
  kind: 'send_email',
  id: 'hello',
  authoredId: true,
  template: 'hello',
  to: { kind: 'member' },
  category: 'transactional',
  quietHours: false,
};

/**
 * A plan whose runs do `steps`, with the hello template, no quiet hours and no cap. Like every plan the
 * compiler gives a playbook that never reads `member.activity.emails7d`, it says so (`needs.emails7d`).
 */
export function benchPlan(id: string, steps: Step[], overrides: Partial<Plan> = {}): Plan {
  const plan = testPlan({
    id,
    steps,
    templates: { emails: { hello: HELLO }, layouts: {}, partials: {} },
    ...overrides,
  });
  return { ...plan, needs: { emails7d: false, ...plan.needs } };
}
