// Events per second through the API with their runs really started, from autocannon in a process of its
// own on loopback, three ways: the API as it ships (each request durably starts an ingestEvents workflow and
// waits for it), the same ingestion run inline in the API process (what durability costs), and a bare
// `client.workflow.start` loop of the same runs from this process (the floor: Temporal's own start rate on
// the same server in the same run). Then p50 and p99 latency at a fixed rate, for the first two and for bare
// starts. Scaled for 2 cores: BENCH_API_EVENTS (default 300), BENCH_API_RATE (default 2/s: below what this
// machine sustains, so that the latency is the work's and not a queue's) for BENCH_API_RATE_SECONDS (30).

import { randomBytes } from 'node:crypto';
import { createCurrentPlans } from '../../domain/plans/planStore.js';
import { benchPlan, waitAWeek } from '../engine/support/plans.js';
import { runWorkflowId } from '../../domain/runs/runIds.js';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';

import { storePlan } from '../../test/worker/support/storePlan.js';
import {
  insertMembers,
  openBench,
  perSecond,
  quantile,
  waitUntil,
  startRun,
} from '../engine/support/harness.js';
import { cpuTable, measureCpu, type CpuUsed } from '../engine/support/cpuMeter.js';
import { measuredOn, recordResult } from '../engine/support/results.js';
import { API_KEY, startApi, type RunningApi } from './support/api.js';
import { createInlineIngestor } from './support/inlineIngestor.js';
import { runLoad, type LoadReport } from './support/load.js';

const EVENTS = Number(process.env.BENCH_API_EVENTS ?? 300);
const RATE = Number(process.env.BENCH_API_RATE ?? 2);
const RATE_SECONDS = Number(process.env.BENCH_API_RATE_SECONDS ?? 30);
const CONNECTIONS = 16;
const BATCH = 50;

/** A playbook started by member.approved whose runs wait a week: a started run costs one workflow task. */
const plan = benchPlan('bench-api', [waitAWeek]);

interface Throughput {
  label: string;
  events: number;
  ms: number;
  refused: number;
  /** CPU the row used (the load generator's own process aside). */
  cpu: CpuUsed;
}

interface Latency {
  label: string;
  requests: number;
  p50: number;
  p99: number;
}

const bench = await openBench('api');
const suffix = randomBytes(3).toString('hex');
const taskQueue = `bench-api-${suffix}`;
try {
  await storePlan(bench.models, plan);
  const worker = await bench.startTendWorker({ taskQueue });
  const durable = await startApi(bench, taskQueue);
  const inline = await startApi(
    bench,
    taskQueue,
    createInlineIngestor({
      client: bench.client,
      models: bench.models,
      taskQueue,
      plans: createCurrentPlans(bench.models),
    }),
  );
  try {
    await report(...(await measure(durable, inline)));
  } finally {
    await Promise.allSettled([durable.close(), inline.close()]);
    await worker.stop();
  }
} finally {
  await bench.close();
}

async function measure(durable: RunningApi, inline: RunningApi): Promise<[Throughput[], Latency[]]> {
  // A warm-up each: the first workflow task of a fresh worker loads its workflow bundle.
  await throughput('warm-up', durable, await insertMembers(bench.models, 'warm-durable', 2), 1);
  await throughput('warm-up', inline, await insertMembers(bench.models, 'warm-inline', 2), 1);
  const rates = [
    await bareStarts(await insertMembers(bench.models, 'bare', EVENTS)),
    await throughput(
      'POST /v1/events, durable (as shipped)',
      durable,
      await insertMembers(bench.models, 'durable', EVENTS),
      1,
    ),
    await throughput(
      'POST /v1/events, inline (no workflow)',
      inline,
      await insertMembers(bench.models, 'inline', EVENTS),
      1,
    ),
    await throughput(
      'POST /v1/events, durable, 1 connection',
      durable,
      await insertMembers(bench.models, 'durable-one', EVENTS),
      1,
      1,
    ),
    await throughput(
      'POST /v1/events, inline, 1 connection',
      inline,
      await insertMembers(bench.models, 'inline-one', EVENTS),
      1,
      1,
    ),
    await throughput(
      `POST /v1/events, durable, arrays of ${BATCH}`,
      durable,
      await insertMembers(bench.models, 'batched', EVENTS),
      BATCH,
    ),
  ];
  const fixed = RATE * RATE_SECONDS;
  const latencies = [
    await bareLatency(await insertMembers(bench.models, 'bare-rate', fixed)),
    await latency(
      'POST /v1/events, durable (as shipped)',
      durable,
      await insertMembers(bench.models, 'durable-rate', fixed),
    ),
    await latency(
      'POST /v1/events, inline (no workflow)',
      inline,
      await insertMembers(bench.models, 'inline-rate', fixed),
    ),
  ];
  return [rates, latencies];
}

/** Runs of the benchmark's playbook for these members that have really started (their record says so). */
/**
 * Every row starts with no run records. FerretDB 1.24 serves queries on anything but _id by scanning the
 * collection, and starting a run queries the runs collection by its key: without this, each row would pay
 * for the runs of the rows before it, and the order of the rows would decide the figures.
 */
async function clearRunRecords(): Promise<void> {
  await bench.models.runs.deleteMany({}).exec();
}

function startedRuns(prefix: string): Promise<number> {
  return bench.models.runs
    .countDocuments({ playbook: plan.id, memberId: { $regex: `^${prefix}-` }, status: 'running' })
    .exec();
}

