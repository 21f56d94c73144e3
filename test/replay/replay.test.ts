// Replays the committed history of every shipped playbook against the current workflow code. A change that
// would make runs in flight take a different path (a non-deterministic change not behind patched()) fails
// here, before it reaches a worker that would get stuck on those runs. Regenerate with `npm run histories`.
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../worker/buildWorker.js';
import { committedHistoryNames, readHistory, shippedPlaybooks } from './historyFiles.js';

const DIVERGENT_WORKFLOWS = fileURLToPath(new URL('./support/divergentWorkflows.ts', import.meta.url));

async function committedHistories(): Promise<HistoryAndWorkflowId[]> {
  const names = await committedHistoryNames();
  return Promise.all(names.map(async (name) => ({ workflowId: name, history: await readHistory(name) })));
}

async function replayErrors(workflowBundle: WorkflowBundle): Promise<Record<string, string | null>> {
  const errors: Record<string, string | null> = {};
  const results = Worker.runReplayHistories({ workflowBundle }, await committedHistories());
  for await (const { workflowId, error } of results) {
    errors[workflowId] = error === undefined ? null : String(error);
  }
  return errors;
}

let current: WorkflowBundle;
let divergent: WorkflowBundle;

beforeAll(async () => {
  [current, divergent] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH }),
    bundleWorkflowCode({ workflowsPath: DIVERGENT_WORKFLOWS }),
  ]);
});

describe('replay of committed histories', () => {
  it('has a history for every shipped playbook', async () => {
    const names = await committedHistoryNames();
    for (const playbook of await shippedPlaybooks()) expect(names).toContain(playbook);
  });

  it('replays every history against the current workflow code', async () => {
    const errors = await replayErrors(current);
    expect(Object.keys(errors).sort()).toEqual(await committedHistoryNames());
    expect(errors).toEqual(Object.fromEntries(Object.keys(errors).map((id) => [id, null])));
  });

  it('fails on workflow code that would take another path', async () => {
    const errors = await replayErrors(divergent);
    expect(Object.keys(errors).sort()).toEqual(await committedHistoryNames());
    for (const error of Object.values(errors)) expect(error).toMatch(/Nondeterminism|DeterminismViolation/i);
  });
});
