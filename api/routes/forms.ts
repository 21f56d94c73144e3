// POST /v1/forms/:name: public HTML forms (community.yaml `forms`). A person submits, the form's event is
// accepted, and the browser goes on to the form's redirect page; a bot that fills the honeypot field is
// told the same and nothing happens. Bad input gets a readable page (or JSON when asked for).

import formbody from '@fastify/formbody';
import { Type } from '@sinclair/typebox';
import type { AcceptEvents } from '../acceptEvents.js';
import { wantsPage } from '../errorHandler.js';
import { NotFound } from '../errors.js';
import { formEvent, isHoneypotFilled } from '../formEvent.js';
import { renderPage } from '../pages/render.js';
import { ownEntry, type PlansSource } from '../plansSource.js';
import { errorResponses, HtmlPage, Name } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';

const FORM_BODY_LIMIT = 16 * 1024;
const FORM_FIELD_PATTERN = '^[A-Za-z][A-Za-z0-9_-]{0,63}$';

const FormBody = Type.Record(
  Type.String({ pattern: FORM_FIELD_PATTERN }),
  Type.Union([
    Type.String({ maxLength: 5000 }),
    Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 }),
  ]),
  {
    maxProperties: 50,
    description: 'The fields community.yaml maps for this form, and the honeypot `website`.',
  },
);

interface FormsDeps {
  plans: PlansSource;
  accept: AcceptEvents;
  rateLimit: { rateLimit: { max: number; timeWindow: number } };
}

export async function formsRoutes(app: TendApp, { plans, accept, rateLimit }: FormsDeps): Promise<void> {
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT });

  app.post(
    '/v1/forms/:name',
    {
      bodyLimit: FORM_BODY_LIMIT,
      config: { page: true, ...rateLimit },
      schema: {
        summary: 'Submit a public form',
        description:
          "application/x-www-form-urlencoded or JSON. Answers 303 to the form's redirect, or 202 JSON with `Accept: application/json`.",
        tags: ['forms'],
        params: Type.Object({ name: Name }, { additionalProperties: false }),
        body: FormBody,
        response: {
          200: HtmlPage,
          202: Type.Object(
            { id: Type.String(), status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate')]) },
            { additionalProperties: false },
          ),
          ...errorResponses(400, 404, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const community = await plans.community();
      const form = ownEntry(community.forms, name);
      if (form === undefined) throw new NotFound(`there is no form named "${name}"`);
      let answer: { id: string; status: 'accepted' | 'duplicate' } = { id: '', status: 'accepted' };
      if (isHoneypotFilled(request.body)) {
        request.log.info({ form: name }, 'form honeypot filled: answered as if accepted, nothing done');
      } else {
        const [result] = await accept([formEvent(name, form, request.body)], { where: () => 'form' });
        if (result !== undefined) answer = { id: result.id, status: result.status };
      }
      if (!wantsPage(request)) return reply.code(202).send(answer);
      if (form.redirect !== null) return reply.redirect(form.redirect, 303);
      const page = renderPage(community.settings.name, {
        name: 'message',
        title: 'Thank you',
        values: { message: 'We have your form.' },
      });
      return reply.type('text/html; charset=utf-8').send(page);
    },
  );
}
