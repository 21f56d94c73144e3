// Whether a string names a time zone, as luxon (and so the engine) understands them.
//
// luxon's IANAZone.isValidZone builds an Intl.DateTimeFormat at every call, and a send asks several times
// (the reader's zone for quiet hours, for the template, for the render): about a millisecond of CPU per
// email in the emails bench's profile (bench/RESULTS.md). A name's answer never changes within a process,
// so it is kept, for at most MAX_KEPT names: zones come from member records, which the host platform writes.

import { IANAZone } from 'luxon';

const MAX_KEPT = 1_000;
const answers = new Map<string, boolean>();

export function isTimeZone(zone: string | null | undefined): boolean {
  if (!zone) return false;
  const kept = answers.get(zone);
  if (kept !== undefined) return kept;
  const answer = IANAZone.isValidZone(zone);
  if (answers.size >= MAX_KEPT) answers.clear();
  answers.set(zone, answer);
  return answer;
}
