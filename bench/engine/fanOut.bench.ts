// Runs started per second by the audience fan-out, against a bare loop of `client.workflow.start` with the
// same concurrency, on the same servers in the same process. The started runs go to a task queue no worker
// polls, so both figures measure starting, not running. Scaled for 2 cores: BENCH_FANOUT_MEMBERS (default
// 2,000) members; the 100,000 of a large community take the same pages and batches, fifty times over.

import { randomBytes } from 'node:crypto';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import { startAudienceFanOut } from '../../activities/runs/startAudienceFanOut.js';
import type { fanOut } from '../../workflows/fanOut.js';
import { storePlan } from '../../test/worker/support/storePlan.js';
import { testEvent } from '../../test/worker/support/plans.js';
import { insertMembers, openBench, perSecond, startRun } from './support/harness.js';
import { benchPlan, sendHello } from './support/plans.js';
import { cpuTable, measureCpu } from './support/cpuMeter.js';
import { measuredOn, recordResult } from './support/results.js';

const MEMBERS = Number(process.env.BENCH_FANOUT_MEMBERS ?? 2_000);
/** The fan-out's batch activity starts this many runs side by side; the baseline gets the same. */
const CONCURRENCY = 24;

const bench = await openBench('fanout');
const suffix = randomBytes(3).toString('hex');
const idleQueue = `bench-idle-${suffix}`;
const fanOutQueue = `bench-fanout-${suffix}`;
try {
  const members = await insertMembers(bench.models, 'fan', MEMBERS);
  const plan = benchPlan(`bench-fanout-${suffix}`, [sendHello], {
    trigger: { kind: 'event', event: 'community.meeting', key: null },
    audience: { source: 'members', where: { status: 'active' } },
  });
  await storePlan(bench.models, plan);

  const bareStarted = performance.now();
  const bareCpu = measureCpu();
  await mapWithConcurrency(members, CONCURRENCY, (memberId) =>
    startRun(bench, {
      plan,
      memberId,
      taskQueue: idleQueue,
      trigger: testEvent({ type: 'community.meeting' }),
      workflowId: `bare:${suffix}:${memberId}`,
    }),
  );
  const bareMs = performance.now() - bareStarted;
  const bareUsed = bareCpu();

  const worker = await bench.startTendWorker({ taskQueue: fanOutQueue, runsTaskQueue: idleQueue });
  const fanOutStarted = performance.now();
  const fanOutCpu = measureCpu();
  const { workflowId } = await startAudienceFanOut(
    bench.client,
    plan,
    testEvent({ type: 'community.meeting' }),
    fanOutQueue,
  );
  const outcome = await bench.client.workflow.getHandle<typeof fanOut>(workflowId).result();
  const fanOutMs = performance.now() - fanOutStarted;
  const fanOutUsed = fanOutCpu();
  await worker.stop();

  const bare = perSecond(MEMBERS, bareMs);
  const fanned = perSecond(outcome.started, fanOutMs);
  const lines = [
    `### Fan-out: runs started per second`,
    '',
    `${MEMBERS.toLocaleString('en')} members, pages of 500, ${CONCURRENCY} starts side by side. ${measuredOn()}`,
    '',
    '| | runs | seconds | runs/s |',
    '|---|---:|---:|---:|',
    `| bare \`client.workflow.start\` loop (baseline) | ${MEMBERS} | ${(bareMs / 1000).toFixed(1)} | ${bare.toFixed(1)} |`,
    `| audience fan-out (run records claimed per page, then each start) | ${outcome.started} | ${(fanOutMs / 1000).toFixed(1)} | ${fanned.toFixed(1)} |`,
    '',
    `Ratio fan-out / baseline: **${(fanned / bare).toFixed(2)}**. On top of the starts, the fan-out pages the ` +
      'audience and writes the run records (one claim write per page, then a confirm by `_id` per run), which is ' +
      'what makes a repeated trigger or a retried batch start nobody twice, and enters each run in its ' +
      "member's index (50 members to a write).",
    '',
    ...cpuTable('run', [
      { label: 'baseline', count: MEMBERS, used: bareUsed },
      { label: 'fan-out', count: Math.max(1, outcome.started), used: fanOutUsed },
    ]),
  ];
  console.log(lines.join('\n'));
  await recordResult('Engine', 'engine-fanout', lines.join('\n'));
} finally {
  await bench.close();
}
