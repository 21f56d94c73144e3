// Runs, playbooks and health on the real stack: the runs collection checked against Temporal, a run's status
// query, cancellation, the playbooks' state, and readiness that names what is not reachable.

import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLinkSigner } from '../../domain/links/signedLinks.js';
import { RUN_RECORD_STATUSES } from '../../db/index.js';
import { buildApp } from '../../api/app.js';
import { createPlaybooksFolderSource } from '../../api/playbooksFolder.js';
import { API_KEY, testConfig, useApi } from './support/app.js';
import { putPlansInService, shippedPlans, useStack } from './support/stack.js';

const stack = useStack({ realRuns: true });
const api = useApi(stack);

const authorised = { authorization: `Bearer ${API_KEY}` };
const DAY = 24 * 3600 * 1000;
const get = (url: string) => api.app.inject({ method: 'GET', url, headers: authorised });

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
  for (const name of ['nia', 'oli']) {
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/events',
      // Waits until the run is started (Prefer: wait), so that the runs below exist, in this order.
      headers: { ...authorised, 'content-type': 'application/json', prefer: 'wait=30' },
      payload: { type: 'member.applied', email: `${name}@example.org` },
    });
    expect(response.statusCode).toBe(202);
  }
});

async function runOf(email: string): Promise<string> {
  const member = await stack.models.members.findOne({ email }).lean().exec();
  return `run:application-review:${member?._id}`;
}

describe('GET /v1/runs', () => {
  it('lists runs newest first, by playbook and member, with a cursor', async () => {
    const all = await get('/v1/runs?playbook=application-review');
    expect(all.statusCode).toBe(200);
    const { runs } = all.json<{ runs: { id: string; status: string }[] }>();
    expect(runs.map((run) => run.id)).toEqual([
      await runOf('oli@example.org'),
      await runOf('nia@example.org'),
    ]);
    expect(runs.every((run) => run.status === 'running')).toBe(true);

    const firstPage = await get('/v1/runs?limit=1');
    const { next } = firstPage.json<{ next: string }>();
    const secondPage = await get(`/v1/runs?limit=1&before=${next}`);
    expect(secondPage.json<{ runs: { id: string }[] }>().runs[0]?.id).toBe(await runOf('nia@example.org'));

    const member = await stack.models.members.findOne({ email: 'nia@example.org' }).lean().exec();
    const byMember = await get(`/v1/runs?memberId=${member?._id}`);
    expect(byMember.json<{ runs: unknown[] }>().runs).toHaveLength(1);
  });

  it('refuses a `before` that is not the `next` of a page', async () => {
    const response = await get('/v1/runs?before=abc');
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { message: string } }>().error.message).toBe(
      'querystring.before is not the `next` of a page of runs',
    );
  });

  it('refuses filters it does not know, naming them', async () => {
    const response = await get('/v1/runs?status=sleeping');
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { message: string } }>().error.message).toBe(
      `querystring.status must be one of: ${RUN_RECORD_STATUSES.join(', ')}`,
    );
  });
});

describe('GET /v1/runs/:id and POST /v1/runs/:id/cancel', () => {
  it('asks the run for its state, cancels it, and says when there is nothing to cancel', async () => {
    const id = await runOf('oli@example.org');
    const member = await stack.models.members.findOne({ email: 'oli@example.org' }).lean().exec();
    let state = await get(`/v1/runs/${id}`);
    for (
      let attempt = 0;
      attempt < 100 && state.json<{ currentStep?: string }>().currentStep !== 'decision';
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await get(`/v1/runs/${id}`);
    }
    expect(state.statusCode).toBe(200);
    expect(state.json()).toMatchObject({
      id,
      playbook: 'application-review',
      memberId: member?._id,
      status: 'waiting',
      currentStep: 'decision',
    });
    const { steps, nextWakeAt } = state.json<{
      steps: { stepId: string; outcome: string; at: string }[];
      nextWakeAt: string;
    }>();
    expect(steps.find((step) => step.stepId === 'acknowledge')?.outcome).toBe('sent');
    // Times in ISO 8601, like every time in the API: the decision waits two days for the organisers.
    expect(new Date(nextWakeAt).toISOString()).toBe(nextWakeAt);
    expect(Date.parse(nextWakeAt)).toBeGreaterThan(Date.now() + DAY);
    for (const step of steps) expect(new Date(step.at).toISOString()).toBe(step.at);

    const cancelled = await api.app.inject({
      method: 'POST',
      url: `/v1/runs/${id}/cancel`,
      headers: authorised,
    });
    expect(cancelled.statusCode).toBe(202);
    expect(cancelled.json()).toEqual({ id, status: 'cancelling' });
    // A cancelled run exits with the reason `cancelled`: its workflow completes.
    expect(await stack.client.workflow.getHandle(id).result()).toMatchObject({
      kind: 'exited',
      reason: 'cancelled',
    });
    const again = await api.app.inject({ method: 'POST', url: `/v1/runs/${id}/cancel`, headers: authorised });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({
      error: { code: 'conflict', message: `run ${id} has already ended (completed)` },
    });

    // The run closed its own record on the way out: it exited (cancelled), not completed.
    const listed = await get('/v1/runs?playbook=application-review&status=exited');
    expect(listed.json<{ runs: { id: string }[] }>().runs.map((run) => run.id)).toEqual([id]);
  });

  it('answers 404 for a run that does not exist', async () => {
    for (const request of [
      () => get('/v1/runs/run:onboarding:nobody'),
      () =>
        api.app.inject({ method: 'POST', url: '/v1/runs/run:onboarding:nobody/cancel', headers: authorised }),
    ]) {
      const response = await request();
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({
        error: { code: 'not_found', message: 'there is no run run:onboarding:nobody' },
      });
    }
  });
});

