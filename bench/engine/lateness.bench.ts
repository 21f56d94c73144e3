// How late 1,000 sends due at the same moment go out: runs wait until an hour before an event
// (`wait_until: { time: event.startsAt, offset: -1h }`) and then send; lateness is when the dev mailbox
// accepted each email minus the moment it was due. The baseline is 1,000 workflows that sleep until the same
// kind of moment and then run one activity that reads the clock. BENCH_DUE_SENDS (default 1,000).

import { randomBytes } from 'node:crypto';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import { testEvent } from '../../test/worker/support/plans.js';
import { startBaselineWorker } from './support/baseline.js';
import type { activityAt } from './support/baselineWorkflows.js';
import { insertMembers, openBench, quantile, waitUntil, startRun } from './support/harness.js';
import { benchPlan, sendHello } from './support/plans.js';
import { cpuTable, measureCpu, type CpuUsed } from './support/cpuMeter.js';
import { measuredOn, recordResult } from './support/results.js';

const SENDS = Number(process.env.BENCH_DUE_SENDS ?? 1_000);
const START_CONCURRENCY = 24;
const HOUR = 3_600_000;
/** Time to start every workflow before the moment comes, generous for a loaded 2-core machine. */
const dueIn = () => 30_000 + SENDS * 60;

/** CPU from the moment the sends are due to when the phase ends: the work lateness measures. */
function measureCpuFrom(at: number): Promise<() => CpuUsed> {
  return new Promise((resolve) => setTimeout(() => resolve(measureCpu()), Math.max(0, at - Date.now())));
}

const bench = await openBench('lateness');
const suffix = randomBytes(3).toString('hex');
try {
  const members = await insertMembers(bench.models, 'due', SENDS);

  const baselineQueue = `bench-due-baseline-${suffix}`;
  const baseline = await startBaselineWorker(bench.workerConnection, baselineQueue);
  const baselineDue = Date.now() + dueIn();
  const handles = await mapWithConcurrency(members, START_CONCURRENCY, (memberId) =>
    bench.client.workflow.start<typeof activityAt>('activityAt', {
      workflowId: `due:${suffix}:${memberId}`,
      taskQueue: baselineQueue,
      args: [baselineDue],
    }),
  );
  const baselineStartedBy = Date.now();
  const baselineCpu = measureCpuFrom(baselineDue);
  const ranAt: number[] = await Promise.all(handles.map((handle) => handle.result()));
  const baselineUsed = (await baselineCpu)();
  await baseline.stop();
  const baselineLateness = ranAt.map((at) => at - baselineDue);

  const plan = benchPlan(
    `bench-due-${suffix}`,
    [
      { kind: 'wait_until', id: 'hour-before', authoredId: true, time: 'event.startsAt', offsetMs: -HOUR },
      sendHello,
    ],
    { needs: { event: true, rsvp: false, upcomingEvents: false } },
  );
  const queue = `bench-due-${suffix}`;
  const worker = await bench.startTendWorker({ taskQueue: queue });
  const due = Date.now() + dueIn();
  await bench.models.events.create({
    _id: 'launch',
    title: 'Launch',
    status: 'published',
    startsAt: new Date(due + HOUR),
  });
  await mapWithConcurrency(members, START_CONCURRENCY, (memberId) =>
    startRun(bench, {
      plan,
      memberId,
      taskQueue: queue,
      key: 'launch',
      trigger: testEvent({ type: 'rsvp.created', memberId, eventId: 'launch' }),
    }),
  );
  const engineStartedBy = Date.now();
  const engineCpu = measureCpuFrom(due);
  // An email the ledger could not mark sent (the database refused the write) is sent again with the same
  // Message-ID, which mail clients de-duplicate: lateness counts each Message-ID's first arrival.
  const firstArrivals = () => {
    const first = new Map<string, number>();
    for (const message of bench.mailbox.messages()) {
      const id = message.messageId ?? message.id;
      if (!first.has(id)) first.set(id, Date.parse(message.receivedAt));
    }
    return first;
  };
  const arrived = await waitUntil(() => firstArrivals().size >= SENDS, dueIn() + 600_000);
  const engineUsed = (await engineCpu)();
  await worker.stop();
  const engineLateness = [...firstArrivals().values()].map((at) => at - due);
  const repeated = bench.mailbox.messages().length - engineLateness.length;

  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  const row = (name: string, values: number[]) =>
    `| ${name} | ${values.length} | ${seconds(quantile(values, 0.5))} | ${seconds(quantile(values, 0.99))} | ${seconds(Math.max(...values))} |`;
  const lines = [
    '### Lateness of sends due at the same moment',
    '',
    `${SENDS} workflows due at one moment; all were started ${seconds(baselineDue - baselineStartedBy)} s (baseline) and ` +
      `${seconds(due - engineStartedBy)} s (engine) before it. ${measuredOn()}`,
    '',
    '| | workflows | p50 late (s) | p99 late (s) | max late (s) |',
    '|---|---:|---:|---:|---:|',
    row('sleep, then one activity reading the clock (baseline)', baselineLateness),
    row(
      `\`wait_until\` an event's start -1h, then send (engine)${arrived ? '' : ', timed out'}`,
      engineLateness,
    ),
    '',
    `Ratio engine / baseline at p99: **${(quantile(engineLateness, 0.99) / quantile(baselineLateness, 0.99)).toFixed(2)}**. ` +
      `${repeated} email(s) arrived a second time under the same Message-ID. ` +
      'A due send re-reads its member and event, claims its ledger row, renders and speaks SMTP; the timers fire on time, ' +
      'the queue of sends behind them is what lateness measures.',
    '',
    ...cpuTable('send, from the moment due', [
      { label: 'baseline', count: SENDS, used: baselineUsed },
      { label: 'engine', count: SENDS, used: engineUsed },
    ]),
  ];
  console.log(lines.join('\n'));
  await recordResult('Engine', 'engine-lateness', lines.join('\n'));
} finally {
  await bench.close();
}
