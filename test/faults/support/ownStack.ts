// Tend as it runs in production, on a fault test's own servers (ownServers.ts): worker and API processes
// started as `npm run dev` starts them (test/acceptance/support/appProcess.ts), the shipped playbooks at
// noon (so quiet hours hold nothing), and a real SMTP mailbox. Processes can be killed and started again.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startMailbox, type Mailbox } from '../../../cli/dev/mailbox.js';
import { freePort } from '../../../scripts/ports.mjs';
import { startApp, tail, type AppProcess } from '../../acceptance/support/appProcess.js';
import { copyPlaybooksAtNoon } from '../../acceptance/support/daytimePlaybooks.js';
import { databaseUri } from '../../support/mongo.js';
import type { OwnServers } from './ownServers.js';

/** The database every process of the stack uses (tests read it with `stackDatabase`). */
const DATABASE = 'tend_faults_stack';

/** A URI for the stack's database on `address` (a MongoDB URI without a database). */
export function stackDatabase(address: string): string {
  return databaseUri(address, DATABASE);
}

/** A cold worker bundles the workflow code first, which takes a while on a small shared machine. */
const START_DEADLINE_MS = 170_000;

export interface OwnStack {
  readonly mailbox: Mailbox;
  readonly apiKey: string;
  /** The base URL of each API process. */
  readonly apis: readonly string[];
  readonly workers: readonly AppProcess[];
  /** Starts one more worker and waits until it runs. */
  startWorker: () => Promise<AppProcess>;
  /** What every process said last, for a failure message. */
  explain: () => string;
}

export interface StackShape {
  workers: number;
  apis: number;
  /**
   * The MongoDB-wire address (a URI without a database) the workers use, when not the server's own: e.g. a
   * proxy (databaseProxy.ts) whose connections the test cuts. Read once the hooks before this one have run.
   */
  workerDatabase?: () => string;
}

export function useOwnStack(servers: OwnServers, shape: StackShape): OwnStack {
  const apiKey = `tend_faults_${randomBytes(12).toString('hex')}`;
  const apps: AppProcess[] = [];
  const workers: AppProcess[] = [];
  const apis: string[] = [];
  let dir = '';
  let mailbox: Mailbox | undefined;
  let env: Record<string, string> = {};

  const startWorker = async () => {
    const database = shape.workerDatabase?.() ?? servers.mongo.address;
    const worker = startApp(`worker-${workers.length + 1}`, 'worker/main.ts', {
      ...env,
      MONGODB_URI: databaseUri(database, DATABASE),
    });
    apps.push(worker);
    workers.push(worker);
    await worker.waitForLine(
      (line) => line.includes('"worker running"'),
      'worker running',
      START_DEADLINE_MS,
    );
    return worker;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tend-faults-stack-'));
    mailbox = await startMailbox({ port: 0 });
    const playbooksDir = path.join(dir, 'playbooks');
    await copyPlaybooksAtNoon(playbooksDir);
    env = {
      TEMPORAL_ADDRESS: servers.temporal.address,
      TEMPORAL_TASK_QUEUE: 'tend-faults',
      MONGODB_URI: databaseUri(servers.mongo.address, DATABASE),
      SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
      TEND_API_KEYS: apiKey,
      TEND_SECRET: randomBytes(24).toString('base64url'),
      PLAYBOOKS_DIR: playbooksDir,
      DATA_DIR: dir,
    };
    const starting: Promise<unknown>[] = [];
    for (let index = 0; index < shape.workers; index++) starting.push(startWorker());
    for (let index = 0; index < shape.apis; index++) {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const api = startApp(`api-${index + 1}`, 'api/main.ts', {
        ...env,
        PORT: String(port),
        PUBLIC_URL: baseUrl,
      });
      apps.push(api);
      apis.push(baseUrl);
      starting.push(
        api.waitForLine((line) => line.includes('Server listening'), 'listening', START_DEADLINE_MS),
      );
    }
    await Promise.all(starting);
  }, START_DEADLINE_MS + 30_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await mailbox?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  return {
    get mailbox() {
      if (!mailbox) throw new Error('useOwnStack(): the mailbox exists inside tests and hooks only');
      return mailbox;
    },
    apiKey,
    apis,
    workers,
    startWorker,
    explain: () =>
      apps.map((app) => `--- ${app.name} ${app.exitReason() ?? ''}\n${tail(app.lines, 15)}`).join('\n'),
  };
}
