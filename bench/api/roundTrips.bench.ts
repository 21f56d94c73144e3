// Where the time of an event and of a send goes, counted rather than timed: the MongoDB commands Tend sends
// per accepted event (from POST /v1/events until its run waits) and per email (from a run's start until the
// ledger says sent), each labelled with whether FerretDB 1.24 can serve it from an index (it uses one for `_id`
// equality only: every other filter scans its collection, so those grow with the community), and the Temporal
// workflow and activity tasks per event and per send. Counts do not depend on the machine's load. Scaled by
// BENCH_ROUND_TRIPS (default 50 events and 50 sends).

import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { createModels } from '../../db/index.js';
import { EVENT_QUEUE_WORKFLOW } from '../../contract/workflows.js';

import { storePlan } from '../../test/worker/support/storePlan.js';
import { insertMembers, openBench, waitUntil, startRun } from '../engine/support/harness.js';
import { benchPlan, sendHello, waitAWeek } from '../engine/support/plans.js';
import { measuredOn, recordResult } from '../engine/support/results.js';
import { countCommands, temporalTasks, type CommandKind } from '../engine/support/roundTrips.js';
import { API_KEY, startApi } from './support/api.js';

const COUNT = Number(process.env.BENCH_ROUND_TRIPS ?? 50);

const bench = await openBench('roundtrips', { monitorCommands: true });
const suffix = randomBytes(3).toString('hex');
const taskQueue = `bench-roundtrips-${suffix}`;
const counter = countCommands(bench.database);
// The benchmark's own polling goes over a connection of its own, so that it is not counted.
const observer = await mongoose.createConnection(bench.mongoUri, { autoIndex: false }).asPromise();
const observed = createModels(observer);
try {
  const waiting = benchPlan(`bench-wait-${suffix}`, [waitAWeek]);
  const sending = benchPlan(`bench-send-${suffix}`, [sendHello]);
  await storePlan(bench.models, waiting);
  const worker = await bench.startTendWorker({ taskQueue });
  const api = await startApi(bench, taskQueue);
  try {
    await perEvent(api.url, waiting.id, await insertMembers(bench.models, 'warm', 2));
    const eventMembers = await insertMembers(bench.models, 'event', COUNT);
    counter.reset();
    await perEvent(api.url, waiting.id, eventMembers);
    const eventCommands = counter.kinds();
    const eventTasks = await temporalTasks(bench.client, [
      ...eventMembers.map((memberId) => `run:${waiting.id}:${memberId}`),
      ...(await eventQueues()),
    ]);

    const sendMembers = await insertMembers(bench.models, 'send', COUNT);
    counter.reset();
    for (const memberId of sendMembers) await startRun(bench, { plan: sending, memberId, taskQueue });
    await waitUntil(
      async () => (await observed.deliveries.countDocuments({ status: 'sent' }).exec()) >= COUNT,
      300_000,
    );
    const sendCommands = counter.kinds();
    const sendTasks = await temporalTasks(
      bench.client,
      sendMembers.map((memberId) => `run:${sending.id}:${memberId}`),
    );
    await report(eventCommands, eventTasks, sendCommands, sendTasks);
  } finally {
    await api.close();
    await worker.stop();
  }
} finally {
  counter.stop();
  await observer.close();
  await bench.close();
}

/** Posts one member.approved per member, one request at a time, and waits until every event is routed. */
async function perEvent(url: string, playbook: string, members: string[]): Promise<void> {
  for (const memberId of members) {
    const response = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'member.approved', id: `approve-${memberId}`, memberId }),
    });
    if (response.status !== 202) throw new Error(`POST /v1/events answered ${response.status}`);
  }
  const ids = members.map((memberId) => `approve-${memberId}`);
  await waitUntil(
    async () =>
      (await observed.eventLog.countDocuments({ _id: { $in: ids }, status: 'routed' }).exec()) ===
        ids.length &&
      (await observed.runs.countDocuments({ playbook, status: 'running' }).exec()) >= members.length,
    300_000,
  );
}

async function eventQueues(): Promise<string[]> {
  const ids: string[] = [];
  for await (const workflow of bench.client.workflow.list({
    query: `WorkflowType = '${EVENT_QUEUE_WORKFLOW}'`,
  }))
    ids.push(workflow.workflowId);
  return ids;
}

async function report(
  eventCommands: CommandKind[],
  eventTasks: Awaited<ReturnType<typeof temporalTasks>>,
  sendCommands: CommandKind[],
  sendTasks: Awaited<ReturnType<typeof temporalTasks>>,
): Promise<void> {
  const per = (count: number): string => (count / COUNT).toFixed(2);
  const rows = (kinds: CommandKind[]): string[] =>
    kinds.map((kind) => `| ${kind.label} | ${kind.keyed ? 'yes' : '**scan**'} | ${per(kind.count)} |`);
  const sum = (kinds: CommandKind[], keyed: boolean): number =>
    kinds.filter((kind) => kind.keyed === keyed).reduce((total, kind) => total + kind.count, 0);
  const lines = [
    '### Round trips per event and per send',
    '',
    `${COUNT} \`member.approved\` events posted one at a time, each starting a run that then waits a week; ` +
      `then ${COUNT} runs that each send one email. MongoDB commands from the driver's command monitoring ` +
      "(every process here shares one connection), Temporal tasks from the workflows' histories. " +
      `Counts, not times: they do not move with the machine's load. ${measuredOn()}`,
    '',
    '| per accepted event: MongoDB command | keyed on `_id` | per event |',
    '|---|---|---:|',
    ...rows(eventCommands),
    `| **total** (keyed / scans) | ${per(sum(eventCommands, true))} / ${per(sum(eventCommands, false))} | **${per(sum(eventCommands, true) + sum(eventCommands, false))}** |`,
    '',
    `Temporal per event: ${per(eventTasks.workflowTasks)} workflow tasks, ${per(eventTasks.activityTasks)} activity ` +
      `tasks, ${per(eventTasks.signals)} signals (the event queue's and the run's together).`,
    '',
    '| per email sent: MongoDB command | keyed on `_id` | per send |',
    '|---|---|---:|',
    ...rows(sendCommands),
    `| **total** (keyed / scans) | ${per(sum(sendCommands, true))} / ${per(sum(sendCommands, false))} | **${per(sum(sendCommands, true) + sum(sendCommands, false))}** |`,
    '',
    `Temporal per send: ${per(sendTasks.workflowTasks)} workflow tasks, ${per(sendTasks.activityTasks)} activity tasks.`,
  ];
  console.log(lines.join('\n'));
  await recordResult('API', 'api-round-trips', lines.join('\n'));
}
