// The worker's memory (RSS) with runs asleep against the same worker idle. The worker is the real process
// (`node --import tsx worker/main.ts`, as in production); runs add a tag to their member, then sleep 7 days,
// so a count of tagged members tells when every run has reached its sleep. Scaled for 2 cores:
// BENCH_ASLEEP (default 2,000) runs; 10,000 take about five times as long to start, and grow the cache alike.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import type { RunInput } from '../../contract/runtime.js';
import { PLAYBOOK_RUN } from '../../contract/workflows.js';
import { testEvent } from '../../test/worker/support/plans.js';
import { BENCH_SECRET, insertMembers, openBench, waitUntil } from './support/harness.js';
import { benchPlan } from './support/plans.js';
import { measuredOn, recordResult } from './support/results.js';

const ASLEEP = Number(process.env.BENCH_ASLEEP ?? 2_000);
const START_CONCURRENCY = 24;
const SETTLE_MS = 15_000;
const COMMUNITY = `name: Bench Club
timezone: Europe/London
from: "Bench Club <hello@bench.example>"
managers: [organisers@bench.example]
postal_address: "1 Bench Lane"
`;

/** Resident set size of a process, in MiB, from /proc. */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

const bench = await openBench('memory');
const taskQueue = `bench-memory-${randomBytes(3).toString('hex')}`;
const playbooksDir = await mkdtemp(path.join(tmpdir(), 'tend-bench-playbooks-'));
await writeFile(path.join(playbooksDir, 'community.yaml'), COMMUNITY);
const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
  env: {
    ...process.env,
    MONGODB_URI: bench.mongoUri,
    SMTP_URL: bench.smtpUrl,
    TEND_SECRET: BENCH_SECRET,
    PLAYBOOKS_DIR: playbooksDir,
    TEMPORAL_TASK_QUEUE: taskQueue,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve) =>
    lines.on('line', (line) => line.includes('"worker running"') && resolve()),
  );
  const pid = child.pid ?? 0;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const idle = await rssMiB(pid);

  const members = await insertMembers(bench.models, 'sleepy', ASLEEP);
  const plan = benchPlan(`bench-asleep-${taskQueue}`, [
    { kind: 'update_member', id: 'mark', authoredId: true, set: {}, addTags: ['asleep'], removeTags: [] },
    { kind: 'wait', id: 'sleep', authoredId: true, ms: 7 * 86_400_000 },
  ]);
  const started = performance.now();
  await mapWithConcurrency(members, START_CONCURRENCY, async (memberId) => {
    const input: RunInput = {
      plan,
      memberId,
      key: null,
      trigger: testEvent({ type: 'member.approved', memberId }),
    };
    await bench.client.workflow.start(PLAYBOOK_RUN, {
      workflowId: `run:${plan.id}:${memberId}`,
      taskQueue,
      args: [input],
    });
  });
  const asleepCount = () => bench.models.members.countDocuments({ tags: 'asleep' }).exec();
  const allAsleep = await waitUntil(async () => (await asleepCount()) >= ASLEEP, 1_200_000);
  const reachedMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const asleep = await rssMiB(pid);

  const report = [
    '### Worker memory with runs asleep',
    '',
    `RSS of the worker process (\`worker/main.ts\`), ${SETTLE_MS / 1000} s after it went idle. ` +
      `${ASLEEP} runs took ${(reachedMs / 1000).toFixed(0)} s to start and reach their sleep` +
      `${allAsleep ? '' : ` (timed out with ${await asleepCount()} asleep)`}. ${measuredOn()}`,
    '',
    '| worker | RSS (MiB) |',
    '|---|---:|',
    `| idle, no runs (baseline) | ${idle.toFixed(0)} |`,
    `| ${ASLEEP} runs asleep | ${asleep.toFixed(0)} |`,
    '',
    `Ratio asleep / idle: **${(asleep / idle).toFixed(2)}**, about ${(((asleep - idle) * 1024) / ASLEEP).toFixed(0)} KiB ` +
      'per sleeping run: the worker keeps recent runs in its sticky cache; a run evicted from it costs nothing until ' +
      'its timer fires and it is replayed from history.',
  ];
  console.log(report.join('\n'));
  await recordResult('Engine', 'engine-memory', report.join('\n'));
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
  await rm(playbooksDir, { recursive: true, force: true });
  await bench.close();
}
