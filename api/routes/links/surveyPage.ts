// /l/survey: the score page, and the POST that emits survey.responded.

import { Type } from '@sinclair/typebox';
import type { LinkPayload } from '../../../domain/links/signedLinks.js';
import { BadRequest } from '../../errors.js';
import type { TendApp } from '../../typeProvider.js';
import { LINK_BODY_LIMIT, linkEventId, type LinkPageKit, type LinksDeps } from './linkPage.js';

export function surveyPage(app: TendApp, kit: LinkPageKit, { models, accept }: LinksDeps): void {
  const { config, schema, schemaWithBody, show, opened } = kit;
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
}

function surveyEvent(link: LinkPayload): string {
  if (link.e === undefined) throw new BadRequest('this survey link names no event');
  return link.e;
}
