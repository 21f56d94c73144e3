// POST /v1/webhooks/:name on the real stack: Standard Webhooks signatures over the raw body, the shipped
// `tally` mapping (email, eventId, data.score), redeliveries as duplicates.

import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { TALLY_SECRET, useApi } from './support/app.js';
import { putPlansInService, shippedPlans, useStack } from './support/stack.js';

const stack = useStack();
const api = useApi(stack);
const unconfigured = useApi(stack, { env: {} });

let counter = 0;
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${++counter}`;

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
  await stack.models.members.create({ _id: 'm-ivy', email: 'ivy@example.org', status: 'active' });
});

function tallyPayload(score: unknown, eventId = 'ev-webhook') {
  return JSON.stringify({
    eventType: 'FORM_RESPONSE',
    data: {
      respondent: { email: 'ivy@example.org' },
      hidden: { event_id: eventId },
      answers: { nps: score },
    },
  });
}

function signed(payload: string, options: { id?: string; at?: Date; secret?: string } = {}) {
  const id = options.id ?? unique('msg');
  const at = options.at ?? new Date();
  const signature = new Webhook(options.secret ?? TALLY_SECRET).sign(id, at, payload);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

function deliver(payload: string, headers: Record<string, string>, app = api.app, name = 'tally') {
  return app.inject({
    method: 'POST',
    url: `/v1/webhooks/${name}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload,
  });
}

async function response(memberId: string, eventId: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = await stack.models.surveyResponses.findOne({ memberId, eventId }).lean().exec();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no survey response');
}

describe('POST /v1/webhooks/:name', () => {
  it('verifies the signature, maps the payload and records what it says', async () => {
    const payload = tallyPayload(9);
    const headers = signed(payload);
    const answer = await deliver(payload, headers);
    expect(answer.statusCode).toBe(202);
    expect(answer.json()).toMatchObject({
      results: [
        { id: `webhook:tally:${headers['webhook-id']}`, type: 'survey.responded', status: 'accepted' },
      ],
    });
    expect(await response('m-ivy', 'ev-webhook')).toMatchObject({ score: 9 });
  });

  it('answers a redelivery of the same message as a duplicate', async () => {
    const payload = tallyPayload(7, 'ev-redelivered');
    const first = signed(payload);
    await deliver(payload, first);
    // Senders redeliver after a timeout: by then the first delivery's event is in the event log. (One
    // redelivered within milliseconds, before that, is answered `accepted` and is still processed once.)
    const eventId = `webhook:tally:${first['webhook-id']}`;
    for (let attempt = 0; attempt < 300; attempt++) {
      if ((await stack.models.eventLog.findById(eventId).lean().exec())?.status === 'routed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A redelivery carries the same webhook-id, a new timestamp and a new signature.
    const again = await deliver(payload, signed(payload, { id: first['webhook-id'] }));
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ results: [{ status: 'duplicate' }] });
  });

  it('takes a message signed with either of two secrets during a key rotation', async () => {
    const payload = tallyPayload(8, 'ev-rotation');
    const headers = signed(payload);
    const oldSecret = `whsec_${Buffer.from('an old secret of the sender').toString('base64')}`;
    const stale = signed(payload, { id: headers['webhook-id'], secret: oldSecret })['webhook-signature'];
    const answer = await deliver(payload, {
      ...headers,
      'webhook-signature': `${stale} ${headers['webhook-signature']}`,
    });
    expect(answer.statusCode).toBe(202);
  });

  it('refuses a tampered body, a wrong secret, an old timestamp and missing headers (401)', async () => {
    const payload = tallyPayload(10, 'ev-refused');
    const cases: [string, Record<string, string>, string][] = [
      [
        payload.replace('10', '0'),
        signed(payload),
        'the webhook signature is not valid: no matching signature found',
      ],
      [
        payload,
        signed(payload, { secret: `whsec_${Buffer.from('someone else').toString('base64')}` }),
        'no matching',
      ],
      [payload, signed(payload, { at: new Date(Date.now() - 6 * 60_000) }), 'message timestamp too old'],
      [payload, signed(payload, { at: new Date(Date.now() + 6 * 60_000) }), 'message timestamp too new'],
      [
        payload,
        { 'webhook-id': 'msg_1', 'webhook-timestamp': '1' },
        'needs the webhook-id, webhook-timestamp',
      ],
    ];
    for (const [body, headers, reason] of cases) {
      const answer = await deliver(body, headers);
      expect(answer.statusCode).toBe(401);
      expect(answer.json<{ error: { message: string } }>().error.message).toContain(reason);
    }
    expect(await stack.models.surveyResponses.countDocuments({ eventId: 'ev-refused' }).exec()).toBe(0);
  });

  it('refuses a payload whose mapped values do not fit the event (422)', async () => {
    const payload = tallyPayload('nine', 'ev-bad-score');
    const answer = await deliver(payload, signed(payload));
    expect(answer.statusCode).toBe(422);
    expect(answer.json<{ error: { message: string } }>().error.message).toBe(
      'event.data.score must be a whole number',
    );
  });

  it('answers 404 for a webhook community.yaml does not have', async () => {
    const payload = tallyPayload(5);
    const answer = await deliver(payload, signed(payload), api.app, 'typeform');
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toEqual({
      error: { code: 'not_found', message: 'there is no webhook named "typeform"' },
    });
  });

  it('says the webhook is not set up when its secret is missing from the environment (503)', async () => {
    const payload = tallyPayload(5);
    const answer = await deliver(payload, signed(payload), unconfigured.app);
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toEqual({
      error: { code: 'unavailable', message: 'the tally webhook is not set up on this server yet' },
    });
  });
});
