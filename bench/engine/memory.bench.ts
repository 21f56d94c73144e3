// The worker's memory (RSS) with runs asleep against the same worker idle. The worker is the real process
// (`node --import tsx worker/main.ts`, as in production); runs add a tag to their member, then sleep 7 days,
// so a count of tagged members tells when every run has reached its sleep. BENCH_ASLEEP (default 10,000) runs,
// once per worker cache size in BENCH_CACHE_SIZES (default: the worker's default, DEFAULT_CACHED_RUNS; a list
// such as `250,10000` compares sizes, a fresh worker process each).

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import { BENCH_SECRET, insertMembers, openBench, waitUntil, startRun } from './support/harness.js';
import { bundleTendWorkflows, DEFAULT_CACHED_RUNS } from '../../worker/buildWorker.js';
import { benchPlan } from './support/plans.js';
import { measuredOn, recordResult } from './support/results.js';

const ASLEEP = Number(process.env.BENCH_ASLEEP ?? 10_000);
const CACHE_SIZES = (process.env.BENCH_CACHE_SIZES ?? String(DEFAULT_CACHED_RUNS)).split(',').map(Number);
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
const playbooksDir = await mkdtemp(path.join(tmpdir(), 'tend-bench-playbooks-'));
await writeFile(path.join(playbooksDir, 'community.yaml'), COMMUNITY);
// The worker loads a bundle built ahead, as the Docker image runs it (TEND_WORKFLOW_BUNDLE).
const workflowBundle = path.join(playbooksDir, 'workflows.js');
await writeFile(workflowBundle, (await bundleTendWorkflows()).code);

interface Row {
  cacheSize: number;
  idle: number;
  asleep: number;
  reachedMs: number;
  reached: number;
  /** What the worker said of its memory (SIGUSR2, worker/main.ts), idle and with the runs asleep. */
  idleDetail: MemoryDetail;
  asleepDetail: MemoryDetail;
}

type MemoryDetail = Record<string, number>;

/** Asks the worker where its memory is (SIGUSR2) and reads its answer off its log. */
function memoryDetail(child: ChildProcess, lines: Interface): Promise<MemoryDetail> {
  return new Promise((resolve) => {
    const onLine = (line: string) => {
      if (!line.includes('"msg":"memory"')) return;
      lines.off('line', onLine);
      resolve((JSON.parse(line) as { memory: MemoryDetail }).memory);
    };
    lines.on('line', onLine);
    child.kill('SIGUSR2');
  });
}

try {
  const rows: Row[] = [];
  for (const cacheSize of CACHE_SIZES) rows.push(await measure(cacheSize));
  const report = [
    '### Worker memory with runs asleep',
    '',
    `RSS of the worker process (\`worker/main.ts\`), ${SETTLE_MS / 1000} s after it went idle, with ${ASLEEP} runs ` +
      `started and asleep, a fresh worker for each cache size (\`TEND_WORKER_CACHED_RUNS\`), loading a workflow bundle built ahead as the Docker image's workers do (\`TEND_WORKFLOW_BUNDLE\`). ${measuredOn()}`,
    '',
    '| worker cache (runs) | idle, no runs (baseline, MiB) | runs asleep | RSS asleep (MiB) | asleep / idle | start to asleep (s) |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.cacheSize}${row.cacheSize === DEFAULT_CACHED_RUNS ? ' (default)' : ''} | ${row.idle.toFixed(0)} | ` +
        `${row.reached}${row.reached < ASLEEP ? ' (timed out)' : ''} | ${row.asleep.toFixed(0)} | ` +
        `**${(row.asleep / row.idle).toFixed(2)}** | ${(row.reachedMs / 1000).toFixed(0)} |`,
    ),
    '',
    'A run evicted from the cache costs nothing while it sleeps; when its timer fires it is replayed from its ' +
      'history, which for a playbook is a few dozen events.',
    '',
    "Where the memory is, as the worker tells it (`kill -USR2`): the main thread's JavaScript heap (the " +
      "activities, the clients), memory outside V8's heaps that it tracks (`external`), and the rest of the RSS, " +
      "which holds the workflow thread's heap (Node does not report it to the main thread), the SDK's native " +
      'core and what the allocator keeps. MiB.',
    '',
    '| worker cache (runs) | when | RSS | main heap used | main heap total | external | outside the main heap |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...rows.flatMap((row) =>
      (
        [
          ['idle', row.idleDetail],
          ['asleep', row.asleepDetail],
        ] as const
      ).map(
        ([when, detail]) =>
          `| ${row.cacheSize} | ${when} | ${detail.rss} | ${detail.mainHeapUsed} | ${detail.mainHeapTotal} | ` +
          `${detail.external} | ${detail.outsideMainHeap} |`,
      ),
    ),
  ];
  console.log(report.join('\n'));
  await recordResult('Engine', 'engine-memory', report.join('\n'));
} finally {
  await rm(playbooksDir, { recursive: true, force: true });
  await bench.close();
}

async function measure(cacheSize: number): Promise<Row> {
  const taskQueue = `bench-memory-${randomBytes(3).toString('hex')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env,
      MONGODB_URI: bench.mongoUri,
      SMTP_URL: bench.smtpUrl,
      TEND_SECRET: BENCH_SECRET,
      PLAYBOOKS_DIR: playbooksDir,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEND_WORKER_CACHED_RUNS: String(cacheSize),
      TEND_WORKFLOW_BUNDLE: workflowBundle,
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
    const idleDetail = await memoryDetail(child, lines);

    const tag = `asleep-${taskQueue}`;
    const members = await insertMembers(bench.models, taskQueue, ASLEEP);
    const plan = benchPlan(`bench-asleep-${taskQueue}`, [
      { kind: 'update_member', id: 'mark', authoredId: true, set: {}, addTags: [tag], removeTags: [] },
      { kind: 'wait', id: 'sleep', authoredId: true, ms: 7 * 86_400_000 },
    ]);
    const started = performance.now();
    await mapWithConcurrency(members, START_CONCURRENCY, (memberId) =>
      startRun(bench, { plan, memberId, taskQueue }),
    );
    const asleepCount = () => bench.models.members.countDocuments({ tags: tag }).exec();
    await waitUntil(async () => (await asleepCount()) >= ASLEEP, 1_800_000);
    const reachedMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const asleep = await rssMiB(pid);
    const asleepDetail = await memoryDetail(child, lines);
    return { cacheSize, idle, asleep, reachedMs, reached: await asleepCount(), idleDetail, asleepDetail };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
