// One email as it leaves Tend: the signed links for its reader, the context its template sees, and the
// message handed to nodemailer, with a Message-ID derived from the ledger key (a resend after a crash is the
// same message to every receiver) and one-click List-Unsubscribe on member email (RFC 8058).

import { createHash } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import type { SendMailOptions } from 'nodemailer';
import {
  communityForTemplates,
  eventForTemplates,
  type TemplateContext,
} from '../../compiler/templates/context.js';
import {
  renderEmail,
  TemplateRenderError,
  type RenderedEmail,
  type RenderLinks,
} from '../../compiler/templates/render.js';
import type { LoadedRecords } from '../../contract/runtime.js';
import { expiresIn, type LinkSigner } from '../links/signedLinks.js';
import { trackLinks } from '../links/trackedLinks.js';
import type { DeliverInput } from '../../contract/activityPayloads.js';
import type { Addressed } from './addressing.js';
import { deliveryKey } from './deliveryKey.js';

/** `<sha256(key)[:32]@domain-of-from>` */
export function messageIdFor(key: string, from: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return `<${hash}@${fromDomain(from)}>`;
}

function fromDomain(from: string): string {
  for (const entry of addressparser(from, { flatten: true })) {
    const domain = entry.address.split('@')[1];
    if (domain) return domain;
  }
  return 'localhost';
}

/**
 * The links of one email. Member email links to the reader's own unsubscribe and preferences pages (a
 * transactional email's unsubscribe link names no category: it stands for every category that can be
 * unsubscribed); survey links need the run's event. Organisers get the approve/decline links of a member who
 * has applied, and no unsubscribe links: those would act on the member, not on them.
 */
export function renderLinks(
  signer: LinkSigner,
  target: Addressed,
  category: DeliverInput['request']['category'],
  eventId: string | null,
  now: number,
): RenderLinks {
  if (!target.toMember) {
    const reader = target.reader;
    const applicant = target.recipientKind === 'manager' && reader?.status === 'applied' ? reader._id : null;
    return {
      unsubscribe: '',
      preferences: '',
      approve:
        applicant === null ? null : signer.url({ a: 'approve', m: applicant, x: expiresIn('approve', now) }),
      decline:
        applicant === null ? null : signer.url({ a: 'decline', m: applicant, x: expiresIn('decline', now) }),
      survey: () => null,
    };
  }
  const m = target.reader._id;
  return {
    unsubscribe: signer.url({
      a: 'unsubscribe',
      m,
      ...(category === 'transactional' ? {} : { c: category }),
      x: expiresIn('unsubscribe', now),
    }),
    preferences: signer.url({ a: 'preferences', m, x: expiresIn('preferences', now) }),
    approve: null,
    decline: null,
    survey: (s) =>
      eventId === null ? null : signer.url({ a: 'survey', m, e: eventId, s, x: expiresIn('survey', now) }),
  };
}

export function templateContext(
  input: DeliverInput,
  target: Addressed,
  records: LoadedRecords,
): TemplateContext {
  const { run, request, community, trigger } = input;
  return {
    member: target.reader,
    event: records.event,
    // The RSVP read is the run member's: the peer of an introduction does not see it as their own.
    rsvp: target.recipientKind === 'peer' ? null : records.rsvp,
    trigger: eventForTemplates(trigger),
    received: request.received === null ? null : eventForTemplates(request.received),
    peer: target.peer,
    community: communityForTemplates(community),
    run: {
      id: run.workflowId,
      playbook: run.playbook,
      version: run.version,
      startedAt: new Date(run.startedAt).toISOString(),
    },
    upcoming_events: records.upcomingEvents,
    report: records.report,
  };
}

/**
 * Renders the pinned template of one delivery for its reader, with links signed for them. The real send and
 * `tend preview` both call this, so what a manager previews is what a member gets. A template that cannot be
 * rendered (a helper refusing its input) is an outcome, not an exception: the send is recorded as failed.
 * Member email has its links tracked (domain/links/trackedLinks.ts) unless the playbook or the template says
 * `track_clicks: false`; an organiser's click is not the member's, so their email is never tracked.
 */
export function renderDelivery(
  input: DeliverInput,
  target: Addressed,
  records: LoadedRecords,
  options: { signer: LinkSigner; timezone: string; now: number },
): { ok: true; rendered: RenderedEmail; links: RenderLinks } | { ok: false; error: string } {
  const { request, email, trigger } = input;
  const links = renderLinks(options.signer, target, request.category, trigger.eventId, options.now);
  try {
    const rendered = renderEmail(
      { emails: { [request.template]: email.template }, layouts: email.layouts, partials: email.partials },
      request.template,
      templateContext(input, target, records),
      { links, timezone: options.timezone },
    );
    const tracked =
      target.toMember && input.delivery.trackClicks !== false && email.template.trackClicks !== false;
    if (!tracked) return { ok: true, rendered, links };
    const html = trackLinks(rendered.html, options.signer, {
      delivery: deliveryKey(input.run, request),
      memberId: target.memberId,
      now: options.now,
    });
    return { ok: true, rendered: { ...rendered, html }, links };
  } catch (error) {
    if (!(error instanceof TemplateRenderError)) throw error;
    return { ok: false, error: error.message };
  }
}

export function mailMessage(
  input: DeliverInput,
  target: Addressed,
  rendered: RenderedEmail,
  links: RenderLinks,
  messageId: string,
): SendMailOptions {
  const { community } = input;
  return {
    from: community.from,
    ...(community.replyTo === null ? {} : { replyTo: community.replyTo }),
    to: target.to,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    messageId,
    ...(target.toMember
      ? {
          list: { unsubscribe: links.unsubscribe },
          headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        }
      : {}),
  };
}
