// GET /v1/playbooks/:id/stats over hand-written run records and journal entries (the end-to-end tests make
// them with real runs): the figures, the rows in plan order, the clicks on each send (human first, raw
// beside, each run's own), the same funnel `tend stats` prints as a table and as CSV, and a 4xx with a
// message for every kind of bad input.

import { beforeAll, describe, expect, it } from 'vitest';
import { createFunnelSummary } from '../../api/console/funnelSummary.js';
import { formatFunnel, funnelCsv, parseStatsArgs } from '../../cli/stats.js';
import type { Plan } from '../../compiler/plan.js';
import { runRecordId } from '../../db/index.js';
import type { PlaybookFunnel } from '../../domain/journal/funnel.js';
import { writeJournal } from '../../domain/journal/store.js';
import type { JournalNote } from '../../contract/journal.js';
import { API_KEY, useApi } from './support/app.js';
import { putPlansInService, shippedPlans, useStack } from './support/stack.js';

const stack = useStack();
const api = useApi(stack);
const authorised = { authorization: `Bearer ${API_KEY}` };
const get = (url: string, headers: Record<string, string> = authorised) =>
  api.app.inject({ method: 'GET', url, headers });

const START = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;
let onboarding: Plan;

/** A run of onboarding: its record and its journal, noted in order. */
async function run(memberId: string, notes: Omit<JournalNote, 'at'>[], sequence = 0): Promise<void> {
  const workflowId = `run:onboarding:${memberId}`;
  const startedAt = START + sequence * 1000 * HOUR;
  await stack.models.runs.create({
    _id: runRecordId(`onboarding:${memberId}`, sequence),
    runKey: `onboarding:${memberId}`,
    sequence,
    playbook: 'onboarding',
    version: onboarding.version,
    memberId,
    key: null,
    workflowId,
    triggerId: `t-${memberId}-${sequence}`,
    status: 'running',
    startedAt: new Date(startedAt),
    closedAt: null,
  });
  const run = {
    workflowId,
    sequence,
    playbook: 'onboarding',
    version: onboarding.version,
    memberId,
    startedAt,
  };
  await writeJournal(
    stack.models,
    run,
    notes.map((note, seq) => ({ ...note, at: startedAt + seq * HOUR, seq })),
  );
}

/** A click on an email of onboarding's run `sequence` of the member (db/clicks.ts), by `by`. */
let clickCount = 0;
async function click(
  memberId: string,
  sequence: number,
  stepId: string,
  human: boolean,
  by = memberId,
): Promise<void> {
  clickCount += 1;
  const workflowId = `run:onboarding:${memberId}`;
  const runStartedAt = START + sequence * 1000 * HOUR;
  await stack.models.clicks.create({
    _id: `click-${clickCount}`,
    delivery: `${workflowId}@${runStartedAt}/${stepId}/1`,
    memberId: by,
    playbook: 'onboarding',
    version: onboarding.version,
    stepId,
    template: 'welcome',
    workflowId,
    runStartedAt: new Date(runStartedAt),
    url: `https://example.org/${clickCount}`,
    at: new Date(runStartedAt + 5 * HOUR),
    method: 'GET',
    agent: human ? 'browser' : 'scanner',
    human,
    reason: human ? null : 'scanner-agent',
  });
}

beforeAll(async () => {
  const plans = await shippedPlans();
  await putPlansInService(stack.models, plans);
  const found = plans.find((plan) => plan.id === 'onboarding');
  if (!found) throw new Error('onboarding did not compile');
  onboarding = found;
  const entered = (stepId: string) => ({ stepId, kind: 'entered' as const });
  await run('s-1', [
    entered('welcome'),
    { stepId: 'welcome', kind: 'held', reason: 'quiet_hours', until: START + 3 * HOUR, occurrence: 1 },
    { stepId: 'welcome', kind: 'sent', template: 'welcome', occurrence: 1 },
    entered('steps.1'),
    { stepId: 'steps.1', kind: 'waiting', until: START + 50 * HOUR },
  ]);
  await run('s-2', [
    entered('welcome'),
    { stepId: 'welcome', kind: 'skipped', reason: 'unsubscribed', template: 'welcome', occurrence: 1 },
    entered('steps.1'),
    { stepId: 'steps.1', kind: 'exited', reason: 'event member.left' },
  ]);
  // s-1 again, a re-entry: a second run of the same member.
  await run(
    's-1',
    [
      entered('welcome'),
      { stepId: 'welcome', kind: 'failed', reason: '550 No such user', template: 'welcome', occurrence: 1 },
      entered('steps.1'),
      entered('profile-nudge'),
      { stepId: 'profile-nudge', kind: 'branch', branch: 'then' },
      entered('profile-nudge.then.0'),
      { stepId: 'profile-nudge.then.0', kind: 'sent', template: 'complete-profile', occurrence: 1 },
      { stepId: 'run', kind: 'completed' },
    ],
    1,
  );
  // s-1's first welcome: two human clicks (one member), a scanner's; a peer's click is not s-1's.
  await click('s-1', 0, 'welcome', true);
  await click('s-1', 0, 'welcome', true);
  await click('s-1', 0, 'welcome', false);
  await click('s-1', 0, 'welcome', true, 's-9');
  // The re-entry's nudge: only a scanner opened it.
  await click('s-1', 1, 'profile-nudge.then.0', false);
});

