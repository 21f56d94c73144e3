// dev's summary says whether quiet hours are on now, in the community's time zone, from community.yaml.

import { describe, expect, it } from 'vitest';
import { quietHoursSummary } from '../../scripts/quietHours.mjs';

const COMMUNITY = `name: Club
timezone: Europe/London
delivery:
  quiet_hours: { start: '21:00', end: '08:00' }
`;

describe("dev's quiet hours line", () => {
  it('says they are on at night in the community zone, and until when email waits', () => {
    // 23:30 in London in winter (UTC+0).
    expect(quietHoursSummary(COMMUNITY, new Date('2026-11-30T23:30:00Z'))).toBe(
      'ON NOW (21:00-08:00 Europe/London): member email waits until 08:00; the dev inbox lists it as held',
    );
  });

  it('says they are off in the day, by the community clock (07:30 UTC is 08:30 in London in summer)', () => {
    expect(quietHoursSummary(COMMUNITY, new Date('2026-06-30T07:30:00Z'))).toBe(
      '21:00-08:00 Europe/London (off now)',
    );
    expect(quietHoursSummary(COMMUNITY, new Date('2026-11-30T07:30:00Z'))).toMatch(/^ON NOW/);
  });

  it('has nothing to say without quiet hours', () => {
    expect(quietHoursSummary('name: Club\ntimezone: UTC\n', new Date())).toBeNull();
  });
});
