// How long `tend stats` (journal/funnel.ts) takes over a large playbook on the MongoDB-wire server, beside a
// baseline of one full scan of the same journal collection: BENCH_STATS_RUNS run records (default 20,000)
// with the five journal entries of a run that sent an email, waited and completed (100,000 entries).

import { randomBytes } from 'node:crypto';
import { runKey, runRecordId } from '../../db/index.js';
import { playbookFunnel } from '../../domain/journal/funnel.js';
import { writeJournal } from '../../domain/journal/store.js';
import type { JournalNote } from '../../contract/journal.js';
import { storePlan } from '../../test/worker/support/storePlan.js';
import { openBench, quantile } from './support/harness.js';
import { benchPlan, sendHello } from './support/plans.js';
import { measuredOn, recordResult } from './support/results.js';

const RUNS = Number(process.env.BENCH_STATS_RUNS ?? 20_000);
const REPEATS = 5;
const BATCH = 500;

const bench = await openBench('stats');
const suffix = randomBytes(3).toString('hex');
try {
  const plan = benchPlan(`bench-stats-${suffix}`, [
    sendHello,
    { kind: 'wait', id: 'pause', authoredId: true, ms: 3_600_000 },
  ]);
  await storePlan(bench.models, plan);
  const start = Date.now() - 30 * 24 * 3_600_000;
  const notes: Omit<JournalNote, 'at'>[] = [
    { stepId: 'hello', kind: 'entered' },
    { stepId: 'hello', kind: 'sent', template: 'hello', occurrence: 1 },
    { stepId: 'pause', kind: 'entered' },
    { stepId: 'pause', kind: 'waiting', until: start + 3_600_000 },
    { stepId: 'run', kind: 'completed' },
  ];
  for (let first = 0; first < RUNS; first += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, RUNS - first) }, (_, i) => `s${first + i}`);
    await bench.models.runs.insertMany(
      ids.map((memberId) => ({
        _id: runRecordId(runKey(plan.id, memberId, null), 0),
        runKey: runKey(plan.id, memberId, null),
        sequence: 0,
        playbook: plan.id,
        version: plan.version,
        memberId,
        key: null,
        workflowId: `run:${plan.id}:${memberId}`,
        triggerId: `t-${memberId}`,
        status: 'completed',
        startedAt: new Date(start),
        closedAt: null,
      })),
    );
    await Promise.all(
      ids.map((memberId) =>
        writeJournal(
          bench.models,
          {
            workflowId: `run:${plan.id}:${memberId}`,
            sequence: 0,
            playbook: plan.id,
            version: plan.version,
            memberId,
            startedAt: start,
          },
          notes.map((note, seq) => ({ ...note, seq, at: start + seq })),
        ),
      ),
    );
  }
  const entries = await bench.models.journal.countDocuments({ playbook: plan.id }).exec();

  const timed = async (work: () => Promise<unknown>): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      await work();
      times.push(performance.now() - started);
    }
    return times;
  };
  const scan = await timed(() => bench.models.journal.find({}).lean().exec());
  const stats = await timed(() =>
    playbookFunnel(bench.models, { playbook: plan.id, version: null, from: null, to: null }, Date.now()),
  );
  const row = (name: string, times: number[]) =>
    `| ${name} | ${quantile(times, 0.5).toFixed(0)} | ${Math.max(...times).toFixed(0)} |`;
  const lines = [
    '### `tend stats` over a large playbook',
    '',
    `${RUNS} runs, ${entries} journal entries; ${REPEATS} times each. ${measuredOn()}`,
    '',
    '| | median ms | max ms |',
    '|---|---:|---:|',
    row('one full scan of the journal (baseline)', scan),
    row('the funnel of the playbook, all versions', stats),
  ];
  console.log(lines.join('\n'));
  await recordResult('Engine', 'engine-stats', lines.join('\n'));
} finally {
  await bench.close();
}
