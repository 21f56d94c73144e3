// A soak: Tend as it ships (the worker and the API as real processes, `node --import tsx`) fed a steady
// stream of events for a long time, to see whether anything creeps: the processes' memory, how long
// `POST /v1/events` takes, and how late the sends go out. Each event is a `member.approved` for a member of
// its own; the playbook it starts sends at once and then sleeps a week, so runs asleep pile up as in a real
// community. Printed as one row per minute while it runs, then as a table. BENCH_SOAK_MINUTES (default 20),
// BENCH_SOAK_RATE (events per second, default 10).
//
// Event latency is timed from the moment each request was due (one every 1/rate seconds), not from when it
// went out, so that a stalled API shows as latency rather than as fewer requests. Send lateness is when the
// dev mailbox accepted the email minus the moment the event was due: the email is due at once.

import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/ports.mjs';
import { startApp, tail, type AppProcess } from '../../test/acceptance/support/appProcess.js';
import { BENCH_SECRET, insertMembers, openBench, quantile, waitUntil } from './support/harness.js';
import { measuredOn, recordResult } from './support/results.js';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 20);
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 10);
const MINUTE_MS = 60_000;
const API_KEY = `bench-soak-${randomBytes(6).toString('hex')}`;
/** How long the sends of the last events may take to arrive once the stream has stopped. */
const DRAIN_MS = 600_000;
const START_DEADLINE_MS = 300_000;

const COMMUNITY = `name: Soak Club
timezone: Europe/London
from: "Soak Club <hello@soak.example>"
managers: [organisers@soak.example]
postal_address: "1 Soak Lane"
`;
const PLAYBOOK = `name: Soak
trigger: { event: member.approved }
steps:
  - id: hello
    send_email: { template: hello, category: transactional }
  - wait: 7d
`;
const HELLO = `---
subject: Hello {{member.name}}
---
<p>Hello {{member.name}}, welcome to {{community.name}}.</p>
`;

/** Resident set size of a process, in MiB, from /proc. */
async function rssMiB(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN) / 1024;
}

