// Ctrl-C on `npm run dev` as the dev stack does it (scripts/watchedApp.mjs): the worker, run under
// `node --watch --import tsx`, is stopped while an email is on its way to an SMTP server that takes longer to
// answer than `tsx watch` used to wait (5 s) before it killed the worker. The worker finishes the send, records
// it, says so, and exits 0.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readPlanVersion } from '../../domain/plans/planStore.js';
import { startRun } from '../../activities/runs/startRun.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { startWatchedApp, type WatchedApp } from '../../scripts/watchedApp.mjs';
import { useTestDatabase } from '../support/mongo.js';
import { connectClient, uniqueTaskQueue } from '../support/temporal.js';
import { testEvent } from './support/plans.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Longer than the 5 s after which `tsx watch` killed the app it was stopping. */
const SMTP_ANSWER_MS = 8_000;

const db = useTestDatabase();
const taskQueue = uniqueTaskQueue('dev-stop');
let models: Models;
let client: Client;
let smtp: SMTPServer;
let smtpPort = 0;
let playbooksDir: string;
const lines: string[] = [];
let worker: WatchedApp | undefined;
let messageArrived: () => void = () => undefined;
const arrived = new Promise<void>((resolve) => (messageArrived = resolve));

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  client = await connectClient();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.once('end', () => {
        messageArrived();
        setTimeout(() => callback(), SMTP_ANSWER_MS);
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const address = smtp.server.address();
  smtpPort = typeof address === 'object' && address !== null ? address.port : 0;

  playbooksDir = await mkdtemp(path.join(tmpdir(), 'tend-dev-stop-'));
  await mkdir(path.join(playbooksDir, 'templates'));
  await writeFile(
    path.join(playbooksDir, 'community.yaml'),
    'name: Stop Club\ntimezone: UTC\nfrom: "Stop Club <hello@stop.example>"\nmanagers: [team@stop.example]\npostal_address: "1 Lane"\n',
  );
  await writeFile(
    path.join(playbooksDir, 'hello.yaml'),
    'name: Hello\ntrigger: { event: member.approved }\nsteps:\n  - id: hello\n    send_email: { template: hello, category: transactional, quiet_hours: false }\n',
  );
  await writeFile(
    path.join(playbooksDir, 'templates', 'hello.hbs'),
    '---\nsubject: Hello\n---\n<p>Hello</p>\n',
  );
});

afterAll(async () => {
  await worker?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await client.connection.close();
  await rm(playbooksDir, { recursive: true, force: true });
});

/** Resolves once a log line contains `text`. */
async function logged(text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!lines.some((line) => line.includes(text))) {
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("the dev stack's stop", () => {
  it('lets the worker finish the email it is sending, however long SMTP takes, and exit cleanly', async () => {
    worker = startWatchedApp({
      file: 'worker/main.ts',
      cwd: ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: taskQueue,
        MONGODB_URI: db.uri,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        PLAYBOOKS_DIR: playbooksDir,
        TEND_SECRET: 'dev-stop-test-secret-0123456789',
      },
      onLine: (line) => lines.push(line),
    });
    await logged('"worker running"', 120_000);

    await models.members.create({ _id: 'ada', email: 'ada@stop.example', name: 'Ada', status: 'active' });
    const current = await models.plans.findOne({ playbook: 'hello', current: true }).lean().exec();
    const plan = await readPlanVersion(models, 'hello', current?.version ?? '');
    const trigger = testEvent({ type: 'member.approved', memberId: 'ada' });
    const run = await startRun(client, models, { plan, memberId: 'ada', key: null, trigger, taskQueue });
    expect(run.status).toBe('started');

    await arrived;
    // The SMTP server has the message and takes its time to answer: Ctrl-C now.
    const code = await worker.stop();

    expect(code).toBe(0);
    expect(lines.filter((line) => line.includes('shutting down: finishing the tasks in hand'))).toHaveLength(
      1,
    );
    expect(lines.some((line) => line.includes('"worker stopped"'))).toBe(true);
    const row = await models.deliveries.findOne({ memberId: 'ada' }).lean().exec();
    expect(row?.status).toBe('sent');
  }, 300_000);
});
