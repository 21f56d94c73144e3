// /l/unsubscribe: the page with the button, and the POST (also RFC 8058 one-click) that emits
// email.unsubscribed for the link's categories.

import { Type } from '@sinclair/typebox';
import { UNSUBSCRIBABLE } from '../../../domain/events/knownEvents.js';
import { expiresIn, type LinkPayload } from '../../../domain/links/signedLinks.js';
import type { Category } from '../../../compiler/plan.js';
import { LONGEST_WAIT } from '../../acceptEvents.js';
import { BadRequest } from '../../errors.js';
import type { TendApp } from '../../typeProvider.js';
import { describe, LINK_BODY_LIMIT, linkEventId, type LinkPageKit, type LinksDeps } from './linkPage.js';

export function unsubscribePage(app: TendApp, kit: LinkPageKit, { links, accept }: LinksDeps): void {
  const { config, schema, schemaWithBody, show, opened, member } = kit;
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
}

/** A token without a category (from a transactional email) stands for every category one can leave. */
function unsubscribeCategories(link: LinkPayload): Category[] {
  if (link.c === undefined) return [...UNSUBSCRIBABLE];
  const category = UNSUBSCRIBABLE.find((known) => known === link.c);
  if (category === undefined) throw new BadRequest(`"${link.c}" emails cannot be unsubscribed from`);
  return [category];
}
