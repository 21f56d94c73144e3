// GET /v1/reports/health and `tend report` over the seeded community: the same function as the domain's,
// in the zone of the shipped community.yaml (Europe/London), and clear 4xx answers to bad input.

import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { reportCommand } from '../../cli/report.js';
import { healthReport, type HealthReport } from '../../domain/reports/health/index.js';
import { API_KEY, useApi } from '../api/support/app.js';
import { useStack } from '../api/support/stack.js';
import { databaseUri } from '../support/mongo.js';
import { NOW, seedCommunity } from './support/seededCommunity.js';

const stack = useStack();
const api = useApi(stack, { clock: () => NOW.getTime() });
const authorised = { authorization: `Bearer ${API_KEY}` };
const get = (url: string) => api.app.inject({ method: 'GET', url, headers: authorised });

beforeAll(async () => {
  await seedCommunity(stack.models);
});

const london = (from: Date, to: Date, subgroup: string | null = null) =>
  healthReport(stack.models, { from, to, subgroup, now: NOW, zone: 'Europe/London' });

describe('GET /v1/reports/health', () => {
  it('answers the report for the period and subgroup asked, in the community zone', async () => {
    const response = await get('/v1/reports/health?from=2026-01-05T12:00:00Z&subgroup=north');
    expect(response.statusCode).toBe(200);
    const body = response.json<HealthReport>();
    expect(body).toEqual(await london(new Date('2026-01-05T12:00:00Z'), NOW, 'north'));
    expect(body.retention.day30).toEqual({ members: 2, retained: 2, rate: 100 });
  });

  it('defaults to the last 90 days, and reads dates as whole days in the community zone', async () => {
    const byDefault = (await get('/v1/reports/health')).json<HealthReport>();
    expect(byDefault.period).toMatchObject({ from: '2026-03-17T12:00:00.000Z', to: NOW.toISOString() });
    // 1 June 00:00 and 1 July 00:00 in London (summer time): 23:00 UTC the day before.
    const june = (await get('/v1/reports/health?from=2026-06-01&to=2026-06-30')).json<HealthReport>();
    expect(june.period).toMatchObject({ from: '2026-05-31T23:00:00.000Z', to: '2026-06-30T23:00:00.000Z' });
    expect(june.retention.cohorts.map((cohort) => cohort.month)).toEqual(['2026-06']);
  });

  it.each([
    ['from=2026-13-01', 'from: "2026-13-01" is not a date'],
    ['from=2026-06-10&to=2026-06-01', 'must be before to'],
    ['from=yesterday', 'from: "yesterday" is not a date: write YYYY-MM-DD or an ISO 8601 date and time'],
    ['subgroup=%24where', 'querystring.subgroup must be letters, digits'],
    ['limit=3', 'querystring has an unknown field "limit"'],
    ['from=2020-01-01&to=2026-01-01', 'at most'],
  ])('refuses %s with a 400 that says what is wrong', async (query, message) => {
    const response = await get(`/v1/reports/health?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { message: string } }>().error.message).toContain(message);
  });

  it('needs an API key', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/reports/health' });
    expect(response.statusCode).toBe(401);
  });
});

describe('tend report', () => {
  let printed: string[] = [];
  let env: Record<string, string>;

  beforeAll(() => {
    // The CLI connects by itself, as a manager's shell would: to the stack's database, by URI.
    env = {
      MONGODB_URI: databaseUri(inject('mongoUri'), stack.models.members.db.name),
      PLAYBOOKS_DIR: 'playbooks',
    };
  });
  afterEach(() => {
    vi.restoreAllMocks();
    printed = [];
  });
  const run = async (args: string[]) => {
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    vi.spyOn(console, 'error').mockImplementation((text: string) => void printed.push(text));
    const code = await reportCommand(args, env, NOW);
    return { code, output: printed.join('\n') };
  };

  it('prints the same report as JSON', async () => {
    const { code, output } = await run(['--from', '2026-01-05T12:00:00Z', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(output)).toEqual(await london(new Date('2026-01-05T12:00:00Z'), NOW));
  });

  it('prints the four numbers, tables and bars for a person', async () => {
    const { code, output } = await run(['--from', '2026-01-05T12:00:00Z']);
    expect(code).toBe(0);
    expect(output).toMatch(/^30-day retention\s+78%\s+███████▌··\s+7 of 9 members$/m);
    expect(output).toMatch(/^90-day retention\s+57%\s+█████▌····\s+4 of 7 members$/m);
    expect(output).toMatch(/^attendance\s+43%\s+████······\s+3 of 7 going, 3 events \(1 not recorded\)$/m);
    expect(output).toMatch(/^connection rate\s+50%\s+█████·····\s+5 of 10 new members/m);
    expect(output).toMatch(/^NPS\s+33\s+12 responses, response rate 75%$/m);
    expect(output).toMatch(/^March Run\s+2026-03-10\s+2\s+-\s+not recorded$/m);
    expect(output).toMatch(/^February Quiz\s+0 \(low confidence\)\s+2\s+1\s+0\s+1$/m);
    expect(output).toMatch(/^2026-03\s+2\s+100% ██████████\s+pending$/m);
  });

  it('prints every figure as CSV', async () => {
    const { code, output } = await run(['--from', '2026-01-05T12:00:00Z', '--csv', '--subgroup', 'north']);
    expect(code).toBe(0);
    const lines = output.split('\n');
    expect(lines[0]).toBe('figure,value');
    expect(lines).toContain('retention.day30.rate,100');
    expect(lines).toContain('retention.cohorts.2026-03.day90.status,pending');
    expect(lines).toContain('nps.events.e3.score,0');
    expect(lines).toContain('atRisk.members.f2.email,f2@example.org');
  });

  it('explains bad arguments and exits 2', async () => {
    expect(await run(['--from', '31/01/2026'])).toMatchObject({ code: 2 });
    expect(printed.join('\n')).toContain('"31/01/2026" is not a date');
    printed = [];
    expect(await run(['--json', '--csv'])).toMatchObject({ code: 2 });
    expect(printed.join('\n')).toContain('choose one');
  });
});
