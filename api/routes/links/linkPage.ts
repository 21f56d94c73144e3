// What every signed-link page shares: the token in the query, the checks that a link is good and for this
// page, the page renderer, the member it names, and the event id a click on it stands for.

import { createHash } from 'node:crypto';
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { UNSUBSCRIBABLE } from '../../../domain/events/knownEvents.js';
import type { LinkAction, LinkPayload, LinkSigner } from '../../../domain/links/signedLinks.js';
import type { Category } from '../../../compiler/plan.js';
import type { MemberDoc, Models } from '../../../db/index.js';
import type { AcceptEvents } from '../../acceptEvents.js';
import { Forbidden, NotFound } from '../../errors.js';
import { renderPage, type Page } from '../../pages/render.js';
import { errorResponses, HtmlPage } from '../../schemas/common.js';

export const LINK_BODY_LIMIT = 8 * 1024;
const LINK_TOKEN_PATTERN = '^[A-Za-z0-9_-]{1,2048}\\.[A-Za-z0-9_-]{1,128}$';
export const TokenQuery = Type.Object(
  {
    t: Type.String({
      pattern: LINK_TOKEN_PATTERN,
      maxLength: 2200,
      description: 'The signed token from the email.',
    }),
  },
  { additionalProperties: false },
);

export const CATEGORY_LABELS: Record<Category, string> = {
  transactional: 'messages about things you asked for',
  events: 'event reminders',
  community: 'community news',
  surveys: 'surveys',
};

export interface LinksDeps {
  models: Models;
  links: LinkSigner;
  accept: AcceptEvents;
  communityName: () => Promise<string>;
  rateLimit: { rateLimit: { max: number; timeWindow: number } };
}

export type LinkPageKit = ReturnType<typeof linkPageKit>;

export function linkPageKit(deps: LinksDeps) {
  const { models, links } = deps;
  const config = { page: true, ...deps.rateLimit };
  const schema = (summary: string) => ({
    summary,
    tags: ['signed links'],
    querystring: TokenQuery,
    response: { 200: HtmlPage, ...errorResponses(400, 403, 404, 413, 415, 429) },
  });
  const schemaWithBody = <Body extends TSchema>(summary: string, body: Body) => ({
    ...schema(summary),
    body,
  });
  const show = async (reply: FastifyReply, page: Page) =>
    reply.type('text/html; charset=utf-8').send(renderPage(await deps.communityName(), page));

  /** The payload of a link for this page, or a clear refusal: a bad or expired link never acts. */
  const opened = (action: LinkAction, token: string): LinkPayload => {
    const result = links.verify(token);
    if (!result.ok && result.reason === 'expired') {
      throw new Forbidden('this link has expired: use the link in a newer email from us');
    }
    if (!result.ok)
      throw new Forbidden(
        'this link is not valid: it may have been cut short. Copy the whole link from the email',
      );
    if (result.payload.a !== action) throw new Forbidden('this link is for another page');
    return result.payload;
  };
  const member = (id: string) => models.members.findById(id).lean<MemberDoc>().exec();
  const knownMember = async (id: string) => {
    const found = await member(id);
    if (found === null) throw new NotFound('we could not find the member this link is for');
    return found;
  };

  return { config, schema, schemaWithBody, show, opened, member, knownMember };
}

export const EmptyForm = Type.Object({}, { additionalProperties: false });

/** The same click on the same link is the same event: a double submit is a duplicate, not a second event. */
export function linkEventId(action: LinkAction, token: string, detail: string): string {
  return `link:${action}:${createHash('sha256').update(`${token}\n${detail}`).digest('hex').slice(0, 32)}`;
}

export function describe(categories: readonly Category[]): string {
  if (categories.length === UNSUBSCRIBABLE.length)
    return 'any emails but the ones about things you asked for';
  return categories.map((category) => CATEGORY_LABELS[category]).join(' and ');
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
