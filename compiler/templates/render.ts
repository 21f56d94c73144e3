// Renders one email of a plan: subject, preheader, HTML body inside its layout, and a plain-text part.
// Output is escaped by default (`{{ }}`); only a layout's `{{{body}}}` inserts HTML unescaped, and that HTML
// is the email body this function rendered itself.

import { isTimeZone } from '../isTimeZone.js';
import { compiledTemplate } from './compiledTemplates.js';
import type { TemplateContext } from './context.js';
import { HelperScope, helperRuntimeOptions } from './helpers.js';
import { htmlToPlainText } from './plainText.js';
import type { PlanTemplates } from '../plan.js';

export type { TemplateContext } from './context.js';

/** The signed links of one email, made by the sender for its recipient. */
export interface RenderLinks {
  unsubscribe: string;
  preferences: string;
  /** Only in emails that ask organisers to decide on an application. */
  approve: string | null;
  decline: string | null;
  /** null when the run has no event to survey. */
  survey: (score: number) => string | null;
}

export interface RenderOptions {
  links: RenderLinks;
  /** The IANA zone the reader sees dates in (see `timezoneFor`). */
  timezone: string;
}

export interface RenderedEmail {
  /** One line of text: a header, not HTML. */
  subject: string;
  html: string;
  text: string;
  preheader: string | null;
}

/** A template that cannot be rendered: missing from the plan, or a helper refused its arguments. */
export class TemplateRenderError extends Error {
  override readonly name = 'TemplateRenderError';

  constructor(
    readonly template: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(`template "${template}": ${message}`, options);
  }
}

export function renderEmail(
  templates: PlanTemplates,
  name: string,
  context: TemplateContext,
  options: RenderOptions,
): RenderedEmail {
  const email = templates.emails[name];
  if (!email) throw new TemplateRenderError(name, 'not in this plan');
  const layout = email.layout === null ? null : templates.layouts[email.layout];
  if (layout === undefined) throw new TemplateRenderError(name, `layout "${email.layout}" not in this plan`);
  if (!isTimeZone(options.timezone)) {
    throw new TemplateRenderError(
      name,
      `"${options.timezone}" is not a time zone (write one like Europe/London)`,
    );
  }

  const { unsubscribe, preferences, approve, decline, survey } = options.links;
  // `survey` is a function: it reaches templates through the surveyUrl helper, never as a value.
  const root = { ...context, links: { unsubscribe, preferences, approve, decline } };
  const runtime = helperRuntimeOptions(new HelperScope(options.timezone, context.event ? survey : null));
  const render = (source: string, mode: 'html' | 'plain', data: object): string => {
    try {
      return compiledTemplate(templates.partials, source, mode)(data, runtime);
    } catch (error) {
      throw new TemplateRenderError(name, error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
  };

  const subject = oneLine(render(email.subject, 'plain', root));
  const preheader = email.preheader === null ? null : oneLine(render(email.preheader, 'plain', root)) || null;
  const body = render(email.html, 'html', root);
  const html = layout === null ? body : render(layout, 'html', { ...root, subject, preheader, body });
  return { subject, html, text: htmlToPlainText(html), preheader };
}

/** A header must be one line: newlines in a subject would end the header (or inject another). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
