// Time zone names: the answer for each name is kept, and stays right past the names it keeps.

import { describe, expect, it } from 'vitest';
import { isTimeZone } from '../../compiler/isTimeZone.js';

describe('isTimeZone', () => {
  it('knows IANA names and UTC, and nothing else', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Fantasia/Castle')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(null)).toBe(false);
    expect(isTimeZone(undefined)).toBe(false);
  });

  it('answers the same the second time, and after more names than it keeps', () => {
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Nowhere/Else')).toBe(false);
    for (let i = 0; i < 1_500; i += 1) expect(isTimeZone(`Made/Up${i}`)).toBe(false);
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Nowhere/Else')).toBe(false);
  });
});
