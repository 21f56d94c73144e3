// The whole Tend stack as `npm run dev` runs it, for acceptance tests that talk to it only over HTTP and read
// what it sends from a real SMTP server: the real worker and the real API as child processes, with the
// environment dev gives them, on the shared Temporal and MongoDB-wire servers of the test run (a task queue
// and a database of this file's own), the dev mailbox, and the shipped playbooks.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { startMailbox, type Mailbox, type ReceivedMessage } from '../../../cli/dev/mailbox.js';
import { createModels, type Models } from '../../../db/index.js';
import { freePort } from '../../../scripts/ports.mjs';
import { useTestDatabase } from '../../support/mongo.js';
import { uniqueTaskQueue } from '../../support/temporal.js';
import { startApp, tail, type AppProcess } from './appProcess.js';
import { copyPlaybooksAtNoon } from './daytimePlaybooks.js';
import { eventually } from './eventually.js';

/** A cold worker bundles the workflow code first, which takes a while on a small shared machine. */
const START_DEADLINE_MS = 170_000;

export interface TendStack {
  /** PUBLIC_URL, which is also where the API listens. */
  readonly baseUrl: string;
  /** A key TEND_API_KEYS accepts. */
  readonly apiKey: string;
  /** TEND_SECRET, which signs the links in emails. */
  readonly secret: string;
  /** The Standard Webhooks secret of the `tally` webhook (the variable community.yaml names). */
  readonly webhookSecret: string;
  /** This file's database, read directly to check what the stack stored. */
  readonly models: Models;
  readonly mailbox: Mailbox;
  /** The first email to `to` whose subject matches, waiting for it to arrive. */
  email(to: string, subject: RegExp): Promise<ReceivedMessage>;
  /** Every email to `to` whose subject matches, received so far. */
  emails(to: string, subject: RegExp): ReceivedMessage[];
}

export function useTendStack(): TendStack {
  const db = useTestDatabase();
  const apiKey = `tend_test_${randomBytes(18).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  let dataDir = '';
  let baseUrl = '';
  let models: Models | undefined;
  let mailbox: Mailbox | undefined;
  let apps: AppProcess[] = [];

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useTendStack(): ${what} exists inside tests and hooks only`);
    return value;
  };

  /** What the apps said last and what the mailbox holds: for a failure message. */
  const explain = () =>
    [
      ...apps.map(
        (app) => `--- ${app.name}${app.exitReason() ? ` (${app.exitReason()})` : ''}\n${tail(app.lines)}`,
      ),
      `--- mailbox\n${(mailbox?.messages() ?? []).map((m) => `${m.envelope.to.join(', ')}: ${m.subject}`).join('\n')}`,
    ].join('\n');

  const emails = (to: string, subject: RegExp) =>
    started(mailbox, 'the mailbox')
      .messages()
      .filter((message) => message.envelope.to.includes(to) && subject.test(message.subject));

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tend-acceptance-'));
    mailbox = await startMailbox({ port: 0 });
    const playbooksDir = path.join(dataDir, 'playbooks');
    await copyPlaybooksAtNoon(playbooksDir);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('acceptance'),
      MONGODB_URI: db.uri,
      SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      TEND_API_KEYS: apiKey,
      TEND_SECRET: secret,
      PLAYBOOKS_DIR: playbooksDir,
      DATA_DIR: dataDir,
      TALLY_WEBHOOK_SECRET: webhookSecret,
    };
    const worker = startApp('worker', 'worker/main.ts', env);
    const api = startApp('api', 'api/main.ts', env);
    apps = [worker, api];
    await Promise.all([
      worker.waitForLine(isLogMessage('worker running'), 'worker running', START_DEADLINE_MS),
      eventually(
        'the API answers GET /readyz with 200',
        async () => {
          const exited = api.exitReason();
          if (exited !== undefined) throw new Error(`${exited}\n${tail(api.lines)}`);
          const answer = await fetch(`${baseUrl}/readyz`).catch(() => null);
          return answer?.status === 200 ? true : undefined;
        },
        { timeoutMs: START_DEADLINE_MS, explain },
      ),
    ]);
    models = createModels(db.connection);
  }, START_DEADLINE_MS + 10_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await mailbox?.close();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  return {
    get baseUrl() {
      return baseUrl;
    },
    apiKey,
    secret,
    webhookSecret,
    get models() {
      return started(models, 'the models');
    },
    get mailbox() {
      return started(mailbox, 'the mailbox');
    },
    email: (to, subject) =>
      eventually(`an email to ${to} with a subject like ${String(subject)}`, () => emails(to, subject)[0], {
        explain,
      }),
    emails,
  };
}

/** Whether a pino JSON line carries this message. */
function isLogMessage(message: string): (line: string) => boolean {
  return (line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null && 'msg' in parsed && parsed.msg === message;
    } catch {
      return false;
    }
  };
}
