// "An outage answers 500" (issue #9): with either server Tend depends on down, every route answers 503 with
// Retry-After and a message that names the server (never 500), and once the server is back the same API,
// without a restart, answers normally. Each server is this file's own (ownServers.ts), SIGKILLed and started
// again on the same port and data.

import type { InjectOptions } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { expiresIn } from '../../domain/links/signedLinks.js';
import { newId } from '../../domain/events/newId.js';
import { eventually } from '../acceptance/support/eventually.js';
import {
  FAULTS_API_KEY,
  FAULTS_PUBLIC_URL,
  FAULTS_WEBHOOK_SECRET,
  useOwnApi,
  type OwnApi,
} from './support/ownApi.js';
import { useOwnServers, type KillableServer } from './support/ownServers.js';

const servers = useOwnServers();
const api = useOwnApi(servers);

beforeAll(async () => {
  // The member the events and links below are about: an event about nobody would wait for its member.
  await api.models.members.create({ _id: 'm-faults', email: 'ada@example.org', status: 'active' });
});

interface RouteCall {
  name: string;
  /** What the route answers when every server is up. */
  healthy: number;
  request: () => InjectOptions;
}

const keyed = { authorization: `Bearer ${FAULTS_API_KEY}` };

function linkPath(api: OwnApi): string {
  const url = api.links.url({
    a: 'unsubscribe',
    m: 'm-faults',
    c: 'surveys',
    x: expiresIn('unsubscribe', Date.now()),
  });
  return url.slice(FAULTS_PUBLIC_URL.length);
}

function signedWebhook(): InjectOptions {
  const messageId = `msg_${newId()}`;
  const sentAt = new Date();
  const payload = JSON.stringify({
    data: { respondent: { email: 'ada@example.org' }, hidden: { event_id: 'ev-1' }, answers: { nps: 9 } },
  });
  return {
    method: 'POST',
    url: '/v1/webhooks/tally',
    headers: {
      'content-type': 'application/json',
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(FAULTS_WEBHOOK_SECRET).sign(messageId, sentAt, payload),
    },
    payload,
  };
}

/** One call of every route that needs a server; each call is new (fresh ids), so a 202 is not a repeat. */
function routeCalls(api: OwnApi): RouteCall[] {
  return [
    {
      name: 'POST /v1/events',
      healthy: 202,
      request: () => ({
        method: 'POST',
        url: '/v1/events',
        headers: { ...keyed, 'content-type': 'application/json' },
        payload: { type: 'member.active', id: `active-${newId()}`, email: 'ada@example.org' },
      }),
    },
    {
      name: 'POST /v1/forms/join',
      healthy: 303,
      request: () => ({
        method: 'POST',
        url: '/v1/forms/join',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=${newId()}%40example.org&name=Ada`,
      }),
    },
    { name: 'POST /v1/webhooks/tally', healthy: 202, request: signedWebhook },
    {
      name: 'GET /v1/runs',
      healthy: 200,
      request: () => ({ method: 'GET', url: '/v1/runs', headers: keyed }),
    },
    {
      name: 'GET /v1/runs/:id',
      healthy: 404,
      request: () => ({ method: 'GET', url: '/v1/runs/run:onboarding:m-nobody', headers: keyed }),
    },
    {
      name: 'POST /v1/runs/:id/cancel',
      healthy: 404,
      request: () => ({ method: 'POST', url: '/v1/runs/run:onboarding:m-nobody/cancel', headers: keyed }),
    },
    {
      name: 'GET /v1/playbooks',
      healthy: 200,
      request: () => ({ method: 'GET', url: '/v1/playbooks', headers: keyed }),
    },
    { name: 'GET /l/unsubscribe', healthy: 200, request: () => ({ method: 'GET', url: linkPath(api) }) },
    {
      name: 'POST /l/unsubscribe',
      healthy: 200,
      request: () => ({
        method: 'POST',
        url: linkPath(api),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      }),
    },
    { name: 'GET /readyz', healthy: 200, request: () => ({ method: 'GET', url: '/readyz' }) },
  ];
}

interface Answer {
  name: string;
  status: number;
  retryAfter: string | undefined;
  body: string;
}

async function callEveryRoute(): Promise<Answer[]> {
  return Promise.all(
    routeCalls(api).map(async ({ name, request }) => {
      const response = await api.app.inject(request());
      const retryAfter = response.headers['retry-after'];
      return { name, status: response.statusCode, retryAfter: retryAfter?.toString(), body: response.body };
    }),
  );
}

/** Every route answers as it does when healthy (the server is back and the API found it by itself). */
async function expectRecovered(): Promise<void> {
  const healthy = new Map(routeCalls(api).map(({ name, healthy }) => [name, healthy]));
  const answers = await eventually(
    'every route answers as it does when healthy',
    async () => {
      const all = await callEveryRoute();
      return all.every(({ name, status }) => status === healthy.get(name)) ? all : undefined;
    },
    { timeoutMs: 60_000 },
  );
  expect(answers.map(({ status }) => status)).not.toContain(503);
}

async function duringOutage(server: KillableServer, name: string, mustRefuse: string[]): Promise<void> {
  await expectRecovered();
  await server.kill();
  try {
    const answers = await callEveryRoute();
    const healthy = new Map(routeCalls(api).map((call) => [call.name, call.healthy]));
    for (const answer of answers) {
      // A route that needs the server refuses with 503; one that does not answers as usual. Never a 500.
      expect([503, healthy.get(answer.name)], `${answer.name}: ${answer.body}`).toContain(answer.status);
      if (answer.status !== 503) continue;
      expect(answer.retryAfter, `${answer.name} without Retry-After`).toMatch(/^\d+$/);
      if (!answer.body.startsWith('<'))
        expect(JSON.parse(answer.body), answer.name).toEqual({
          error: { code: 'unavailable', message: expect.stringMatching(/try again|not ready/) as unknown },
        });
    }
    const refused = answers.filter(({ status }) => status === 503).map(({ name }) => name);
    expect(refused).toEqual(expect.arrayContaining(mustRefuse));
    const events = answers.find((answer) => answer.name === 'POST /v1/events');
    expect(events?.body).toMatch(new RegExp(`cannot reach (${name}|one of its servers)`));
  } finally {
    await server.restart();
  }
  await expectRecovered();
}

describe('an outage answers 503, never 500, and the API recovers by itself', { timeout: 240_000 }, () => {
  it('with the MongoDB-wire server killed', async () => {
    await duringOutage(servers.mongo, 'MongoDB', [
      'POST /v1/events',
      'POST /v1/forms/join',
      'POST /v1/webhooks/tally',
      'GET /v1/runs',
      'GET /v1/playbooks',
      'POST /l/unsubscribe',
      'GET /readyz',
    ]);
  });

  it('with the Temporal server killed', async () => {
    await duringOutage(servers.temporal, 'Temporal', [
      'POST /v1/events',
      'POST /v1/forms/join',
      'POST /v1/webhooks/tally',
      'GET /v1/runs/:id',
      'POST /v1/runs/:id/cancel',
      'POST /l/unsubscribe',
      'GET /readyz',
    ]);
  });
});
