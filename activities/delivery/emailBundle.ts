// What the deliver activity needs of a plan to render one email: that template, its layout, the partials.
// The workflow passes this instead of the whole plan's templates, so an activity's input stays small.

import type { Plan } from '../../compiler/plan.js';
import type { EmailBundle } from '../types.js';

export function emailBundle(plan: Pick<Plan, 'templates'>, templateName: string): EmailBundle {
  const { emails, layouts, partials } = plan.templates;
  const template = emails[templateName];
  if (!template) throw new Error(`template "${templateName}" is not in this plan`);
  const layout = template.layout === null ? undefined : layouts[template.layout];
  return {
    template,
    layouts: template.layout === null || layout === undefined ? {} : { [template.layout]: layout },
    partials,
  };
}
