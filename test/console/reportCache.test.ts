// The console's report cache on a clock the test moves: a report is computed once while fresh, an old one is
// answered at once while one new computation runs behind it, keys are apart and bounded, and a failed
// refresh leaves the last report in place.

import { describe, expect, it } from 'vitest';
import { reportCache } from '../../api/console/reportCache.js';

function setUp(maxKeys = 10) {
  let now = 1_000;
  const computed: string[] = [];
  const failing = new Set<string>();
  const errors: unknown[] = [];
  const cache = reportCache(
    (key: string) => {
      computed.push(key);
      return failing.has(key)
        ? Promise.reject(new Error(`${key} failed`))
        : Promise.resolve(`${key} at ${now}`);
    },
    (key) => key,
    { freshMs: 100, maxKeys, clock: () => now, onRefreshError: (error) => errors.push(error) },
  );
  return {
    cache,
    computed,
    failing,
    errors,
    advance: (ms: number) => (now += ms),
  };
}

/** Lets the computations started behind an answer finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('reportCache', () => {
  it('computes a report once while it is fresh, and says when it was computed', async () => {
    const { cache, computed, advance } = setUp();
    const [first, second] = await Promise.all([cache('a'), cache('a')]);
    expect(first).toEqual({ value: 'a at 1000', computedAt: 1000 });
    expect(second).toBe(first);
    advance(99);
    expect(await cache('a')).toBe(first);
    expect(computed).toEqual(['a']);
  });

  it('answers an old report at once and computes one new report behind it', async () => {
    const { cache, computed, advance } = setUp();
    await cache('a');
    advance(100);
    const [stale, again] = await Promise.all([cache('a'), cache('a')]);
    expect(stale.value).toBe('a at 1000');
    expect(again.value).toBe('a at 1000');
    await settle();
    expect(computed).toEqual(['a', 'a']);
    expect(await cache('a')).toEqual({ value: 'a at 1100', computedAt: 1100 });
  });

  it('keeps keys apart, and at most maxKeys of them', async () => {
    const { cache, computed } = setUp(2);
    await cache('a');
    await cache('b');
    await cache('c');
    expect((await cache('b')).value).toBe('b at 1000');
    expect((await cache('c')).value).toBe('c at 1000');
    expect(computed).toEqual(['a', 'b', 'c']);
    await cache('a');
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });

  it('keeps the last report when a refresh fails, and reports the failure', async () => {
    const { cache, failing, errors, advance } = setUp();
    await cache('a');
    failing.add('a');
    advance(200);
    expect((await cache('a')).value).toBe('a at 1000');
    await settle();
    expect(errors).toEqual([new Error('a failed')]);
    expect((await cache('a')).value).toBe('a at 1000');
  });

  it('fails the page when there is no report yet to fall back on', async () => {
    const { cache, failing } = setUp();
    failing.add('a');
    await expect(cache('a')).rejects.toThrow('a failed');
    failing.delete('a');
    expect((await cache('a')).value).toBe('a at 1000');
  });
});
