// `npm run tend -- runs` typed in a second terminal while `npm run dev` runs: the CLI, as a child process with
// none of Tend's settings in its environment, finds the dev stack's in DATA_DIR/dev-settings.json (as
// scripts/dev.mjs writes it); without them, or with a server that does not answer, it says so in one line.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/ports.mjs';
import { createModels, runRecordId } from '../../db/index.js';
import { useTestDatabase } from '../support/mongo.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const db = useTestDatabase();
let dataDir = '';

/** Whatever the test runner's environment holds, the CLI starts without Tend's settings. */
const UNSET = ['TEND_SECRET', 'TEMPORAL_ADDRESS', 'MONGODB_URI', 'SMTP_URL', 'TEND_API_KEYS', 'DATA_DIR'];

function tend(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !UNSET.includes(name)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/tend.js', ...args],
      { cwd: ROOT, env: { ...clean, ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function writeDevSettings(settings: Record<string, string>): Promise<void> {
  await writeFile(path.join(dataDir, 'dev-settings.json'), JSON.stringify(settings, null, 2));
}

const devSettings = () => ({
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  MONGODB_URI: db.uri,
  SMTP_URL: 'smtp://127.0.0.1:1025',
  TEND_SECRET: 'dev-settings-test-secret-0123456789',
  TEND_API_KEYS: 'tend_dev_test',
});

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tend-dev-settings-'));
  await createModels(db.connection).runs.create({
    _id: runRecordId('welcome:ada', 0),
    runKey: 'welcome:ada',
    sequence: 0,
    playbook: 'welcome',
    version: 'abcdef0123456789',
    memberId: 'ada',
    key: null,
    workflowId: 'run:welcome:ada',
    triggerId: 'evt-1',
    status: 'completed',
    startedAt: new Date('2026-11-02T09:30:00Z'),
    closedAt: new Date('2026-11-02T09:31:00Z'),
  });
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the CLI beside npm run dev', () => {
  it("lists the dev stack's runs with the settings dev wrote", async () => {
    await writeDevSettings(devSettings());
    const run = await tend(['runs'], { DATA_DIR: dataDir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      'RUN              STATUS     STEP  NEXT WAKE-UP  STARTED           VERSION',
      'run:welcome:ada  completed  -     -             2026-11-02 09:30  abcdef01',
    ]);
  });

  it('lets the environment win over what dev wrote', async () => {
    await writeDevSettings({ ...devSettings(), MONGODB_URI: 'mongodb://127.0.0.1:1/nowhere' });
    const run = await tend(['runs'], { DATA_DIR: dataDir, MONGODB_URI: db.uri });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('run:welcome:ada');
  });

  it('says in one line which settings are missing and how to set them, when dev has not run', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'tend-no-dev-'));
    const run = await tend(['runs'], { DATA_DIR: empty });
    await rm(empty, { recursive: true, force: true });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'tend: TEND_SECRET, TEMPORAL_ADDRESS, MONGODB_URI, SMTP_URL are not set: start `npm run dev` (commands in another terminal then use its settings), or set them (see README, Configuration)\n',
    );
  });

  it('says in one line which server does not answer, when dev has stopped', async () => {
    const port = await freePort();
    await writeDevSettings({ ...devSettings(), TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
    const run = await tend(['runs'], { DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^tend: cannot reach Temporal at 127\\.0\\.0\\.1:${port} \\(TEMPORAL_ADDRESS\\): .+\\. Is \`npm run dev\` running\\?\\n$`,
      ),
    );
  });
});