describe('GET /v1/playbooks', () => {
  it('lists every playbook with its version, whether it is enabled and valid, and its errors', async () => {
    await stack.models.plans.create({
      playbook: 'broken',
      version: null,
      planJson: null,
      enabled: false,
      valid: false,
      diagnostics: ['playbooks/broken.yaml:3:1  unknown step "send_mail" (did you mean "send_email"?)'],
      current: true,
      compiledAt: new Date(),
      updatedAt: new Date(),
    });
    const response = await get('/v1/playbooks');
    expect(response.statusCode).toBe(200);
    const { playbooks } = response.json<{
      playbooks: { id: string; valid: boolean; version: string | null }[];
    }>();
    expect(playbooks.map((playbook) => playbook.id)).toEqual([
      'application-review',
      'broken',
      'event-feedback',
      'event-reminders',
      'onboarding',
      're-engagement',
      'weekly-digest',
    ]);
    expect(playbooks.find((playbook) => playbook.id === 'broken')).toEqual({
      id: 'broken',
      version: null,
      enabled: false,
      valid: false,
      errors: ['playbooks/broken.yaml:3:1  unknown step "send_mail" (did you mean "send_email"?)'],
    });
    const onboarding = playbooks.find((playbook) => playbook.id === 'onboarding');
    expect(onboarding).toMatchObject({ valid: true, enabled: true });
    expect(onboarding?.version).toMatch(/^[0-9a-f]+$/);
  });
});

describe('health', () => {
  it('says the process is up, and ready when Temporal and MongoDB answer', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await api.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('answers 503 naming Temporal when it is not reachable', async () => {
    // A client of a port nothing listens on: lazy, so building the app does not fail, only readiness does.
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const logger = pino({ level: 'silent' });
    const config = testConfig(stack.taskQueue);
    const app = await buildApp({
      config,
      models: stack.models,
      temporal: new Client({ connection }),
      plans: createPlaybooksFolderSource({ dir: config.playbooksDir, models: stack.models, logger }),
      links: createLinkSigner({ secret: config.secret, publicUrl: config.publicUrl }),
      logger,
    });
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json<{ error: { message: string } }>().error.message).toMatch(
        /^not ready: Temporal is not reachable/,
      );
      expect(ready.json<{ error: { message: string } }>().error.message).not.toContain('MongoDB');
    } finally {
      await app.close();
    }
  });
});

describe('the OpenAPI document', () => {
  /** Every property schema in the document, with its name and the route it belongs to. */
  function properties(node: unknown, where: string): { where: string; name: string; schema: unknown }[] {
    if (typeof node !== 'object' || node === null) return [];
    const found: { where: string; name: string; schema: unknown }[] = [];
    const entries: [string, unknown][] = Object.entries(node);
    for (const [key, value] of entries) {
      if (key === 'properties' && typeof value === 'object' && value !== null) {
        const named: [string, unknown][] = Object.entries(value);
        for (const [name, schema] of named) found.push({ where, name, schema });
      }
      found.push(...properties(value, where.startsWith('/') ? where : key));
    }
    return found;
  }
  /** A schema's alternatives other than null: `{ anyOf: [T, null] }` -> [T]. */
  const alternatives = (schema: unknown): unknown[] =>
    typeof schema === 'object' && schema !== null && 'anyOf' in schema && Array.isArray(schema.anyOf)
      ? schema.anyOf.filter(
          (item: unknown) =>
            !(typeof item === 'object' && item !== null && 'type' in item && item.type === 'null'),
        )
      : [schema];

  it('gives every time as an ISO 8601 string, in requests and answers alike', () => {
    const times = properties(api.app.swagger().paths, '').filter(({ name }) => /(^at|At)$/.test(name));
    expect(times.map(({ name }) => name)).toEqual(
      expect.arrayContaining(['startedAt', 'closedAt', 'nextWakeAt', 'at', 'occurredAt']),
    );
    for (const { where, name, schema } of times) {
      for (const alternative of alternatives(schema)) {
        expect(alternative, `${where} ${name}`).toMatchObject({ type: 'string', format: 'date-time' });
      }
    }
  });
});
