// The worker's memory (RSS) with runs asleep against the same worker idle. The worker is the real process
// (`node --import tsx worker/main.ts`, as in production); runs add a tag to their member, then sleep 7 days,
// so a count of tagged members tells when every run has reached its sleep. BENCH_ASLEEP (default 10,000) runs,
// once per worker cache size in BENCH_CACHE_SIZES (default: the worker's default, DEFAULT_CACHED_RUNS; a list
// such as `250,10000` compares sizes, a fresh worker process each) and per heap growth in BENCH_HEAP_GROWTHS
// (TEND_WORKER_HEAP_GROWTH; default: the worker's default and 0, V8's own, the baseline).

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
import { DEFAULT_HEAP_GROWTH_PERCENT } from '../../worker/heapGrowth.js';
import { benchPlan } from './support/plans.js';
import { measuredOn, recordResult } from './support/results.js';

const ASLEEP = Number(process.env.BENCH_ASLEEP ?? 10_000);
const CACHE_SIZES = (process.env.BENCH_CACHE_SIZES ?? String(DEFAULT_CACHED_RUNS)).split(',').map(Number);
const HEAP_GROWTHS = (process.env.BENCH_HEAP_GROWTHS ?? `${DEFAULT_HEAP_GROWTH_PERCENT},0`)
  .split(',')
  .map(Number);
const START_CONCURRENCY = 24;
/** A folder for heap snapshots of the worker's threads, idle and asleep (TEND_HEAP_SNAPSHOT_DIR); unset: none. */
const HEAP_SNAPSHOTS = process.env.BENCH_HEAP_SNAPSHOTS;
/** Node's own flags for the worker (`--trace-gc` says each thread's heap at every collection); none unless set. */
const WORKER_FLAGS = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
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
  heapGrowth: number;
  idle: number;
  asleep: number;
  reachedMs: number;
  reached: number;
  /** What the worker said of its memory (SIGUSR2, worker/main.ts), idle and with the runs asleep. */
  idleDetail: MemoryDetail;
  asleepDetail: MemoryDetail;
}

type MemoryDetail = Record<string, number>;

/**
 * Asks the worker where its memory is (SIGUSR2) and reads its answer off its log; with BENCH_HEAP_SNAPSHOTS,
 * once it has also written its heap snapshots.
 */
function memoryDetail(child: ChildProcess, lines: Interface): Promise<MemoryDetail> {
  return new Promise((resolve) => {
    let detail: MemoryDetail | undefined;
    const onLine = (line: string) => {
      if (line.includes('"msg":"memory"')) detail = (JSON.parse(line) as { memory: MemoryDetail }).memory;
      const done = HEAP_SNAPSHOTS === undefined || line.includes('heap snapshots');
      if (detail === undefined || !done) return;
      lines.off('line', onLine);
      if (HEAP_SNAPSHOTS !== undefined) console.log(line);
      resolve(detail);
    };
    lines.on('line', onLine);
    child.kill('SIGUSR2');
  });
}

try {
  const rows: Row[] = [];
  for (const cacheSize of CACHE_SIZES) {
    for (const heapGrowth of HEAP_GROWTHS) rows.push(await measure(cacheSize, heapGrowth));
  }
  const report = [
    '### Worker memory with runs asleep',
    '',
    `RSS of the worker process (\`worker/main.ts\`), ${SETTLE_MS / 1000} s after it went idle, with ${ASLEEP} runs ` +
      `started and asleep, a fresh worker for each cache size (\`TEND_WORKER_CACHED_RUNS\`) and heap growth ` +
      `(\`TEND_WORKER_HEAP_GROWTH\`, worker/heapGrowth.ts: how far V8 lets a heap grow past what it kept before ` +
      `collecting again; 0 leaves V8 to choose, the baseline), loading a workflow bundle built ahead as the Docker image's workers do (\`TEND_WORKFLOW_BUNDLE\`). ${measuredOn()}`,
    '',
    "| worker cache (runs) | heap growth | idle, no runs (MiB) | runs asleep | RSS asleep (MiB) | asleep / idle | asleep / V8's own growth | start to asleep (s) |",
    '|---:|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) => {
      const baseline = rows.find((other) => other.cacheSize === row.cacheSize && other.heapGrowth === 0);
      return (
        `| ${row.cacheSize}${row.cacheSize === DEFAULT_CACHED_RUNS ? ' (default)' : ''} | ${growthLabel(row.heapGrowth)} | ` +
        `${row.idle.toFixed(0)} | ${row.reached}${row.reached < ASLEEP ? ' (timed out)' : ''} | ${row.asleep.toFixed(0)} | ` +
        `**${(row.asleep / row.idle).toFixed(2)}** | ${baseline ? (row.asleep / baseline.asleep).toFixed(2) : 'not measured'} | ` +
        `${(row.reachedMs / 1000).toFixed(0)} |`
      );
    }),
    '',
    'A run evicted from the cache costs nothing while it sleeps; when its timer fires it is replayed from its ' +
      'history, which for a playbook is a few dozen events.',
    '',
    "Where the memory is, as the worker tells it (`kill -USR2`): the main thread's JavaScript heap (the " +
      "activities, the clients), memory outside V8's heaps that it tracks (`external`), and the rest of the RSS, " +
      "which holds the workflow thread's heap (Node does not report it to the main thread), the SDK's native " +
      'core and what the allocator keeps. MiB.',
    '',
    '| worker cache (runs) | heap growth | when | RSS | main heap used | main heap total | external | outside the main heap |',
    '|---:|---|---|---:|---:|---:|---:|---:|',
    ...rows.flatMap((row) =>
      (
        [
          ['idle', row.idleDetail],
          ['asleep', row.asleepDetail],
        ] as const
      ).map(
        ([when, detail]) =>
          `| ${row.cacheSize} | ${growthLabel(row.heapGrowth)} | ${when} | ${detail.rss} | ${detail.mainHeapUsed} | ${detail.mainHeapTotal} | ` +
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

function growthLabel(percent: number): string {
  if (percent === 0) return "V8's own (baseline)";
  return `${percent}%${percent === DEFAULT_HEAP_GROWTH_PERCENT ? ' (default)' : ''}`;
}

async function measure(cacheSize: number, heapGrowth: number): Promise<Row> {
  const taskQueue = `bench-memory-${randomBytes(3).toString('hex')}`;
  const child = spawn(process.execPath, [...WORKER_FLAGS, '--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env,
      MONGODB_URI: bench.mongoUri,
      SMTP_URL: bench.smtpUrl,
      TEND_SECRET: BENCH_SECRET,
      PLAYBOOKS_DIR: playbooksDir,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEND_WORKER_CACHED_RUNS: String(cacheSize),
      TEND_WORKER_HEAP_GROWTH: String(heapGrowth),
      TEND_WORKFLOW_BUNDLE: workflowBundle,
      ...(HEAP_SNAPSHOTS === undefined ? {} : { TEND_HEAP_SNAPSHOT_DIR: HEAP_SNAPSHOTS }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout });
    // What the flags make Node print (not the worker's JSON log) is shown as it comes.
    if (WORKER_FLAGS.length > 0) lines.on('line', (line) => line.startsWith('{') || console.log(line));
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
    return {
      cacheSize,
      heapGrowth,
      idle,
      asleep,
      reachedMs,
      reached: await asleepCount(),
      idleDetail,
      asleepDetail,
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
