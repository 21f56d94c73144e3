// The API and the worker log JSON lines in production and readable text in dev (`TEND_LOG_FORMAT=pretty`,
// which `npm run dev` sets). Both processes are started for real, without their settings, so the first thing
// each logs is the one line that says which setting is missing.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** None of Tend's settings, whatever the test runner's environment holds. */
const UNSET = { TEND_SECRET: '', TEMPORAL_ADDRESS: '', MONGODB_URI: '', SMTP_URL: '', TEND_LOG_FORMAT: '' };

function run(file: string, env: Record<string, string>): Promise<{ code: number; output: string[] }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', file],
      { cwd: ROOT, env: { ...process.env, ...UNSET, ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: `${stdout}${stderr}`.split('\n').filter((line) => line.trim() !== '') });
      },
    );
  });
}

const MISSING =
  'TEND_SECRET, TEMPORAL_ADDRESS, MONGODB_URI, SMTP_URL are not set: start `npm run dev` (commands in another terminal then use its settings), or set them (see README, Configuration)';

describe.each([
  { file: 'api/main.ts', name: 'tend-api', what: 'the API could not start' },
  { file: 'worker/main.ts', name: 'tend-worker', what: 'the worker could not start' },
])('$file', ({ file, name, what }) => {
  it('logs one JSON line by default, as production reads it', async () => {
    const { code, output } = await run(file, {});
    expect(code).toBe(1);
    expect(output).toHaveLength(1);
    expect(JSON.parse(output[0] ?? '')).toMatchObject({ level: 60, name, msg: `${what}: ${MISSING}` });
  });

  it('logs one line of text with TEND_LOG_FORMAT=pretty, as dev shows it', async () => {
    const { code, output } = await run(file, { TEND_LOG_FORMAT: 'pretty' });
    expect(code).toBe(1);
    expect(output).toHaveLength(1);
    expect(output[0]).toMatch(new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] FATAL \\(${name}\\): `));
    expect(output[0]).toContain(`${what}: ${MISSING}`);
  });
});

it('a log format Tend does not know is refused in one line', async () => {
  const { code, output } = await run('api/main.ts', { TEND_LOG_FORMAT: 'xml' });
  expect(code).toBe(1);
  expect(output).toEqual(['tend-api: TEND_LOG_FORMAT must be json or pretty, got "xml"']);
});
