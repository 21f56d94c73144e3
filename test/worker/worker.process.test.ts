// The worker as a process, against a real Temporal dev server, a real MongoDB-wire server and a real SMTP
// server (the dev mailbox): killed in the middle of sending and started again, it sends each email exactly
// once, and each run's journal holds each of its notes once; an SMTP 550 is recorded as failed (in the ledger and
// in the journal, with the reply) and not retried; an SMTP server down for a minute is waited out,
// and each email arrives once.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readPlanVersion } from '../../domain/plans/planStore.js';
import { startRun } from '../../activities/runs/startRun.js';
import { startMailbox, type Mailbox } from '../../cli/dev/mailbox.js';
import type { Plan } from '../../compiler/plan.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { useTestDatabase } from '../support/mongo.js';
import { connectClient, uniqueTaskQueue } from '../support/temporal.js';
import { testEvent } from './support/plans.js';
import { startWorkerProcess, type WorkerProcess } from './support/workerProcess.js';

const db = useTestDatabase();
const taskQueue = uniqueTaskQueue('worker-process');
let models: Models;
let client: Client;
let mailbox: Mailbox;
let playbooksDir: string;
let worker: WorkerProcess | null = null;
let plan: Plan;

const COMMUNITY = `name: Process Test Club
timezone: Europe/London
from: "Process Test Club <hello@process.example>"
managers: [organisers@process.example]
postal_address: "1 Test Lane"
`;
const PLAYBOOK = `name: Hello
description: One email, at once, to every member approved.
trigger: { event: member.approved }
steps:
  - id: hello
    send_email: { template: hello, category: transactional, quiet_hours: false }
`;
const TEMPLATE = `---
subject: Hello {{member.name}}
---
<p>Hello {{member.name}}, welcome to {{community.name}}.</p>
<p><a href="{{links.unsubscribe}}">Unsubscribe</a></p>
`;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  client = await connectClient();
  mailbox = await startMailbox({ port: 0 });
  playbooksDir = await mkdtemp(path.join(tmpdir(), 'tend-process-playbooks-'));
  await mkdir(path.join(playbooksDir, 'templates'));
  await writeFile(path.join(playbooksDir, 'community.yaml'), COMMUNITY);
  await writeFile(path.join(playbooksDir, 'hello.yaml'), PLAYBOOK);
  await writeFile(path.join(playbooksDir, 'templates', 'hello.hbs'), TEMPLATE);
  worker = await startWorker();
  const current = await models.plans.findOne({ playbook: 'hello', current: true }).lean().exec();
  if (!current?.version) throw new Error(`the worker stored no plan for hello: ${JSON.stringify(current)}`);
  plan = await readPlanVersion(models, 'hello', current.version);
});

afterAll(async () => {
  await worker?.kill('SIGTERM');
  await mailbox.close();
  await client.connection.close();
  await rm(playbooksDir, { recursive: true, force: true });
});

function startWorker(): Promise<WorkerProcess> {
  return startWorkerProcess({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    MONGODB_URI: db.uri,
    SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
    PLAYBOOKS_DIR: playbooksDir,
    TEND_SECRET: 'process-test-secret-0123456789',
  });
}

async function addMembers(prefix: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
  await models.members.insertMany(
    ids.map((_id) => ({ _id, email: `${_id}@members.example`, name: _id, status: 'active' })),
  );
  return ids;
}

async function approve(memberId: string): Promise<string> {
  const trigger = testEvent({ type: 'member.approved', memberId });
  const result = await startRun(client, models, { plan, memberId, key: null, trigger, taskQueue });
  expect(result.status).toBe('started');
  return result.workflowId;
}

const messagesTo = (memberId: string) =>
  mailbox.messages().filter((message) => message.envelope.to.includes(`${memberId}@members.example`));