async function throughput(
  label: string,
  api: RunningApi,
  members: string[],
  batch: number,
  connections = CONNECTIONS,
): Promise<Throughput> {
  const prefix = members[0]?.split('-').slice(0, -1).join('-') ?? '';
  await clearRunRecords();
  const started = performance.now();
  const cpu = measureCpu();
  const load = await runLoad({
    url: api.url,
    apiKey: API_KEY,
    memberIds: members,
    batch,
    connections,
    overallRate: null,
  });
  await waitUntil(async () => (await startedRuns(prefix)) >= members.length, 600_000);
  return {
    label,
    events: await startedRuns(prefix),
    ms: performance.now() - started,
    refused: refusals(load),
    cpu: cpu(),
  };
}

async function latency(label: string, api: RunningApi, members: string[]): Promise<Latency> {
  await clearRunRecords();
  const load = await runLoad({
    url: api.url,
    apiKey: API_KEY,
    memberIds: members,
    batch: 1,
    connections: CONNECTIONS,
    overallRate: RATE,
  });
  if (refusals(load) > 0) throw new Error(`${label}: ${refusals(load)} requests were refused`);
  return { label, requests: load.requests.total, p50: load.latency.p50, p99: load.latency.p99 };
}

function refusals(load: LoadReport): number {
  return load.non2xx + load.errors;
}

/** The baseline's start: the run's workflow alone, bare, under the id Tend would give it. */
function startRunWorkflow(memberId: string) {
  return startRun(bench, { plan, memberId, taskQueue, workflowId: runWorkflowId(plan.id, memberId, null) });
}

async function bareStarts(members: string[]): Promise<Throughput> {
  await clearRunRecords();
  const started = performance.now();
  const cpu = measureCpu();
  await mapWithConcurrency(members, CONNECTIONS, startRunWorkflow);
  return {
    label: '`client.workflow.start` loop of the same runs (baseline)',
    events: members.length,
    ms: performance.now() - started,
    refused: 0,
    cpu: cpu(),
  };
}

/** Bare starts at the fixed rate: one every 1/RATE seconds, each timed from its call to Temporal's answer. */
async function bareLatency(members: string[]): Promise<Latency> {
  const durations: number[] = [];
  const begin = performance.now();
  await Promise.all(
    members.map(async (memberId, index) => {
      const due = begin + (index * 1000) / RATE;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const sent = performance.now();
      await startRunWorkflow(memberId);
      durations.push(performance.now() - sent);
    }),
  );
  return {
    label: '`client.workflow.start` (baseline)',
    requests: durations.length,
    p50: quantile(durations, 0.5),
    p99: quantile(durations, 0.99),
  };
}

async function report(rates: Throughput[], latencies: Latency[]): Promise<void> {
  const [bare, durable, inline, durableOne, inlineOne, batched] = rates;
  const [bareLat, durableLat, inlineLat] = latencies;
  const ratio = (a: Throughput | undefined, b: Throughput | undefined) =>
    a && b ? (perSecond(a.events, a.ms) / perSecond(b.events, b.ms)).toFixed(2) : '?';
  const lines = [
    '### Events per second with their runs started',
    '',
    `${EVENTS} \`member.approved\` events for ${EVENTS} members per row, each starting one run of a playbook that then waits a week. ` +
      `autocannon in a second process on loopback, ${CONNECTIONS} connections unless the row says otherwise; a row ends when the runs collection says every run has started. ` +
      'The API, the worker (one, all task types) and the baseline loop share this process. Run records are ' +
      'cleared before each row, so that every row starts from the same collection (and waits on the runs it started, ' +
      `not the rows' before it). ${measuredOn()}`,
    '',
    '| | events | seconds | events per second | refused |',
    '|---|---:|---:|---:|---:|',
    ...rates.map(
      (row) =>
        `| ${row.label} | ${row.events} | ${(row.ms / 1000).toFixed(1)} | ${perSecond(row.events, row.ms).toFixed(1)} | ${row.refused} |`,
    ),
    '',
    `Durable / inline: **${ratio(durable, inline)}** (1 connection: **${ratio(durableOne, inlineOne)}**); ` +
      `durable / bare starts: **${ratio(durable, bare)}**; ${CONNECTIONS} connections / 1: **${ratio(durable, durableOne)}** ` +
      `(inline: **${ratio(inline, inlineOne)}**); arrays of ${BATCH} / single events: **${ratio(batched, durable)}**.`,
    '',
    "Where each row's CPU went (autocannon's own process aside):",
    '',
    ...cpuTable(
      'event',
      rates.map((row) => ({ label: row.label, count: Math.max(1, row.events), used: row.cpu })),
    ),
    '',
    `### Latency at ${RATE} requests per second`,
    '',
    `${RATE * RATE_SECONDS} requests at a fixed ${RATE}/s (autocannon \`overallRate\`, latencies corrected for coordinated omission), one event each; ` +
      'the durable path answers 202 once Temporal has recorded the event (the signal-with-start of its queue), the ' +
      'inline path once the event is applied and its run started, the baseline once Temporal has recorded the start.',
    '',
    '| | requests | p50 (ms) | p99 (ms) |',
    '|---|---:|---:|---:|',
    ...latencies.map(
      (row) => `| ${row.label} | ${row.requests} | ${row.p50.toFixed(0)} | ${row.p99.toFixed(0)} |`,
    ),
    '',
    `p50 durable / inline: **${durableLat && inlineLat ? (durableLat.p50 / inlineLat.p50).toFixed(2) : '?'}**; ` +
      `p50 durable / one bare start: **${durableLat && bareLat ? (durableLat.p50 / bareLat.p50).toFixed(2) : '?'}**.`,
  ];
  console.log(lines.join('\n'));
  await recordResult('API', 'api-events', lines.join('\n'));
}
