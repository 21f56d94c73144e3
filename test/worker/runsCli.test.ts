// `tend runs` against a real Temporal dev server and a real MongoDB-wire server: the runs collection filtered
// by member, playbook and status, with each open run's current step and next wake-up from its status query.

import type { Client } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../../activities/runs/startRun.js';
import { formatRuns, listRuns, parseRunsArgs } from '../../cli/runs.js';
import type { Models } from '../../db/index.js';
import { useTestDatabase } from '../support/mongo.js';
import { useStandInWorker } from './support/standInWorker.js';
import { testEvent, testPlan } from './support/plans.js';
import { STAND_IN_STEP, STAND_IN_WAKE_MS } from './support/standInRun.js';

const db = useTestDatabase();
const worker = useStandInWorker(db, 'runs-cli');
const { taskQueue } = worker;
let models: Models;
let client: Client;

const welcome = testPlan({ id: 'welcome', version: 'abcdef0123456789' });
const survey = testPlan({ id: 'survey' });

beforeAll(async () => {
  ({ models, client } = worker);
  for (const [plan, memberId] of [
    [welcome, 'ann'],
    [welcome, 'ben'],
    [survey, 'ann'],
  ] as const) {
    const trigger = testEvent({ type: 'member.approved', memberId });
    await startRun(client, models, { plan, memberId, key: null, trigger, taskQueue });
  }
  // Ben's run ends; its record still says running until someone looks.
  const ben = client.workflow.getHandle('run:welcome:ben');
  await ben.signal('routeEvent', testEvent({ type: 'member.left', memberId: 'ben' }));
  await ben.result();
});

describe('tend runs', () => {
  it("lists a member's runs with the current step and next wake-up of each", async () => {
    const runs = await listRuns({ client, models }, { memberId: 'ann', limit: 50 });
    expect(runs.map((run) => run.workflowId).sort()).toEqual(['run:survey:ann', 'run:welcome:ann']);
    for (const run of runs) {
      expect(run.status).toBe('waiting');
      expect(run.currentStep).toBe(STAND_IN_STEP);
      expect(run.nextWakeAt).toBeGreaterThan(Date.now() + STAND_IN_WAKE_MS - 3_600_000);
    }
  });

  it('filters by playbook and status, telling a closed run from a record that still said running', async () => {
    const running = await listRuns({ client, models }, { playbook: 'welcome', status: 'running', limit: 50 });
    expect(running.map((run) => run.workflowId)).toEqual(['run:welcome:ann']);
    const closed = await listRuns({ client, models }, { playbook: 'welcome', status: 'closed', limit: 50 });
    expect(closed.map((run) => [run.workflowId, run.status])).toEqual([['run:welcome:ben', 'completed']]);
  });

  it('prints one aligned line per run', async () => {
    const runs = await listRuns({ client, models }, { playbook: 'welcome', limit: 50 });
    const lines = formatRuns(runs).split('\n');
    expect(lines[0]).toMatch(/^RUN\s+STATUS\s+STEP\s+NEXT WAKE-UP\s+STARTED\s+VERSION$/);
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(
        /^run:welcome:ann\s+waiting\s+pause\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+.+\s+abcdef01$/,
      ),
      expect.stringMatching(/^run:welcome:ben\s+completed\s+-\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+abcdef01$/),
    ]);
    expect(formatRuns([])).toBe('no runs');
  });

  it('reads its arguments, and says what is wrong with them', () => {
    expect(parseRunsArgs(['--member', 'ann', '--status', 'closed'])).toEqual({
      memberId: 'ann',
      status: 'closed',
      limit: 50,
    });
    const errorOf = (args: string[]) => {
      const parsed = parseRunsArgs(args);
      return 'error' in parsed ? parsed.error : null;
    };
    expect(errorOf(['--status', 'asleep'])).toContain('--status must be running or closed, not "asleep"');
    expect(errorOf(['--colour'])).toContain("Unknown option '--colour'");
    expect(errorOf(['--limit', '0'])).toContain('--limit must be a positive number');
  });
});
