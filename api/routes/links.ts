// The pages behind the signed links in emails (/l/<action>?t=<token>). A GET only ever shows a page with a
// button: mail scanners and link previews follow every URL in an email, so following a link must decide
// nothing. The button POSTs back to the same URL, whose token (signed, expiring) authorises the action, which
// then goes in as an event through the same path as every other: unsubscribing emits email.unsubscribed,
// answering a survey survey.responded, an organiser's decision member.approved or member.declined.
//
// RFC 8058 one-click unsubscribe is a POST of `List-Unsubscribe=One-Click` to the unsubscribe URL, which the
// unsubscribe route takes urlencoded or multipart (the body says nothing the token does not).

import { createHash } from 'node:crypto';
import formbody from '@fastify/formbody';
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { UNSUBSCRIBABLE } from '../../activities/events/knownEvents.js';
import {
  expiresIn,
  type LinkAction,
  type LinkPayload,
  type LinkSigner,
} from '../../activities/links/signedLinks.js';
import { CATEGORIES, type Category } from '../../compiler/plan.js';
import type { MemberDoc, Models } from '../../db/index.js';
import { LONGEST_WAIT, type AcceptEvents } from '../acceptEvents.js';
import { BadRequest, Forbidden, NotFound } from '../errors.js';
import { renderPage, type Page } from '../pages/render.js';
import { errorResponses, HtmlPage, OneOf } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';

const LINK_BODY_LIMIT = 8 * 1024;
const LINK_TOKEN_PATTERN = '^[A-Za-z0-9_-]{1,2048}\\.[A-Za-z0-9_-]{1,128}$';
const TokenQuery = Type.Object(
  {
    t: Type.String({
      pattern: LINK_TOKEN_PATTERN,
      maxLength: 2200,
      description: 'The signed token from the email.',
    }),
  },
  { additionalProperties: false },
);

const CATEGORY_LABELS: Record<Category, string> = {
  transactional: 'messages about things you asked for',
  events: 'event reminders',
  community: 'community news',
  surveys: 'surveys',
};

interface LinksDeps {
  models: Models;
  links: LinkSigner;
  accept: AcceptEvents;
  communityName: () => Promise<string>;
  rateLimit: { rateLimit: { max: number; timeWindow: number } };
}

