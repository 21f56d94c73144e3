// The API over a real socket (listen + fetch): the same event posted 20 times at once starts one run, the
// OpenAPI page lists every route, request ids travel, and the public routes are rate-limited per address.

import { beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, useApi } from './support/app.js';
import { putPlansInService, shippedPlans, useStack } from './support/stack.js';

const stack = useStack();
const api = useApi(stack);
const limited = useApi(stack, { publicRateLimit: { max: 3, timeWindowMs: 60_000 } });

let base = '';
let limitedBase = '';

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
  const origin = async (app: typeof api.app) => {
    // listen() answers with the address it bound, port included.
    return app.listen({ port: 0, host: '127.0.0.1' });
  };
  base = await origin(api.app);
  limitedBase = await origin(limited.app);
});

interface Result {
  id: string;
  status: 'accepted' | 'duplicate';
  runsStarted: string[];
}

/**
 * Waits for the events to be routed (Prefer: wait): only then does the answer say which of the concurrent
 * requests claimed the event (`accepted`) and which found it claimed (`duplicate`); without the wait, a repeat
 * sent before the first is claimed is answered `accepted`, pending (docs/api.md).
 */
function postEvent(body: object, headers: Record<string, string> = {}) {
  return fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      prefer: 'wait=10',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe('over a real socket', () => {
  it('starts one run for the same event posted 20 times at once', async () => {
    const body = { type: 'member.applied', id: 'concurrent-apply', email: 'quinn@example.org' };
    const responses = await Promise.all(Array.from({ length: 20 }, () => postEvent(body)));
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 20 }, () => 202));
    const results = await Promise.all(
      responses.map(async (response) => ((await response.json()) as { results: Result[] }).results[0]),
    );
    expect(results.filter((result) => result?.status === 'accepted')).toHaveLength(1);
    expect(results.filter((result) => result?.status === 'duplicate')).toHaveLength(19);
    const member = await stack.models.members.findOne({ email: 'quinn@example.org' }).lean().exec();
    const run = `run:application-review:${member?._id}`;
    expect(new Set(results.map((result) => JSON.stringify(result?.runsStarted)))).toEqual(
      new Set([JSON.stringify([run])]),
    );
    expect(await stack.models.runs.countDocuments({ memberId: member?._id }).exec()).toBe(1);
    expect(await stack.models.eventLog.countDocuments({ _id: 'concurrent-apply' }).exec()).toBe(1);
  });

  it('does the same for an event without an id sent 20 times with one Idempotency-Key', async () => {
    const body = { type: 'member.applied', email: 'rey@example.org' };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postEvent(body, { 'idempotency-key': 'concurrent-key' })),
    );
    const statuses = await Promise.all(
      responses.map(
        async (response) => ((await response.json()) as { results: Result[] }).results[0]?.status,
      ),
    );
    expect(statuses.filter((status) => status === 'accepted')).toHaveLength(1);
    const member = await stack.models.members.findOne({ email: 'rey@example.org' }).lean().exec();
    expect(await stack.models.runs.countDocuments({ memberId: member?._id }).exec()).toBe(1);
  });

  it('serves the OpenAPI document with every route, and the page at /docs', async () => {
    const document = (await (await fetch(`${base}/docs/json`)).json()) as { paths: Record<string, object> };
    expect(Object.keys(document.paths).sort()).toEqual([
      '/healthz',
      '/l/approve',
      '/l/click',
      '/l/decline',
      '/l/preferences',
      '/l/survey',
      '/l/unsubscribe',
      '/readyz',
      '/v1/events',
      '/v1/forms/{name}',
      '/v1/playbooks',
      '/v1/playbooks/{id}/stats',
      '/v1/reports/health',
      '/v1/runs',
      '/v1/runs/{id}',
      '/v1/runs/{id}/cancel',
      '/v1/webhooks/{name}',
    ]);
    const page = await fetch(`${base}/docs`, { redirect: 'follow' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('answers with the request id it was given, or one of its own', async () => {
    const given = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-123');
    const made = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'not a token <script>' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('answers an unknown route with a 404 and a message', async () => {
    const response = await fetch(`${base}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: 'there is no GET /v1/nothing-here: see /docs for the routes' },
    });
  });

  it('rate-limits the public routes per address', async () => {
    const submit = () =>
      fetch(`${limitedBase}/v1/forms/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: 'email=&name=spam',
      });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) statuses.push((await submit()).status);
    expect(statuses).toEqual([422, 422, 422, 429]);
    const refused = await submit();
    expect(refused.headers.get('retry-after')).not.toBeNull();
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('too_many_requests');
    expect(error.message).toMatch(/^too many requests from this address: try again in/);
    // The keyed routes are not limited.
    const keyed = await fetch(`${limitedBase}/v1/playbooks`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(keyed.status).toBe(200);
  });
});