const TABLE_HEAD = [
  '| minute | answered | refused | latency p50 (ms) | latency p99 (ms) | emails | late p50 (s) | late p99 (s) | worker RSS (MiB) | API RSS (MiB) | load |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];

interface Posted {
  memberId: string;
  /** ms epoch the request was due. */
  dueAt: number;
  latencyMs: number;
  status: number;
}

interface Minute {
  minute: number;
  /** The requests answered during the minute. */
  answered: Posted[];
  /** Lateness (ms) of the emails that arrived during the minute. */
  lateness: number[];
  workerMiB: number;
  apiMiB: number;
  load: number;
}

const bench = await openBench('soak');
const dir = await mkdtemp(path.join(tmpdir(), 'tend-bench-soak-'));
const apps: AppProcess[] = [];
try {
  const playbooksDir = path.join(dir, 'playbooks');
  await mkdir(path.join(playbooksDir, 'templates'), { recursive: true });
  await writeFile(path.join(playbooksDir, 'community.yaml'), COMMUNITY);
  await writeFile(path.join(playbooksDir, 'soak.yaml'), PLAYBOOK);
  await writeFile(path.join(playbooksDir, 'templates', 'hello.hbs'), HELLO);
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const env = {
    MONGODB_URI: bench.mongoUri,
    SMTP_URL: bench.smtpUrl,
    TEND_SECRET: BENCH_SECRET,
    TEND_API_KEYS: API_KEY,
    PLAYBOOKS_DIR: playbooksDir,
    TEMPORAL_TASK_QUEUE: `bench-soak-${randomBytes(3).toString('hex')}`,
    DATA_DIR: dir,
    PORT: String(port),
    PUBLIC_URL: apiUrl,
  };
  const worker = startApp('worker', 'worker/main.ts', env);
  const api = startApp('api', 'api/main.ts', env);
  apps.push(worker, api);
  await Promise.all([
    worker.waitForLine((line) => line.includes('"worker running"'), 'worker running', START_DEADLINE_MS),
    api.waitForLine((line) => line.includes('Server listening'), 'listening', START_DEADLINE_MS),
  ]);

  const events = Math.round(MINUTES * 60 * RATE);
  const members = await insertMembers(bench.models, 'soak', events);
  const emailOf = (memberId: string) => `${memberId}@members.example`;
  const dueOf = new Map<string, number>();
  const posted: Posted[] = [];
  const minutes: Minute[] = [];
  let arrivalsSeen = 0;
  let answersSeen = 0;

  const post = async (memberId: string, dueAt: number): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt - Date.now())));
    dueOf.set(emailOf(memberId), dueAt);
    let status = 0;
    try {
      const answer = await fetch(`${apiUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'member.approved', id: `soak-${memberId}`, memberId }),
      });
      await answer.arrayBuffer();
      status = answer.status;
    } catch {
      status = -1;
    }
    posted.push({ memberId, dueAt, latencyMs: Date.now() - dueAt, status });
  };

  /** Every request answered since the last call. */
  const newAnswers = (): Posted[] => {
    const answered = posted.slice(answersSeen);
    answersSeen += answered.length;
    return answered;
  };

  /** The lateness of every email that arrived since the last call. */
  const newArrivals = (): number[] => {
    const messages = bench.mailbox.messages().slice(arrivalsSeen);
    arrivalsSeen += messages.length;
    return messages.flatMap((message) => {
      const dueAt = message.envelope.to.map((to) => dueOf.get(to)).find((at) => at !== undefined);
      return dueAt === undefined ? [] : [Date.parse(message.receivedAt) - dueAt];
    });
  };

  const printRow = (row: Minute) => console.log(tableRow(row));
  console.log(`soak: ${events} events at ${RATE}/s for ${MINUTES} min`);
  console.log(TABLE_HEAD.join('\n'));
  const begin = Date.now() + 1_000;
  const stream = Promise.all(members.map((memberId, index) => post(memberId, begin + (index * 1000) / RATE)));
  const streamEnd = begin + MINUTES * MINUTE_MS;
  const drainEnd = streamEnd + DRAIN_MS;
  const drained = () => bench.mailbox.messages().length >= events;
  // A row a minute while the events come, then on while the emails still due go out (the backlog draining).
  for (let minute = 1; ; minute += 1) {
    const streaming = minute <= Math.ceil(MINUTES);
    const end = streaming
      ? Math.min(begin + minute * MINUTE_MS, streamEnd)
      : streamEnd + (minute - Math.ceil(MINUTES)) * MINUTE_MS;
    await waitUntil(() => Date.now() >= end || (!streaming && drained()), end - Date.now() + 1_000);
    const row: Minute = {
      minute,
      answered: newAnswers(),
      lateness: newArrivals(),
      workerMiB: await rssMiB(worker.pid),
      apiMiB: await rssMiB(api.pid),
      load: loadavg()[0] ?? Number.NaN,
    };
    minutes.push(row);
    printRow(row);
    if (Date.now() >= streamEnd && (drained() || Date.now() >= drainEnd)) break;
  }
  await stream;

  const accepted = posted.filter((request) => request.status === 202).length;
  const lines = [
    '### Soak: a steady stream of events',
    '',
    `${events} \`member.approved\` events at a fixed ${RATE}/s for ${MINUTES} min, one member each, through the API ` +
      'process to a playbook that sends at once and then sleeps a week; the worker and the API are real processes ' +
      `(\`node --import tsx\`). ${accepted} answered 202; ${bench.mailbox.messages().length} emails arrived` +
      `${drained() ? '' : ` (${DRAIN_MS / 60_000} min after the stream stopped, not all)`}. ` +
      'Event latency is from the moment each request was due to its answer; lateness is from that moment to the ' +
      "mailbox's acceptance of the email; each row counts the requests answered and the emails that arrived in " +
      'its minute, and rows after the stream show the backlog draining. ' +
      measuredOn(),
    '',
    ...TABLE_HEAD,
    ...minutes.map(tableRow),
  ];
  console.log(lines.join('\n'));
  await recordResult('Engine', 'engine-soak', lines.join('\n'));
} catch (error) {
  for (const app of apps) console.error(`--- ${app.name} ${app.exitReason() ?? ''}\n${tail(app.lines, 20)}`);
  throw error;
} finally {
  await Promise.allSettled(apps.map((app) => app.stop()));
  await rm(dir, { recursive: true, force: true });
  await bench.close();
}

function tableRow(row: Minute): string {
  const latencies = row.answered.map((request) => request.latencyMs);
  const refused = row.answered.filter((request) => request.status !== 202).length;
  const ms = (values: number[], q: number) => (values.length === 0 ? '-' : quantile(values, q).toFixed(0));
  const s = (values: number[], q: number) =>
    values.length === 0 ? '-' : (quantile(values, q) / 1000).toFixed(2);
  return (
    `| ${row.minute} | ${row.answered.length} | ${refused} | ${ms(latencies, 0.5)} | ${ms(latencies, 0.99)} | ` +
    `${row.lateness.length} | ${s(row.lateness, 0.5)} | ${s(row.lateness, 0.99)} | ` +
    `${row.workerMiB.toFixed(0)} | ${row.apiMiB.toFixed(0)} | ${row.load.toFixed(1)} |`
  );
}
