// POST /v1/events on the real stack: API keys, what each event did, idempotency, refusals with messages.

import { beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, useApi } from './support/app.js';
import { putPlansInService, shippedPlans, useStack } from './support/stack.js';

const stack = useStack();
const api = useApi(stack);

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
});

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

/** POST /v1/events asking to wait for the runs (Prefer: wait), as a caller who wants runsStarted does. */
function post(body: unknown, headers: Record<string, string> = {}) {
  return api.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: {
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      prefer: 'wait=30',
      ...headers,
    },
    payload: JSON.stringify(body),
  });
}

async function memberId(email: string): Promise<string> {
  const member = await stack.models.members.findOne({ email }).lean().exec();
  if (!member) throw new Error(`no member ${email}`);
  return member._id;
}

describe('POST /v1/events', () => {
  it('refuses a request without a valid API key, and takes every configured key', async () => {
    const event = { type: 'ping.sent' };
    const missing = await api.app.inject({ method: 'POST', url: '/v1/events', payload: event });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual({
      error: { code: 'unauthorized', message: 'an API key is required: send Authorization: Bearer <key>' },
    });
    const wrong = await post(event, { authorization: 'Bearer not-a-key' });
    expect(wrong.json()).toEqual({ error: { code: 'unauthorized', message: 'this API key is not valid' } });
    const older = await post(event, { authorization: 'Bearer an-old-key-still-valid' });
    expect(older.statusCode).toBe(202);
  });

  it('applies member.applied, starts the application review, and says so', async () => {
    const id = unique('apply');
    const response = await post({
      type: 'member.applied',
      id,
      email: 'ann@example.org',
      data: { name: 'Ann' },
    });
    expect(response.statusCode).toBe(202);
    const member = await stack.models.members.findOne({ email: 'ann@example.org' }).lean().exec();
    expect(member).toMatchObject({ name: 'Ann', status: 'applied' });
    expect(response.json()).toEqual({
      results: [
        {
          id,
          type: 'member.applied',
          status: 'accepted',
          runsStarted: [`run:application-review:${member?._id}`],
          runsSignalled: [],
        },
      ],
    });
  });

  it('starts onboarding on member.approved and reaches the review, which exits on it', async () => {
    await post({ type: 'member.applied', id: unique('apply'), email: 'bob@example.org' });
    const bob = await memberId('bob@example.org');
    const response = await post({ type: 'member.approved', id: unique('approve'), memberId: bob });
    const [result] = response.json<{ results: { runsStarted: string[]; runsSignalled: string[] }[] }>()
      .results;
    expect(result?.runsStarted).toEqual([`run:onboarding:${bob}`]);
    expect(result?.runsSignalled).toEqual([`run:application-review:${bob}`]);
  });

  it('answers a repeat (Idempotency-Key) with the first answer, marked duplicate, and starts nothing twice', async () => {
    const key = unique('key');
    const body = { type: 'member.applied', email: 'cat@example.org' };
    const first = (await post(body, { 'idempotency-key': key })).json<{ results: object[] }>();
    const again = await post(body, { 'idempotency-key': key });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ results: [{ ...first.results[0], id: key, status: 'duplicate' }] });
    const cat = await memberId('cat@example.org');
    expect(await stack.models.runs.countDocuments({ memberId: cat }).exec()).toBe(1);
  });

  it('refuses the same id with a different body (422)', async () => {
    const id = unique('reuse');
    await post({ type: 'member.applied', id, email: 'dan@example.org' });
    const response = await post({
      type: 'member.applied',
      id,
      email: 'dan@example.org',
      data: { name: 'Dan' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('unprocessable');
  });

  it('takes an array and answers for each event in order', async () => {
    const eventId = unique('ev');
    await post({ type: 'member.applied', id: unique('apply'), email: 'eve@example.org' });
    const eve = await memberId('eve@example.org');
    const ids = [unique('rsvp'), unique('upd'), unique('custom')];
    const response = await post([
      { type: 'rsvp.created', id: ids[0], memberId: eve, eventId },
      {
        type: 'event.updated',
        id: ids[1],
        eventId,
        data: { title: 'Hill repeats', startsAt: '2031-03-01T09:00:00Z' },
      },
      { type: 'training.logged', id: ids[2], memberId: eve, data: { km: 5 } },
    ]);
    expect(response.statusCode).toBe(202);
    const results = response.json<{
      results: { id: string; runsStarted: string[]; runsSignalled: string[] }[];
    }>().results;
    expect(results.map((result) => result.id)).toEqual(ids);
    expect(results[0]?.runsStarted).toEqual([`run:event-reminders:${eve}:${eventId}`]);
    // An event about the community event alone reaches the run keyed on it.
    expect(results[1]?.runsSignalled).toEqual([`run:event-reminders:${eve}:${eventId}`]);
    expect(results[2]).toMatchObject({ status: 'accepted', runsStarted: [], runsSignalled: [] });
    const event = await stack.models.events.findById(eventId).lean().exec();
    expect(event?.title).toBe('Hill repeats');
  });

  it('answers 202 as soon as the events are accepted when the caller does not ask to wait', async () => {
    const id = unique('fast');
    const response = await post({ type: 'member.applied', id, email: 'fast@example.org' }, { prefer: '' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      results: [
        { id, type: 'member.applied', status: 'accepted', runsStarted: [], runsSignalled: [], pending: true },
      ],
    });
    // Accepted is durable: the event is applied and routed all the same.
    for (let attempt = 0; attempt < 300; attempt++) {
      const log = await stack.models.eventLog.findById(id).lean().exec();
      if (log?.status === 'routed') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`event ${id} was never routed`);
  });

  it('gives every event an id when it has none', async () => {
    const response = await post({ type: 'app.opened' });
    const [result] = response.json<{ results: { id: string }[] }>().results;
    expect(result?.id).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('refuses a known event type that lacks what it needs (422), naming the field', async () => {
    const response = await post({ type: 'rsvp.created', memberId: 'm-1' });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      error: {
        code: 'unprocessable',
        message: 'body.eventId is required: rsvp.created is about a community event',
      },
    });
  });

  it('refuses an invalid event (400) with a message that names the field', async () => {
    const response = await post([{ type: 'ok.event' }, { type: 'Not A Type' }]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'bad_request',
        message: 'body[1].type must be lowercase words separated by dots, e.g. member.approved',
      },
    });
  });
});
