// POST /v1/forms/:name on the real stack: the shipped `join` form (email, name, interests -> member.applied).

import { beforeAll, describe, expect, it } from 'vitest';
import { useApi } from './support/app.js';
import { putPlansInService, shippedPlans, useStack } from './support/stack.js';

const stack = useStack();
const api = useApi(stack);

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
});

function submit(body: string, headers: Record<string, string> = {}, name = 'join') {
  return api.app.inject({
    method: 'POST',
    url: `/v1/forms/${name}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: body,
  });
}

/** Forms answer once the event is accepted; what it does happens a moment later. */
async function eventually<T>(read: () => Promise<T | null>): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await read();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('never happened');
}

describe('POST /v1/forms/:name', () => {
  it('turns a urlencoded submission into member.applied and redirects to the thank-you page', async () => {
    const response = await submit(
      'email=Fay%40Example.org&name=Fay&interests=trail%2C+hills&interests=parkrun',
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('https://riverside.example/thanks');
    const member = await eventually(() =>
      stack.models.members
        .findOne({ email: 'fay@example.org', name: { $exists: true } })
        .lean()
        .exec(),
    );
    expect(member).toMatchObject({
      name: 'Fay',
      status: 'applied',
      interests: ['trail', 'hills', 'parkrun'],
    });
    const run = await eventually(() =>
      stack.models.runs
        .findOne({ memberId: member._id, playbook: 'application-review', status: { $ne: 'starting' } })
        .lean()
        .exec(),
    );
    expect(run.workflowId).toBe(`run:application-review:${member._id}`);
  });

  it('answers JSON when asked, and takes a JSON body', async () => {
    const response = await submit(JSON.stringify({ email: 'gil@example.org', name: 'Gil' }), {
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(response.statusCode).toBe(202);
    const answer = response.json<{ id: string; status: string }>();
    expect(answer.status).toBe('accepted');
    expect(answer.id).toMatch(/^[0-9A-Z]{26}$/);
    await eventually(() => stack.models.members.findOne({ email: 'gil@example.org' }).lean().exec());
  });

  it('pretends to accept a submission that fills the honeypot, and does nothing', async () => {
    const eventsBefore = await stack.models.eventLog.countDocuments().exec();
    const response = await submit('email=bot%40spam.example&name=Bot&website=http%3A%2F%2Fspam.example');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('https://riverside.example/thanks');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stack.models.members.countDocuments({ email: 'bot@spam.example' }).exec()).toBe(0);
    expect(await stack.models.eventLog.countDocuments().exec()).toBe(eventsBefore);
  });

  it('shows a readable, escaped error page for bad input', async () => {
    const response = await submit('email=not-an-email&name=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('Riverside Running Club');
    expect(response.body).toContain('form.email must be an email address');

    const unknownField = await submit('email=a%40b.example&%3Cb%3Ebold%3C%2Fb%3E=1');
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.body).not.toContain('<b>bold</b>');
  });

  it('names the field a form does not take', async () => {
    const response = await submit('email=hal%40example.org&phone=123', { accept: 'application/json' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'bad_request',
        message:
          'the form has a field "phone" that the join form does not take (it takes email, name, interests)',
      },
    });
  });

  it('answers 404 for a form community.yaml does not have, also for names on Object.prototype', async () => {
    for (const name of ['signup', 'constructor', 'tostring']) {
      const response = await submit('email=a%40b.example', { accept: 'application/json' }, name);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({
        error: { code: 'not_found', message: `there is no form named "${name}"` },
      });
    }
  });
});
