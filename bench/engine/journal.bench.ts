// What the run journal costs: emails per second through the engine with the journal on and off, in the same
// process, on the same servers, one after the other, alternating so that neither gets the warmer machine.
// Each run sends one email and waits a moment (so it writes its journal on a wait, as real runs do) and
// then closes. Scaled for 2 cores: BENCH_JOURNAL_EMAILS runs per round (default 300), BENCH_JOURNAL_ROUNDS.

import { randomBytes } from 'node:crypto';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import { PLAYBOOK_RUN } from '../../contract/workflows.js';
import type { PlaybookRunInput } from '../../workflows/playbookRun.js';
import { testEvent } from '../../test/worker/support/plans.js';
import { insertMembers, openBench, perSecond, waitUntil } from './support/harness.js';
import { benchPlan, sendHello } from './support/plans.js';
import { measuredOn, recordResult } from './support/results.js';

const EMAILS = Number(process.env.BENCH_JOURNAL_EMAILS ?? 300);
const ROUNDS = Number(process.env.BENCH_JOURNAL_ROUNDS ?? 2);
const START_CONCURRENCY = 24;

const bench = await openBench('journal');
const suffix = randomBytes(3).toString('hex');
try {
  const plan = benchPlan(`bench-journal-${suffix}`, [
    sendHello,
    { kind: 'wait', id: 'pause', authoredId: true, ms: 1000 },
  ]);
  const queue = `bench-journal-${suffix}`;
  const worker = await bench.startTendWorker({ taskQueue: queue });
  const elapsed = { on: 0, off: 0 };
  let received = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const members = await insertMembers(bench.models, `j${round}${mode}`, EMAILS);
      const started = performance.now();
      await mapWithConcurrency(members, START_CONCURRENCY, (memberId) => {
        const input: PlaybookRunInput = {
          plan,
          memberId,
          key: null,
          trigger: testEvent({ type: 'member.approved', memberId }),
          ...(mode === 'off' ? { withoutJournal: true } : {}),
        };
        return bench.client.workflow.execute(PLAYBOOK_RUN, {
          workflowId: `run:${plan.id}:${memberId}`,
          taskQueue: queue,
          args: [input],
        });
      });
      elapsed[mode] += performance.now() - started;
      received += EMAILS;
      await waitUntil(() => bench.mailbox.messages().length >= received, 600_000);
    }
  }
  await worker.stop();
  const entries = await bench.models.journal.countDocuments({ playbook: plan.id }).exec();
  const on = perSecond(EMAILS * ROUNDS, elapsed.on);
  const off = perSecond(EMAILS * ROUNDS, elapsed.off);
  const lines = [
    '### What the run journal costs',
    '',
    `${EMAILS} runs × ${ROUNDS} rounds each way, each sending one email and waiting a second; ` +
      `${START_CONCURRENCY} runs side by side, the two modes alternating. ${measuredOn()}`,
    '',
    '| journal | runs | seconds | runs per second |',
    '|---|---:|---:|---:|',
    `| on | ${EMAILS * ROUNDS} | ${(elapsed.on / 1000).toFixed(1)} | ${on.toFixed(1)} |`,
    `| off | ${EMAILS * ROUNDS} | ${(elapsed.off / 1000).toFixed(1)} | ${off.toFixed(1)} |`,
    '',
    `Journal entries written: ${entries} (${(entries / (EMAILS * ROUNDS)).toFixed(1)} per run). ` +
      `Cost of the journal: **${((1 - on / off) * 100).toFixed(1)}%** of throughput (the issue asks ≤ 10%).`,
  ];
  console.log(lines.join('\n'));
  await recordResult('Engine', 'engine-journal', lines.join('\n'));
} finally {
  await bench.close();
}
