// `wait_until: { local_time, days }` in the interpreter core: the next wall-clock time in the member's zone
// (else the community's), across daylight-saving changes, and following a member who moves zones.
import { describe, expect, it } from 'vitest';
import type { Step } from '../../compiler/plan.js';
import { runPlan } from '../../workflows/core/interpreter.js';
import { nextLocalTime } from '../../workflows/core/localTime.js';
import { plan, send, waitLocalTime } from './plans.js';
import { DAY, HOUR, ScriptedRuntime, member, routedEvent } from './scriptedRuntime.js';

const ms = (iso: string): number => Date.parse(iso);
const iso = (at: number): string => new Date(at).toISOString();

describe('nextLocalTime', () => {
  it('is today when the time is still ahead, else tomorrow', () => {
    const ahead = nextLocalTime(ms('2025-06-02T07:00:00Z'), 'Europe/London', '10:00', ['mon', 'tue']);
    const passed = nextLocalTime(ms('2025-06-02T11:00:00Z'), 'Europe/London', '10:00', ['mon', 'tue']);
    expect([iso(ahead), iso(passed)]).toEqual(['2025-06-02T09:00:00.000Z', '2025-06-03T09:00:00.000Z']);
  });

  it('is now when the clock shows that very minute', () => {
    const from = ms('2025-06-02T09:00:00Z');
    expect(nextLocalTime(from, 'Europe/London', '10:00', ['mon'])).toBe(from);
  });

  it('waits for the next of the days named, a week ahead at most', () => {
    // Saturday 7 June 2025, 11:00 in London: the next weekend 10:00 is Sunday; the next Saturday a week on.
    const from = ms('2025-06-07T10:00:00Z');
    expect(iso(nextLocalTime(from, 'Europe/London', '10:00', ['sat', 'sun']))).toBe(
      '2025-06-08T09:00:00.000Z',
    );
    expect(iso(nextLocalTime(from, 'Europe/London', '10:00', ['sat']))).toBe('2025-06-14T09:00:00.000Z');
  });

  it('keeps the wall-clock time across a daylight-saving change', () => {
    // Clocks go forward in London on Sunday 30 March 2025: 10:00 is 10:00 GMT before, 09:00 UTC after.
    const friday = ms('2025-03-28T12:00:00Z');
    expect(iso(nextLocalTime(friday, 'Europe/London', '10:00', ['sat']))).toBe('2025-03-29T10:00:00.000Z');
    expect(iso(nextLocalTime(friday, 'Europe/London', '10:00', ['mon']))).toBe('2025-03-31T09:00:00.000Z');
    // 01:30 does not exist that Sunday in London: it comes an hour later on the clock, 01:30 UTC.
    expect(iso(nextLocalTime(friday, 'Europe/London', '01:30', ['sun']))).toBe('2025-03-30T01:30:00.000Z');
  });
});

describe('wait_until local_time in a run', () => {
  const steps: Step[] = [waitLocalTime('ten-am', '10:00'), send('hello')];
  const trigger = routedEvent('member.approved', { id: 'trigger-1' });
  const start = (rt: ScriptedRuntime) =>
    runPlan({ plan: plan({ steps }), memberId: 'm1', key: null, trigger }, rt, {
      shouldContinueAsNew: () => false,
    });

  it("sends at 10:00 in the member's zone", async () => {
    const rt = new ScriptedRuntime({
      start: ms('2025-03-03T16:00:00Z'),
      records: { member: member({ timezone: 'America/New_York' }) },
    });
    const result = await start(rt);
    // 11:00 in New York has passed: the next 10:00 there is Tuesday's, 15:00 UTC.
    expect(rt.sent()).toEqual(['hello@2025-03-04T15:00:00.000Z']);
    expect(result.state.steps[0]).toMatchObject({
      stepId: 'ten-am',
      outcome: 'waited',
      detail: 'until 10:00 in America/New_York',
    });
  });

  it("uses the community's zone for a member without one (or with one that is not a zone)", async () => {
    for (const timezone of [undefined, 'Mars/Olympus']) {
      const rt = new ScriptedRuntime({
        start: ms('2025-03-03T06:00:00Z'),
        records: { member: member(timezone === undefined ? {} : { timezone }) },
      });
      await start(rt);
      expect(rt.sent()).toEqual(['hello@2025-03-03T10:00:00.000Z']);
    }
  });

  it('follows a member who moves zones while the run waits', async () => {
    const begin = ms('2025-03-03T06:00:00Z');
    const rt = new ScriptedRuntime({
      start: begin,
      records: { member: member({ timezone: 'Europe/London' }) },
    });
    // An hour in, the member moves to Tokyo, where 10:00 on Tuesday is 01:00 UTC.
    rt.event(begin + HOUR, routedEvent('member.active'), (records) => {
      if (records.member) records.member.timezone = 'Asia/Tokyo';
    });
    await start(rt);
    expect(rt.sent()).toEqual(['hello@2025-03-04T01:00:00.000Z']);
    expect(rt.wakeUps.every((at) => at < begin + 2 * DAY)).toBe(true);
  });
});
