// The line of dev's summary about quiet hours: when community.yaml sets them, whether they are on now in the
// community's time zone, so that a "Try it" at night is not a mystery (the email waits, listed as held in the
// dev inbox). Imported by dev.mjs after the npm packages are installed: it reads YAML with the `yaml` package.
import { parse } from 'yaml';

/** "21:00" -> 1260, or null for anything else (the compiler reports a bad value; the summary just skips it). */
function minuteOfDay(value) {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(String(value));
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** The minute of the day at `now` in `timeZone`, or null for a zone Intl does not know. */
function localMinute(now, timeZone) {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now);
    const part = (type) => Number(parts.find((item) => item.type === type)?.value);
    return part('hour') * 60 + part('minute');
  } catch {
    return null;
  }
}

/**
 * @param {string} communityYaml the text of community.yaml
 * @param {Date} now
 * @returns {string | null} the summary line's text, or null when there are no quiet hours to speak of
 */
export function quietHoursSummary(communityYaml, now) {
  let doc;
  try {
    doc = parse(communityYaml);
  } catch {
    return null;
  }
  const quiet = doc?.delivery?.quiet_hours;
  const zone = typeof doc?.timezone === 'string' ? doc.timezone : 'UTC';
  const start = minuteOfDay(quiet?.start);
  const end = minuteOfDay(quiet?.end);
  if (start === null || end === null || start === end) return null;
  const minute = localMinute(now, zone);
  if (minute === null) return null;
  const inside = start > end ? minute >= start || minute < end : minute >= start && minute < end;
  const window = `${quiet.start}-${quiet.end} ${zone}`;
  return inside
    ? `ON NOW (${window}): member email waits until ${quiet.end}; the dev inbox lists it as held`
    : `${window} (off now)`;
}
