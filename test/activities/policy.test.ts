// The delivery policy on its own: quiet hours in the reader's zone (midnight-spanning windows, DST days,
// invalid zones), the frequency cap, and both together. Pure: no servers needed.

import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { decideDelivery, type DeliveryPolicyInput } from '../../domain/delivery/policy.js';
import { DAY, delivery } from './fixtures.js';

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

function decide(overrides: Partial<DeliveryPolicyInput>) {
  return decideDelivery({
    now: at('2026-06-01T12:00', 'Europe/London'),
    settings: delivery,
    quietHours: true,
    timezone: 'Europe/London',
    communityTimezone: 'Europe/London',
    capped: true,
    counted: [],
    ...overrides,
  });
}

describe('quiet hours', () => {
  it('holds a 22:00 send in Europe/London until 08:00 local the next morning', () => {
    const decision = decide({ now: at('2026-06-01T22:00', 'Europe/London') });
    expect(decision).toEqual({
      status: 'held',
      reason: 'quiet_hours',
      until: at('2026-06-02T08:00', 'Europe/London'),
    });
    expect(decision.status === 'held' && new Date(decision.until).toISOString()).toBe(
      '2026-06-02T07:00:00.000Z',
    );
  });

  it('holds a send after midnight until 08:00 the same day, and lets 08:00 and 20:59 through', () => {
    const early = decide({ now: at('2026-06-02T07:59', 'Europe/London') });
    expect(early.status === 'held' && local(early.until, 'Europe/London')).toBe('2026-06-02T08:00');
    expect(decide({ now: at('2026-06-02T08:00', 'Europe/London') })).toEqual({ status: 'send' });
    expect(decide({ now: at('2026-06-02T20:59', 'Europe/London') })).toEqual({ status: 'send' });
    expect(decide({ now: at('2026-06-02T21:00', 'Europe/London') }).status).toBe('held');
  });

  it("uses the member's own zone: 22:00 in Los Angeles is 06:00 in London, and waits for 08:00 in LA", () => {
    const decision = decide({
      now: at('2026-06-01T22:00', 'America/Los_Angeles'),
      timezone: 'America/Los_Angeles',
    });
    expect(decision.status === 'held' && local(decision.until, 'America/Los_Angeles')).toBe(
      '2026-06-02T08:00',
    );
    expect(decision.status === 'held' && new Date(decision.until).toISOString()).toBe(
      '2026-06-02T15:00:00.000Z',
    );
  });

  it.each([
    // Spring forward: the night has an hour less, the hold ends at 08:00 on the new offset.
    ['Europe/London', '2026-03-28T22:00', '2026-03-29T07:00:00.000Z', 9],
    ['America/Los_Angeles', '2026-03-07T22:00', '2026-03-08T15:00:00.000Z', 9],
    // Fall back: an hour more.
    ['Europe/London', '2026-10-24T22:00', '2026-10-25T08:00:00.000Z', 11],
    ['America/Los_Angeles', '2026-10-31T22:00', '2026-11-01T16:00:00.000Z', 11],
  ])('on a DST night in %s, %s local is held until %s (%i hours)', (zone, start, endUtc, hours) => {
    const now = at(start, zone);
    const decision = decide({ now, timezone: zone });
    expect(decision.status === 'held' && new Date(decision.until).toISOString()).toBe(endUtc);
    expect(decision.status === 'held' && (decision.until - now) / 3_600_000).toBe(hours);
  });

  it("falls back to the community's zone when the member's zone is missing or not a zone", () => {
    const now = at('2026-06-01T22:30', 'Europe/London');
    const expected = at('2026-06-02T08:00', 'Europe/London');
    expect(decide({ now, timezone: null })).toMatchObject({ until: expected });
    expect(decide({ now, timezone: 'Mars/Olympus_Mons' })).toMatchObject({ until: expected });
  });

  it('handles a window within one day', () => {
    const settings = { ...delivery, quietHours: { start: '12:00', end: '14:00' } };
    const lunch = decide({ settings, now: at('2026-06-01T13:15', 'Europe/London') });
    expect(lunch.status === 'held' && local(lunch.until, 'Europe/London')).toBe('2026-06-01T14:00');
    expect(decide({ settings, now: at('2026-06-01T22:00', 'Europe/London') })).toEqual({ status: 'send' });
  });

  it('lets the send through when the step says quiet_hours: false or the community has none', () => {
    const now = at('2026-06-01T23:00', 'Europe/London');
    expect(decide({ now, quietHours: false })).toEqual({ status: 'send' });
    expect(decide({ now, settings: { ...delivery, quietHours: null } })).toEqual({ status: 'send' });
  });
});

describe('frequency cap', () => {
  const now = at('2026-06-10T12:00', 'Europe/London');
  const daysAgo = (days: number) => now - days * DAY;

  it('holds a fourth send in 7 days until the oldest of the three leaves the window', () => {
    const counted = [daysAgo(1), daysAgo(6), daysAgo(3)];
    expect(decide({ now, counted })).toEqual({
      status: 'held',
      reason: 'frequency_cap',
      until: daysAgo(6) + 7 * DAY,
    });
  });

  it('ignores sends older than the window and lets a third send through', () => {
    expect(decide({ now, counted: [daysAgo(8), daysAgo(9), daysAgo(1), daysAgo(2)] })).toEqual({
      status: 'send',
    });
  });

  it('does not hold what it does not cap (transactional, organisers)', () => {
    expect(decide({ now, capped: false, counted: [daysAgo(1), daysAgo(2), daysAgo(3)] })).toEqual({
      status: 'send',
    });
  });

  it('moves a send the cap frees during quiet hours on to the end of quiet hours', () => {
    // The oldest send leaves the window at 23:00 local: too late in the evening, so 08:00 the next day.
    const oldest = at('2026-06-03T23:00', 'Europe/London');
    const decision = decide({ now, counted: [oldest, daysAgo(1), daysAgo(2)] });
    expect(decision).toEqual({
      status: 'held',
      reason: 'quiet_hours',
      until: at('2026-06-11T08:00', 'Europe/London'),
    });
  });
});
