// A member's activity history as the member page lists it: the newest entries of the activity store
// (db/activities.ts: RSVPs, attended marks, survey answers, clicks, member.active), read from the member's
// index (db/memberIndex.ts), each with its time and
// the community event it was about, worded for a manager. The facts kept on the member (`member.activity`,
// folded from the same history) head the list, so the counts and the entries can be read side by side.

import type { ActivityDoc, ActivityKind, MemberActivityDoc } from '../../db/index.js';
import { formatTime, plural, relativeTime } from './format.js';

export const HISTORY_SHOWN = 50;

const WHAT: Record<ActivityKind, string> = {
  active: 'Active',
  rsvp: 'RSVP going',
  attended: 'Attended',
  survey: 'Answered the survey',
  click: 'Clicked a link in an email',
};

export interface HistoryEntry {
  time: string;
  relative: string;
  kind: ActivityKind;
  what: string;
  /** The community event's title (or id); empty when the activity is about none. */
  about: string;
  /** Where Tend learnt it: the event's id, or `backfill:<collection>`. */
  source: string;
}

/** An entry of the history as the member's index holds it (db/memberIndex.ts). */
export type HistoryItem = Pick<ActivityDoc, 'kind' | 'at' | 'eventId' | 'ref'>;

export function historyView(
  history: readonly HistoryItem[],
  titles: ReadonlyMap<string, string>,
  zone: string,
  now: number,
): HistoryEntry[] {
  return history.map((item) => ({
    time: formatTime(item.at, zone),
    relative: relativeTime(item.at, now),
    kind: item.kind,
    what: WHAT[item.kind],
    about: item.eventId === undefined ? '' : (titles.get(item.eventId) ?? item.eventId),
    source: item.ref ?? '',
  }));
}

/** `4 RSVPs, 3 attended, 1 survey answer, 2 introductions`, as `member.activity` has them now. */
export function factsLine(facts: MemberActivityDoc | undefined): string {
  if (facts === undefined) return 'No activity facts yet (they are written as events are applied).';
  return [
    plural(facts.rsvps, 'RSVP'),
    `${facts.attended} attended`,
    plural(facts.surveys, 'survey answer'),
    plural(facts.introductions, 'introduction'),
  ].join(', ');
}
