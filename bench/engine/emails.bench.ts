// Emails per second through the engine (a run whose one step sends an email: records read, ledger claimed,
// template rendered, SMTP to the dev mailbox, outcome recorded), against workflows that each run one no-op
// activity, on the same servers in the same process. Scaled for 2 cores: BENCH_EMAILS (default 300).

import { randomBytes } from 'node:crypto';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import { startBaselineWorker } from './support/baseline.js';
import { insertMembers, openBench, perSecond, waitUntil, startRun } from './support/harness.js';
import { benchPlan, sendHello } from './support/plans.js';
import { cpuTable, measureCpu } from './support/cpuMeter.js';
import { measuredOn, recordResult } from './support/results.js';

const EMAILS = Number(process.env.BENCH_EMAILS ?? 300);
const START_CONCURRENCY = 24;

const bench = await openBench('emails');
const suffix = randomBytes(3).toString('hex');
try {
  const members = await insertMembers(bench.models, 'mail', EMAILS);
  const plan = benchPlan(`bench-emails-${suffix}`, [sendHello]);

  const baselineQueue = `bench-noop-${suffix}`;
  const baseline = await startBaselineWorker(bench.workerConnection, baselineQueue);
  /** Every member's workflow of `type`, side by side as the engine's runs are: its time and CPU. */
  const measureBaseline = async (type: 'oneActivity' | 'oneLocalActivity') => {
    const started = performance.now();
    const cpu = measureCpu();
    await mapWithConcurrency(members, START_CONCURRENCY, (memberId) =>
      bench.client.workflow.execute(type, {
        workflowId: `${type}:${suffix}:${memberId}`,
        taskQueue: baselineQueue,
      }),
    );
    return { ms: performance.now() - started, used: cpu() };
  };
  const { ms: baselineMs, used: baselineUsed } = await measureBaseline('oneActivity');
  const { ms: localMs, used: localUsed } = await measureBaseline('oneLocalActivity');
  await baseline.stop();

  const queue = `bench-emails-${suffix}`;
  const worker = await bench.startTendWorker({ taskQueue: queue });
  const engineStarted = performance.now();
  const engineCpu = measureCpu();
  await mapWithConcurrency(members, START_CONCURRENCY, (memberId) =>
    startRun(bench, { plan, memberId, taskQueue: queue }),
  );
  const arrived = await waitUntil(() => bench.mailbox.messages().length >= EMAILS, 600_000);
  const engineMs = performance.now() - engineStarted;
  const engineUsed = engineCpu();
  await worker.stop();

  const base = perSecond(EMAILS, baselineMs);
  const local = perSecond(EMAILS, localMs);
  const engine = perSecond(bench.mailbox.messages().length, engineMs);
  const lines = [
    '### Emails per second through the engine',
    '',
    `${EMAILS} runs, each sending one email to the dev mailbox over SMTP; ${START_CONCURRENCY} starts side by side. ${measuredOn()}`,
    '',
    '| | workflows | seconds | per second |',
    '|---|---:|---:|---:|',
    `| workflow running one no-op activity (baseline) | ${EMAILS} | ${(baselineMs / 1000).toFixed(1)} | ${base.toFixed(1)} |`,
    `| workflow running one no-op local activity | ${EMAILS} | ${(localMs / 1000).toFixed(1)} | ${local.toFixed(1)} |`,
    `| run sending one email (engine) | ${bench.mailbox.messages().length}${arrived ? '' : ' (timed out)'} | ${(engineMs / 1000).toFixed(1)} | ${engine.toFixed(1)} |`,
    '',
    `Ratio engine / baseline: **${(engine / base).toFixed(2)}**; engine / the local activity's workflow: ` +
      `**${(engine / local).toFixed(2)}**. Each run claims its run record before it starts; it reads its ` +
      'member before the step, makes the send (records read, ledger claimed and settled, SMTP) and writes ' +
      'its journal at the close, all inside its workflow tasks, as local activities. The baseline runs its ' +
      'no-op as an activity task, as the issue that set the goal measured it; the second row runs it as the ' +
      'engine now runs its send.',
    '',
    ...cpuTable('workflow', [
      { label: 'baseline', count: EMAILS, used: baselineUsed },
      { label: 'no-op local activity', count: EMAILS, used: localUsed },
      { label: 'engine', count: EMAILS, used: engineUsed },
    ]),
  ];
  console.log(lines.join('\n'));
  await recordResult('Engine', 'engine-emails', lines.join('\n'));
} finally {
  await bench.close();
}
