// POST /v1/webhooks/:name: signed third-party webhooks (community.yaml `webhooks`). The signature is a
// Standard Webhooks signature over the raw body, so this scope keeps the body as bytes: a parsed and
// re-serialised body would not be what was signed. Only after verification is the body parsed and mapped.

import { Type } from '@sinclair/typebox';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { AcceptEvents } from '../acceptEvents.js';
import { BadRequest, NotFound, ServiceUnavailable, Unauthorized } from '../errors.js';
import { ownEntry, type PlansSource } from '../plansSource.js';
import { errorResponses, Name } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';
import { webhookEvent } from '../webhookEvent.js';
import { EventsAnswer } from './events.js';

const WEBHOOK_BODY_LIMIT = 256 * 1024;

const WebhookHeaders = Type.Object({
  // Optional in the schema so that a missing signature is a 401, not a 400.
  'webhook-id': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$', maxLength: 64 })),
  'webhook-timestamp': Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', maxLength: 12 })),
  'webhook-signature': Type.Optional(Type.String({ maxLength: 2048 })),
});

interface WebhooksDeps {
  plans: PlansSource;
  accept: AcceptEvents;
  env: Record<string, string | undefined>;
  rateLimit: { rateLimit: { max: number; timeWindow: number } };
}

export function webhooksRoutes(app: TendApp, { plans, accept, env, rateLimit }: WebhooksDeps): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/v1/webhooks/:name',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      config: rateLimit,
      schema: {
        summary: 'Receive a signed webhook',
        description:
          'Standard Webhooks: `webhook-id`, `webhook-timestamp` (within 5 minutes) and `webhook-signature` (one or more space-separated `v1,<base64>`), an HMAC-SHA256 of `<id>.<timestamp>.<raw body>` with the secret in the environment variable community.yaml names. A redelivery with the same `webhook-id` is a duplicate.',
        tags: ['webhooks'],
        params: Type.Object({ name: Name }, { additionalProperties: false }),
        headers: WebhookHeaders,
        response: { 202: EventsAnswer, ...errorResponses(400, 401, 404, 413, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const hook = ownEntry((await plans.community()).webhooks, name);
      if (hook === undefined) throw new NotFound(`there is no webhook named "${name}"`);
      const id = request.headers['webhook-id'];
      const timestamp = request.headers['webhook-timestamp'];
      const signature = request.headers['webhook-signature'];
      if (id === undefined || timestamp === undefined || signature === undefined) {
        throw new Unauthorized(
          'a signed webhook needs the webhook-id, webhook-timestamp and webhook-signature headers',
        );
      }
      if (!Buffer.isBuffer(request.body)) throw new BadRequest('send the webhook payload as a JSON body');
      const secret = env[hook.secretEnv];
      if (secret === undefined || secret === '') {
        request.log.error({ webhook: name, variable: hook.secretEnv }, 'webhook secret is not set');
        throw new ServiceUnavailable(`the ${name} webhook is not set up on this server yet`);
      }
      verify(secret, request.body, {
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': signature,
      });
      const payload = parseJson(request.body);
      const results = await accept([webhookEvent(name, hook, payload, id)], { where: () => 'event' });
      return reply.code(202).send({ results });
    },
  );
}

function verify(secret: string, body: Buffer, headers: Record<string, string>): void {
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch (error) {
    throw new ServiceUnavailable(
      "this webhook's secret is not a Standard Webhooks secret: ask the operator",
      {
        cause: error,
      },
    );
  }
  try {
    // The library compares every `v1,` signature in constant time and checks the timestamp (±5 minutes).
    webhook.verify(body, headers, { jsonParse: false });
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    throw new Unauthorized(`the webhook signature is not valid: ${error.message.toLowerCase()}`, {
      cause: error,
    });
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BadRequest(
      `the webhook payload is not valid JSON: ${error instanceof Error ? error.message : ''}`,
      {
        cause: error,
      },
    );
  }
}
