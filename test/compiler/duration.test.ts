// Durations as managers write them, and what they are told when a duration is not one.

import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../compiler/duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('durations', () => {
  it.each([
    ['30s', 30 * S],
    ['10m', 10 * M],
    ['2h', 2 * H],
    ['3d', 3 * D],
    ['1w', 7 * D],
    ['1d12h', D + 12 * H],
    ['1w2d3h4m5s', 9 * D + 3 * H + 4 * M + 5 * S],
    ['P1DT12H', D + 12 * H],
    ['PT30M', 30 * M],
    ['P2W', 14 * D],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text, { allowNegative: false })).toEqual({ ok: true, ms });
  });

  it('a leading minus makes an offset negative, where one is allowed', () => {
    expect(parseDuration('-1d', { allowNegative: true })).toEqual({ ok: true, ms: -D });
    expect(parseDuration('-1d', { allowNegative: false })).toEqual({
      ok: false,
      message: '"-1d" is negative: only an offset from a time can be, like offset: -1d',
    });
  });

  it.each([
    ['3 days', '"3 days" is not a duration: write 3d'],
    ['1 day and 12 hours', '"1 day and 12 hours" is not a duration: write 1d12h'],
    ['2 weeks, 3 days', '"2 weeks, 3 days" is not a duration: write 2w3d'],
    ['1.5 hours', '"1.5 hours" is not a duration: write 90m'],
    ['3D', '"3D" is not a duration: write 3d'],
    ['1d1d', '"1d1d" is not a duration: write 2d'],
    ['1 month', '"1 month" is not a duration: write 30d'],
    ['P1M', '"P1M" is not a fixed length: months and years vary, so write days, like 30d'],
    ['soon', '"soon" is not a duration: write a number and a unit, like 30m, 2h, 3d or 1w'],
    ['90', '"90" is not a duration: write a number and a unit, like 30m, 2h, 3d or 1w'],
  ])('%s: %s', (text, message) => {
    expect(parseDuration(text, { allowNegative: false })).toEqual({ ok: false, message });
  });
});
