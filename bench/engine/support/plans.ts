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

export const sendHello: Step = {
  kind: 'send_email',
  id: 'hello',
  authoredId: true,
  template: 'hello',
  to: { kind: 'member' },
  category: 'transactional',
  quietHours: false,
};

/** A plan whose runs do `steps`, with the hello template, no quiet hours and no cap. */
export function benchPlan(id: string, steps: Step[], overrides: Partial<Plan> = {}): Plan {
  return testPlan({
    id,
    steps,
    templates: { emails: { hello: HELLO }, layouts: {}, partials: {} },
    ...overrides,
  });
}