export async function linksRoutes(app: TendApp, deps: LinksDeps): Promise<void> {
  const { models, links, accept } = deps;
  await app.register(formbody, { bodyLimit: LINK_BODY_LIMIT });

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

  // The unsubscribe routes are a scope of their own: only they take multipart bodies (RFC 8058).
  app.register((unsubscribe: TendApp, _options, done) => {
    unsubscribe.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: LINK_BODY_LIMIT },
      (_request, _body, done) => done(null, {}),
    );
    unsubscribe.get(
      '/l/unsubscribe',
      { config, schema: schema('Unsubscribe: the page with the button') },
      async (request, reply) => {
        const link = opened('unsubscribe', request.query.t);
        const found = await member(link.m);
        return show(reply, {
          name: 'confirm',
          title: 'Unsubscribe',
          values: {
            question: `Stop sending ${found?.email ?? 'you'} ${describe(unsubscribeCategories(link))}?`,
            detail: 'You will still get messages about things you asked for, such as RSVP confirmations.',
            action: `?t=${request.query.t}`,
            button: 'Unsubscribe',
          },
        });
      },
    );
    unsubscribe.post(
      '/l/unsubscribe',
      {
        config,
        bodyLimit: LINK_BODY_LIMIT,
        schema: schemaWithBody(
          'Unsubscribe (also RFC 8058 one-click)',
          Type.Object(
            { 'List-Unsubscribe': Type.Optional(Type.Literal('One-Click')) },
            { additionalProperties: false },
          ),
        ),
      },
      async (request, reply) => {
        const link = opened('unsubscribe', request.query.t);
        const categories = unsubscribeCategories(link);
        await accept(
          categories.map((category) => ({
            type: 'email.unsubscribed',
            id: linkEventId('unsubscribe', request.query.t, category),
            memberId: link.m,
            data: { category },
          })),
          // Applied before the page answers, so that a change on the preferences page cannot be overtaken.
          { where: () => 'link', waitMs: LONGEST_WAIT },
        );
        return show(reply, {
          name: 'message',
          title: 'Unsubscribed',
          values: {
            message: `Done: no more ${describe(categories)}.`,
            link: links.url({ a: 'preferences', m: link.m, x: expiresIn('preferences', Date.now()) }),
            linkText: 'Choose which emails you get',
          },
        });
      },
    );
    done();
  });

  app.get(
    '/l/preferences',
    { config, schema: schema('Email preferences: the page') },
    async (request, reply) => {
      const link = opened('preferences', request.query.t);
      const found = await knownMember(link.m);
      const unsubscribed = found.unsubscribed ?? [];
      return show(reply, {
        name: 'preferences',
        title: 'Email preferences',
        values: {
          email: found.email,
          action: `?t=${request.query.t}`,
          categories: CATEGORIES.map((category) => ({
            value: category,
            label: capitalised(CATEGORY_LABELS[category]),
            checked: !unsubscribed.includes(category),
            locked: !(UNSUBSCRIBABLE as readonly string[]).includes(category),
          })),
        },
      });
    },
  );

  app.post(
    '/l/preferences',
    {
      config,
      bodyLimit: LINK_BODY_LIMIT,
      schema: schemaWithBody(
        'Email preferences: save',
        Type.Object(
          {
            categories: Type.Optional(
              Type.Union([OneOf(CATEGORIES), Type.Array(OneOf(CATEGORIES), { maxItems: CATEGORIES.length })]),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    },
    async (request, reply) => {
      const link = opened('preferences', request.query.t);
      const found = await knownMember(link.m);
      const chosen = [request.body.categories ?? []].flat();
      const unsubscribed = UNSUBSCRIBABLE.filter((category) => !chosen.includes(category));
      const added = unsubscribed.filter((category) => !(found.unsubscribed ?? []).includes(category));
      // The events go in first and are applied before the list is written, so that their $addToSet can never
      // land after this choice (or a later one) and undo a re-subscription.
      if (added.length > 0) {
        await accept(
          added.map((category) => ({ type: 'email.unsubscribed', memberId: link.m, data: { category } })),
          { where: () => 'link', waitMs: LONGEST_WAIT },
        );
      }
      await models.members.updateOne({ _id: link.m }, { $set: { unsubscribed } }).exec();
      return show(reply, {
        name: 'message',
        title: 'Saved',
        values: {
          message:
            unsubscribed.length === 0
              ? 'You get every email from us.'
              : `You will no longer get ${describe(unsubscribed)}.`,
        },
      });
    },
  );

  app.get(
    '/l/survey',
    { config, schema: schema('Survey: the page with the score') },
    async (request, reply) => {
      const link = opened('survey', request.query.t);
      const eventId = surveyEvent(link);
      const event = await models.events.findById(eventId).lean().exec();
      return show(reply, {
        name: 'survey',
        title: 'How was it?',
        values: {
          question: `How likely are you to recommend ${event?.title ?? 'this event'} to a friend?`,
          scores: Array.from({ length: 11 }, (_, value) => ({ value, selected: value === link.s })),
          action: `?t=${request.query.t}`,
        },
      });
    },
  );

  app.post(
    '/l/survey',
    {
      config,
      bodyLimit: LINK_BODY_LIMIT,
      schema: schemaWithBody(
        'Survey: record the answer',
        Type.Object(
          {
            score: Type.Optional(Type.String({ pattern: '^(10|[0-9])$', description: '0 to 10' })),
            comment: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
      ),
    },
    async (request, reply) => {
      const link = opened('survey', request.query.t);
      const eventId = surveyEvent(link);
      const score = request.body.score === undefined ? link.s : Number(request.body.score);
      if (score === undefined) throw new BadRequest('choose a score from 0 to 10');
      const comment = request.body.comment?.trim() || undefined;
      await accept(
        [
          {
            type: 'survey.responded',
            id: linkEventId('survey', request.query.t, `${score}\n${comment ?? ''}`),
            memberId: link.m,
            eventId,
            data: { score, ...(comment === undefined ? {} : { comment }) },
          },
        ],
        { where: () => 'survey' },
      );
      return show(reply, {
        name: 'surveyThanks',
        title: 'Thank you',
        values: { score, comment: comment !== undefined, action: `?t=${request.query.t}` },
      });
    },
  );

  for (const decision of ['approve', 'decline'] as const) {
    const verb = decision === 'approve' ? 'Approve' : 'Decline';
    app.get(
      `/l/${decision}`,
      { config, schema: schema(`${verb} a join request: the page`) },
      async (request, reply) => {
        const link = opened(decision, request.query.t);
        const found = await knownMember(link.m);
        return show(reply, {
          name: 'confirm',
          title: `${verb} ${found.name ?? found.email}`,
          values: {
            question: `${verb} ${found.name ?? found.email} (${found.email})?`,
            detail: `Their membership is ${found.status} now.`,
            action: `?t=${request.query.t}`,
            button: verb,
          },
        });
      },
    );
    app.post(
      `/l/${decision}`,
      { config, bodyLimit: LINK_BODY_LIMIT, schema: schemaWithBody(`${verb} a join request`, EmptyForm) },
      async (request, reply) => {
        const link = opened(decision, request.query.t);
        const found = await knownMember(link.m);
        const type = decision === 'approve' ? 'member.approved' : 'member.declined';
        await accept([{ type, id: linkEventId(decision, request.query.t, ''), memberId: link.m }], {
          where: () => 'link',
        });
        return show(reply, {
          name: 'message',
          title: 'Done',
          values: {
            message: `${found.name ?? found.email} is ${decision === 'approve' ? 'approved' : 'declined'}.`,
          },
        });
      },
    );
  }
}

const EmptyForm = Type.Object({}, { additionalProperties: false });

/** A token without a category (from a transactional email) stands for every category one can leave. */
function unsubscribeCategories(link: LinkPayload): Category[] {
  if (link.c === undefined) return [...UNSUBSCRIBABLE];
  const category = UNSUBSCRIBABLE.find((known) => known === link.c);
  if (category === undefined) throw new BadRequest(`"${link.c}" emails cannot be unsubscribed from`);
  return [category];
}

function surveyEvent(link: LinkPayload): string {
  if (link.e === undefined) throw new BadRequest('this survey link names no event');
  return link.e;
}

/** The same click on the same link is the same event: a double submit is a duplicate, not a second event. */
function linkEventId(action: LinkAction, token: string, detail: string): string {
  return `link:${action}:${createHash('sha256').update(`${token}\n${detail}`).digest('hex').slice(0, 32)}`;
}

function describe(categories: readonly Category[]): string {
  if (categories.length === UNSUBSCRIBABLE.length)
    return 'any emails but the ones about things you asked for';
  return categories.map((category) => CATEGORY_LABELS[category]).join(' and ');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
