// IANA time zones, as luxon (and so the engine) understands them.

import { isTimeZone } from './isTimeZone.js';
import { closestName } from './didYouMean.js';

/** Why `zone` is not a time zone, or null when it is. */
export function timezoneProblem(zone: string): string | null {
  if (isTimeZone(zone)) return null;
  const close = closestName(zone, [...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return close === null
    ? `"${zone}" is not a time zone: write one like Europe/London`
    : `"${zone}" is not a time zone (did you mean "${close}"?)`;
}
