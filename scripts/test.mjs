// `npm test`: everything CI checks, from a fresh clone. Installs what is missing (npm packages, then the
// servers into .tools/), then runs the type check, lint, format check and the vitest suites against real
// servers. Extra arguments go to vitest (`npm test -- test/smoke`). Every step runs even after a failure, so
// one run shows every problem; the exit code is non-zero if any failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDependencies } from './dependencies.mjs';
import { provision, ProvisionError, rootDir } from './provision.mjs';
import { since } from './timing.mjs';

const started = performance.now();
const bin = (name) => path.join(rootDir, 'node_modules', '.bin', name);

ensureDependencies();
console.log('tend test: servers');
try {
  await provision({ temporal: true, testServer: true, mongo: true, chromium: true, postgresql: true });
} catch (error) {
  if (!(error instanceof ProvisionError)) throw error;
  console.error(`error: ${error.message}`);
  process.exit(1);
}

// vitest's JSON report gives the counts for the closing "N passed, N failed" line.
const reportDir = mkdtempSync(path.join(tmpdir(), 'tend-vitest-'));
const report = path.join(reportDir, 'report.json');
const steps = [
  { name: 'tsc --noEmit', command: bin('tsc'), args: ['--noEmit', '-p', '.'] },
  { name: 'eslint .', command: bin('eslint'), args: ['.'] },
  { name: 'prettier --check .', command: bin('prettier'), args: ['--check', '.'] },
  {
    name: 'vitest run',
    command: bin('vitest'),
    args: [
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...process.argv.slice(2),
    ],
  },
];

const results = steps.map(({ name, command, args }) => {
  console.log(`\n── ${name}`);
  const stepStarted = performance.now();
  const result = spawnSync(command, args, { cwd: rootDir, stdio: 'inherit' });
  return { name, ok: result.status === 0, took: since(stepStarted) };
});

/** @returns {{ passed: number, failed: number } | undefined} */
function testCounts() {
  try {
    const parsed = JSON.parse(readFileSync(report, 'utf8'));
    const passed = parsed?.numPassedTests;
    const failed = parsed?.numFailedTests;
    return Number.isInteger(passed) && Number.isInteger(failed) ? { passed, failed } : undefined;
  } catch {
    return undefined;
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

console.log('\ntend test summary');
for (const { name, ok, took } of results)
  console.log(`  ${name.padEnd(20)} ${ok ? 'ok    ' : 'FAILED'} ${took}`);
console.log(`  total                ${since(started)}`);
const counts = testCounts();
if (counts) console.log(`\n${counts.passed} passed, ${counts.failed} failed`);
process.exitCode = results.every((result) => result.ok) ? 0 : 1;