describe('GET /v1/playbooks/:id/stats', () => {
  it('answers the funnel: runs, members apart from re-entries, and each step in plan order', async () => {
    const response = await get(`/v1/playbooks/onboarding/stats?version=${onboarding.version}`);
    expect(response.statusCode).toBe(200);
    const funnel = response.json<PlaybookFunnel>();
    expect(funnel.runs).toEqual({
      started: 3,
      completed: 1,
      exited: 1,
      failed: 0,
      inFlight: 1,
      members: 2,
      reentries: 1,
    });
    expect(funnel.steps.slice(0, 4).map((row) => [row.stepId, row.depth])).toEqual([
      ['welcome', 0],
      ['steps.1', 0],
      ['profile-nudge', 0],
      ['profile-nudge.then.0', 1],
    ]);
    const [welcome, wait, nudge, nudged] = funnel.steps;
    expect(welcome).toMatchObject({
      entered: 3,
      sent: 1,
      held: { sends: 1, totalHeldMs: HOUR },
      skipped: { total: 1, byReason: { unsubscribed: 1 } },
      failed: { total: 1, byReason: { '550 No such user': 1 } },
    });
    expect(wait).toMatchObject({
      entered: 3,
      waiting: { runs: 1, nextWakeAt: new Date(START + 50 * HOUR).toISOString() },
      exited: { total: 1, byReason: { 'event member.left': 1 } },
    });
    expect(nudge).toMatchObject({ entered: 1, branches: { then: 1, else: 0 } });
    expect(nudged).toMatchObject({ entered: 1, sent: 1 });
    expect(welcome?.clicks).toEqual({ members: 1, sentTo: 1, rate: 1, human: 2, raw: 1 });
    expect(nudged?.clicks).toEqual({ members: 0, sentTo: 1, rate: 0, human: 0, raw: 1 });
    expect(wait?.clicks).toEqual({ members: 0, sentTo: 0, rate: null, human: 0, raw: 0 });
    expect(funnel.goal).toMatchObject({ name: 'Came to a first event', conversions: 0, decided: 3, rate: 0 });

    const all = await get('/v1/playbooks/onboarding/stats');
    expect(all.json<PlaybookFunnel>().runs.started).toBe(3);
    const window = await get(
      `/v1/playbooks/onboarding/stats?from=${new Date(START + HOUR).toISOString()}&to=2030-01-01T00:00:00Z`,
    );
    expect(window.json<PlaybookFunnel>().runs).toMatchObject({ started: 1, completed: 1, members: 1 });
  });

  it('is what tend stats prints: a table with nested steps indented, and CSV', async () => {
    const funnel = (await get('/v1/playbooks/onboarding/stats')).json<PlaybookFunnel>();
    const table = formatFunnel(funnel).split('\n');
    expect(table).toContain(
      'runs: 3 started, 1 completed, 1 exited, 0 failed, 1 in flight; 2 members, 1 re-entries',
    );
    const row = (stepId: string) => table.find((line) => line.trimStart().startsWith(`${stepId} `)) ?? '';
    expect(row('profile-nudge.then.0')).toMatch(/^ {2}profile-nudge\.then\.0 /);
    expect(row('profile-nudge').split(/\s+/)).toEqual([
      'profile-nudge',
      '1',
      '1/0',
      '-',
      '0',
      '0',
      '0',
      '0',
      '0',
      '-',
      '-',
    ]);
    expect(row('welcome').split(/\s+/).slice(-3)).toEqual(['1/1', '(100%)', '1']);
    expect(table).toContain('  welcome skipped: unsubscribed 1');
    const csv = funnelCsv(funnel).split('\n');
    expect(csv[0]).toMatch(/^step,depth,template,entered,then,else,waiting/);
    expect(csv[1]).toBe(
      'welcome,0,welcome,3,,,0,,1,1,3600000,1,unsubscribed=1,1,550 No such user=1,0,,1,1,2,1',
    );
    const page = await createFunnelSummary(stack.models, Date.now)('onboarding', onboarding.version);
    expect(page.steps.welcome?.lines).toContain('clicked 1 of 1 (100%), 1 raw');
    expect(page.steps['steps.1']?.lines.join('\n')).not.toMatch(/clicked/);
    expect(parseStatsArgs(['onboarding', '--json', '--csv'])).toMatchObject({ error: /not both/ });
    expect(parseStatsArgs(['onboarding', '--from', 'yesterday'])).toMatchObject({ error: /--from must be/ });
    expect(parseStatsArgs(['--help'])).toEqual({ help: true });
  });

  it.each([
    ['an unknown playbook', '/v1/playbooks/no-such/stats', 404, /no playbook no-such/],
    ['a version it never had', '/v1/playbooks/onboarding/stats?version=0123456789abcdef', 404, /no version/],
    ['a malformed version', '/v1/playbooks/onboarding/stats?version=latest', 400, /version/],
    ['a from that is no time', '/v1/playbooks/onboarding/stats?from=yesterday', 400, /from/],
    [
      'from after to',
      '/v1/playbooks/onboarding/stats?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      400,
      /before/,
    ],
    ['an unknown parameter', '/v1/playbooks/onboarding/stats?step=welcome', 400, /step/],
    ['an operator as the name', '/v1/playbooks/$where/stats', 400, /id/],
  ])('refuses %s with a message', async (_name, url, status, message) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    expect(response.json<{ error: { message: string } }>().error.message).toMatch(message);
  });

  it('wants the API key', async () => {
    expect((await get('/v1/playbooks/onboarding/stats', {})).statusCode).toBe(401);
  });
});