describe('the worker process', () => {
  it('killed in the middle of sends and started again, sends each email exactly once', async () => {
    const members = await addMembers('crash', 30);
    const runs = await Promise.all(members.map(approve));
    await mailbox.waitForMessages(3, 120_000);
    await worker?.kill('SIGKILL');
    const beforeKill = mailbox.messages().length;
    // The kill came in the middle: some emails had gone, others had not.
    expect(beforeKill).toBeLessThan(30);

    worker = await startWorker();
    // Every run ends once its email is sent and recorded.
    await Promise.all(runs.map((workflowId) => client.workflow.getHandle(workflowId).result()));
    const sent = await models.deliveries
      .find({ playbook: 'hello', memberId: { $in: members } })
      .lean()
      .exec();
    expect(sent).toHaveLength(30);
    expect(sent.every((row) => row.status === 'sent')).toBe(true);
    for (const member of members) {
      const ids = new Set(messagesTo(member).map((message) => message.messageId));
      // Exactly one email per member: one Message-ID, the one the ledger recorded.
      expect(ids.size, member).toBe(1);
      expect([...ids][0]).toBe(sent.find((row) => row.memberId === member)?.messageId);
    }
    // The journal: each run noted entering the step, the send and its end, once each, whatever the worker
    // had written before it was killed and whatever it wrote again after.
    const journal = await models.journal
      .find({ workflowId: { $in: runs } })
      .lean()
      .exec();
    for (const workflowId of runs) {
      const notes = journal
        .filter((entry) => entry.workflowId === workflowId)
        .sort((a, b) => a.seq - b.seq)
        .map((entry) => `${entry.seq} ${entry.stepId} ${entry.kind}`);
      expect(notes, workflowId).toEqual(['0 hello entered', '1 hello sent', '2 run completed']);
    }
  }, 600_000);

  it('says where its memory is when sent SIGUSR2, and keeps working', async () => {
    const memory = await worker?.memory();
    expect(memory?.rss).toBeGreaterThan(0);
    expect(memory?.mainHeapUsed).toBeGreaterThan(0);
    expect(memory?.mainHeapTotal).toBeGreaterThanOrEqual(memory?.mainHeapUsed ?? Infinity);
    // The workflow thread's heap and the SDK's native core are outside the main thread's heap.
    expect(memory?.outsideMainHeap).toBeGreaterThan(0);
    const [member = ''] = await addMembers('asked', 1);
    await client.workflow.getHandle(await approve(member)).result();
    expect(messagesTo(member)).toHaveLength(1);
  }, 300_000);

  it('records an SMTP 550 as failed and does not retry it', async () => {
    const [member = ''] = await addMembers('refused', 1);
    mailbox.failNext({ code: 550, message: 'No such user here' });
    const workflowId = await approve(member);
    await client.workflow.getHandle(workflowId).result();

    const row = await models.deliveries.findOne({ playbook: 'hello', memberId: member }).lean().exec();
    expect(row?.status).toBe('failed');
    expect(row?.error).toMatch(/550/);
    expect(messagesTo(member)).toHaveLength(0);
    const failed = await models.journal.findOne({ workflowId, kind: 'failed' }).lean().exec();
    expect(failed).toMatchObject({ stepId: 'hello', template: 'hello', reason: row?.error });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const attempts = (history.events ?? []).flatMap((event) =>
      event.activityTaskStartedEventAttributes ? [event.activityTaskStartedEventAttributes.attempt] : [],
    );
    // The refusal came back from the send's first attempt, in the workflow task: no activity task was
    // scheduled to try it again.
    const deliverScheduled = (history.events ?? []).filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'deliver',
    );
    expect(deliverScheduled).toHaveLength(0);
    expect(attempts.every((attempt) => attempt === 1)).toBe(true);
  }, 300_000);

  it('waits out an SMTP server that is down for a minute, and the email arrives once', async () => {
    const [member = ''] = await addMembers('patient', 1);
    await mailbox.pause();
    const workflowId = await approve(member);
    await waitUntil(async () => {
      const row = await models.deliveries.findOne({ playbook: 'hello', memberId: member }).lean().exec();
      return row?.status === 'claimed';
    }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    await mailbox.resume();

    await client.workflow.getHandle(workflowId).result();
    const row = await models.deliveries.findOne({ playbook: 'hello', memberId: member }).lean().exec();
    expect(row?.status).toBe('sent');
    expect(messagesTo(member).map((message) => message.messageId)).toEqual([row?.messageId]);
  }, 600_000);
});

/** Polls `check` until it holds; the worker and SMTP retries work on their own clocks. */
async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
