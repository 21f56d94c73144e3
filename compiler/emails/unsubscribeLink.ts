// A member email in a category members can turn off (events, community, surveys) must carry its unsubscribe
// link: anti-spam law in many countries asks for one in bulk email, and members are promised it (docs, "Quiet
// hours, the frequency cap and categories"). Whether the link is there depends on the body, its layout and
// partials, and the `{{#if}}`s around it, so the check renders the email the way the sender will, for a
// member with the fewest fields a record can have, and looks for the link in the HTML.

import type { Availability } from '../context.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Category, PlanTemplates } from '../plan.js';
import type { TemplateContext } from '../templates/context.js';
import { renderEmail } from '../templates/render.js';
import type { EmailSource } from './library.js';

/** Stands in for the signed link; `.invalid` is reserved, so no template can contain it by chance. */
const UNSUBSCRIBE = 'https://tend.invalid/unsubscribe';
const LINK = new RegExp(`href\\s*=\\s*["']?${UNSUBSCRIBE.replace(/[./]/g, '\\$&')}["'\\s>]`);
const OCCURRED = '2026-01-01T09:00:00.000Z';

export interface MemberSend {
  /** The step that sends the email, for the message. */
  stepId: string;
  category: Category;
  availability: Availability;
}

/** The error when `email`, sent to a member by `send`, renders without its unsubscribe link; else null. */
export function missingUnsubscribeLink(
  email: EmailSource,
  templates: PlanTemplates,
  send: MemberSend,
): Diagnostic | null {
  if (send.category === 'transactional') return null;
  const html = renderedHtml(email.name, templates, send.availability);
  if (html === null || LINK.test(html)) return null;
  const lines = email.texts.html.split('\n');
  const last = lines.findLastIndex((line) => line.trim() !== '');
  const { line } = email.body.position(Math.max(last, 0) + 1, 0);
  const layout = email.layout === null ? '' : ` (layout ${email.layout} included)`;
  return {
    file: email.file,
    line,
    col: 1,
    message:
      `no unsubscribe link in this email${layout}, which step "${send.stepId}" sends to members as ${send.category} email: ` +
      'add {{> footer}} or <a href="{{links.unsubscribe}}">Unsubscribe</a> to its body or layout',
    severity: 'error',
  };
}

/** The email's HTML for a bare member, or null when it does not render (its other errors say why). */
function renderedHtml(name: string, templates: PlanTemplates, availability: Availability): string | null {
  try {
    return renderEmail(templates, name, bareContext(availability), {
      links: {
        unsubscribe: UNSUBSCRIBE,
        preferences: 'https://tend.invalid/preferences',
        approve: null,
        decline: null,
        survey: () => 'https://tend.invalid/survey',
      },
      timezone: 'UTC',
    }).html;
  } catch {
    return null;
  }
}

/** The fewest records a run where the email is sent can have: a link inside `{{#if member.bio}}` is missing. */
function bareContext(availability: Availability): TemplateContext {
  const member = { _id: 'member', email: 'member@tend.invalid', status: 'active' } as const;
  const message = { type: 'event', data: {}, occurredAt: OCCURRED };
  return {
    member,
    event: availability.eventId ? { _id: 'event', status: 'published' } : null,
    rsvp: availability.eventId ? { eventId: 'event', memberId: member._id, status: 'going' } : null,
    trigger: message,
    received: availability.received ? message : null,
    peer: availability.introduce ? { ...member, _id: 'peer', email: 'peer@tend.invalid' } : null,
    // Only community playbooks read `report`, and they never send to members.
    report: null,
    community: {
      name: 'Community',
      timezone: 'UTC',
      from: 'community@tend.invalid',
      reply_to: null,
      managers: [],
      postal_address: 'Address',
    },
    run: { id: 'run', playbook: 'playbook', version: 'version', startedAt: OCCURRED },
    upcoming_events: [],
  };
}
