// `tend validate` and `tend schema` as a manager runs them: the real launcher in a child process.

import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playbookJsonSchema } from '../../compiler/schema/jsonSchema.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function tend(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/tend.js', ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const FIXTURES = 'test/fixtures/playbooks';
let broken = '';

beforeAll(async () => {
  broken = await mkdtemp(path.join(tmpdir(), 'tend-validate-'));
  await cp(FIXTURES, broken, { recursive: true });
  await writeFile(
    path.join(broken, 'digest.yaml'),
    'name: Digest\ntrigger: { schedule: "0 10 * * *" }\nsteps:\n  - id: digest\n    send_email: upcoming-event\n',
  );
  // Valid, with one warning: a send in an `on` handler without an id of its own.
  await writeFile(
    path.join(broken, 'farewell.yaml'),
    'name: Farewell\ntrigger: { event: member.approved }\non:\n  member.left:\n    - send_email: welcome\nsteps:\n  - id: wait\n    wait: 1d\n',
  );
});

afterAll(async () => {
  await rm(broken, { recursive: true, force: true });
});

describe('tend validate', () => {
  it('exits 0 and prints a summary for a valid folder', async () => {
    const run = await tend(['validate', FIXTURES]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['5 playbooks valid, 0 errors, 0 warnings']);
  });

  it('prints each warning with its file:line:col', async () => {
    const run = await tend(['validate', broken]);
    expect(run.stdout).toContain(
      `${broken}/farewell.yaml:5:7  warning: add an id, like id: welcome, so reports and sends stay stable when you reorder steps`,
    );
  });

  it('exits 1 and prints every error when something is wrong', async () => {
    const run = await tend(['validate', broken]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    const digest = `${broken}/digest.yaml`;
    expect(lines.filter((line) => line.startsWith(digest))).toEqual([
      `${digest}:5:17  a schedule without an audience runs about the community and has no member to send to: write to: manager or to an email address`,
      `${digest}:5:17  template "upcoming-event" not found in ${broken}/templates (did you mean "upcoming-events"?)`,
    ]);
    expect(lines.at(-1)).toBe('6 of 7 playbooks valid, 2 errors, 1 warning');
  });

  it('reads PLAYBOOKS_DIR when no folder is named, and reports as JSON with --json', async () => {
    const run = await tend(['validate', '--json'], { PLAYBOOKS_DIR: broken });
    expect(run.code).toBe(1);
    const report: unknown = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      ok: false,
      summary: { playbooks: 7, valid: 6, errors: 2, warnings: 1 },
      playbooks: expect.arrayContaining([
        { id: 'digest', file: `${broken}/digest.yaml`, valid: false, version: null },
      ]) as unknown,
    });
  });

  it('exits 1 with a sentence when the folder does not exist', async () => {
    const run = await tend(['validate', 'no-such-folder']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot read the playbooks folder no-such-folder');
  });
});

describe('tend', () => {
  it('prints usage and exits 2 for an unknown command', async () => {
    const run = await tend(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
    expect(run.stderr).toMatch(/^ {2}validate {2}/m);
  });

  it('prints the playbook schema', async () => {
    const run = await tend(['schema']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(playbookJsonSchema());
  });
});
