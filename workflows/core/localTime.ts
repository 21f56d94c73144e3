// `wait_until: { local_time: "10:00", days: [sat, sun] }`: the next such wall-clock time in a zone. Pure, so
// that the Temporal workflow replays it and the preview computes the same instant; luxon does the calendar,
// so a wait across a daylight-saving change still ends at 10:00 on the member's clock.

import { DateTime } from 'luxon';
import { WEEKDAYS, type Weekday } from '../../compiler/plan.js';

/**
 * The first `time` ("HH:MM") on one of `days` at or after `from` (ms epoch), in `zone`. A time that a
 * daylight-saving change skips that day (02:30 when clocks go from 02:00 to 03:00) comes as late as the
 * change pushes it (03:30).
 */
export function nextLocalTime(from: number, zone: string, time: string, days: readonly Weekday[]): number {
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  const today = DateTime.fromMillis(from, { zone });
  // Eight days: today (if the time is still ahead) and a whole week after it, so every day comes once.
  for (let ahead = 0; ahead <= 7; ahead++) {
    const day = today.plus({ days: ahead });
    if (!days.includes(WEEKDAYS[day.weekday - 1] ?? 'mon')) continue;
    const at = day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
    if (at >= from) return at;
  }
  throw new Error(`no day of ${days.join(', ')} in the week after ${today.toISO() ?? String(from)}`);
}
