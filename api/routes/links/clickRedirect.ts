// /l/click: the signed redirect every tracked link in an email goes through (domain/links/trackedLinks.ts).
// The click is recorded and classified (domain/clicks/), a human click goes in as `email.clicked` through the
// same acceptance as every other event, and the reader is sent on with a 302 to the address inside the
// signature. HEAD (what link scanners send) is recorded as raw and redirected the same way. A link whose token
// does not verify (a tampered address, a cut-short link) is a 403 page, never a redirect.

import { Type } from '@sinclair/typebox';
import { recordClick } from '../../../domain/clicks/recordClick.js';
import { Forbidden } from '../../errors.js';
import { errorResponses } from '../../schemas/common.js';
import type { TendApp } from '../../typeProvider.js';
import type { LinkPageKit, LinksDeps } from './linkPage.js';

/** A click token carries the link's whole address, so it may be longer than the other pages' tokens. */
const ClickTokenQuery = Type.Object(
  {
    t: Type.String({
      pattern: '^[A-Za-z0-9_-]{1,8000}\\.[A-Za-z0-9_-]{1,128}$',
      maxLength: 8200,
      description: 'The signed token from the email.',
    }),
  },
  { additionalProperties: false },
);

export function clickRedirect(app: TendApp, kit: LinkPageKit, { models, accept }: LinksDeps): void {
  const { config, opened } = kit;
  app.route({
    method: ['GET', 'HEAD'],
    url: '/l/click',
    config,
    schema: {
      summary: 'A tracked link: records the click and redirects (302) to the address the link was made for',
      tags: ['signed links'],
      querystring: ClickTokenQuery,
      response: {
        302: Type.Null({ description: 'Location: the link address from the email.' }),
        ...errorResponses(400, 403, 429),
      },
    },
    handler: async (request, reply) => {
      const link = opened('click', request.query.t);
      if (link.u === undefined || link.d === undefined) {
        throw new Forbidden('this link is not valid: it names no address to go to');
      }
      const method = request.method === 'HEAD' ? 'HEAD' : 'GET';
      const recorded = await recordClick(
        models,
        { delivery: link.d, memberId: link.m, url: link.u },
        { method, userAgent: request.headers['user-agent'], at: Date.now(), url: link.u },
      );
      if (recorded?.event) await accept([recorded.event], { where: () => 'click' });
      return reply.redirect(link.u, 302);
    },
  });
}
