// The environment read once by every process: what a setting gives, and a one-line error for a bad one.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../contract/config.js';

const REQUIRED = {
  TEND_SECRET: 'a-secret-of-16-characters',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  MONGODB_URI: 'mongodb://127.0.0.1:27017/tend',
  SMTP_URL: 'smtp://127.0.0.1:2525',
};

describe('loadConfig', () => {
  it('names every missing setting in one line', () => {
    expect(() => loadConfig({ TEND_SECRET: REQUIRED.TEND_SECRET })).toThrow(
      /^TEMPORAL_ADDRESS, MONGODB_URI, SMTP_URL are not set/,
    );
  });

  it("leaves the worker's cache size to buildWorker unless TEND_WORKER_CACHED_RUNS sets it", () => {
    expect(loadConfig(REQUIRED).workerCachedRuns).toBeUndefined();
    expect(loadConfig({ ...REQUIRED, TEND_WORKER_CACHED_RUNS: ' 1000 ' }).workerCachedRuns).toBe(1000);
  });

  it('gives the worker a bundle built ahead only when TEND_WORKFLOW_BUNDLE names one', () => {
    expect(loadConfig(REQUIRED).workflowBundle).toBeUndefined();
    expect(loadConfig({ ...REQUIRED, TEND_WORKFLOW_BUNDLE: ' ' }).workflowBundle).toBeUndefined();
    expect(loadConfig({ ...REQUIRED, TEND_WORKFLOW_BUNDLE: '/app/dist/workflows.js' }).workflowBundle).toBe(
      '/app/dist/workflows.js',
    );
  });

  it("leaves the heaps' growth to buildWorker unless TEND_WORKER_HEAP_GROWTH sets it; 0 is V8's own", () => {
    expect(loadConfig(REQUIRED).workerHeapGrowth).toBeUndefined();
    expect(loadConfig({ ...REQUIRED, TEND_WORKER_HEAP_GROWTH: ' 50 ' }).workerHeapGrowth).toBe(50);
    expect(loadConfig({ ...REQUIRED, TEND_WORKER_HEAP_GROWTH: '0' }).workerHeapGrowth).toBe(0);
  });

  it.each(['-5', '2.5', 'many'])('refuses TEND_WORKER_HEAP_GROWTH=%s with what it needs', (value) => {
    const load = () => loadConfig({ ...REQUIRED, TEND_WORKER_HEAP_GROWTH: value });
    expect(load).toThrow(
      `TEND_WORKER_HEAP_GROWTH must be a whole number of per cent, 0 or more, got "${value}"`,
    );
  });

  it('writes heap snapshots only where TEND_HEAP_SNAPSHOT_DIR says', () => {
    expect(loadConfig(REQUIRED).heapSnapshotDir).toBeUndefined();
    expect(loadConfig({ ...REQUIRED, TEND_HEAP_SNAPSHOT_DIR: ' ' }).heapSnapshotDir).toBeUndefined();
    expect(loadConfig({ ...REQUIRED, TEND_HEAP_SNAPSHOT_DIR: '/tmp/heap' }).heapSnapshotDir).toBe(
      '/tmp/heap',
    );
  });

  it.each(['0', '-5', '2.5', 'many'])('refuses TEND_WORKER_CACHED_RUNS=%s with what it needs', (value) => {
    const load = () => loadConfig({ ...REQUIRED, TEND_WORKER_CACHED_RUNS: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`TEND_WORKER_CACHED_RUNS must be a whole number above 0, got "${value}"`);
  });
});
