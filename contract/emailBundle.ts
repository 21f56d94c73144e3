// What the deliver activity needs of a plan to render one email: that template, its layout, the partials.
// The workflow passes this instead of all of the plan's templates, so each send's history entry stays small.

import type { Plan } from '../compiler/plan.js';
import type { EmailBundle } from './activityPayloads.js';

/** The bundle for `templateName`, or null when the plan has no such template. */
export function emailBundle(plan: Pick<Plan, 'templates'>, templateName: string): EmailBundle | null {
  const { emails, layouts, partials } = plan.templates;
  // Only the plan's own entries: a name like `constructor` must not reach Object.prototype.
  const template = Object.hasOwn(emails, templateName) ? emails[templateName] : undefined;
  if (template === undefined) return null;
  const layout =
    template.layout !== null && Object.hasOwn(layouts, template.layout)
      ? layouts[template.layout]
      : undefined;
  return {
    template,
    layouts: template.layout === null || layout === undefined ? {} : { [template.layout]: layout },
    partials,
  };
}
