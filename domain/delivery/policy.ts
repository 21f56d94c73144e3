// The delivery policy: may this email go out now, or must it wait? A pure function of the time, the settings,
// the reader's time zone and the reader's recent deliveries, so that `tend preview` answers exactly as a real
// run does. It never drops an email: it says "send" or "held until T", and the run sleeps until T and asks
// again (by then an exit may have won, or another email may have taken the slot).

import { DateTime } from 'luxon';
import { isTimeZone } from '../../compiler/isTimeZone.js';
import type { Category, DeliverySettings, QuietHours } from '../../compiler/plan.js';
import { timezoneFor } from '../../compiler/templates/context.js';
import type { DeliveryOutcome, DeliveryRequest } from '../../contract/runtime.js';
import type { Addressed } from './addressing.js';

export interface DeliveryPolicyInput {
  /** ms epoch */
  now: number;
  settings: DeliverySettings;
  /** The step's `quiet_hours`: false lets this email go out during quiet hours. */
  quietHours: boolean;
  /** The reader's own IANA zone (member.timezone); null for organisers, who read in the community's zone. */
  timezone: string | null;
  communityTimezone: string;
  /** Whether the frequency cap applies: not to transactional email, nor to email for the organisers. */
  capped: boolean;
  /**
   * When each of the reader's deliveries that count toward the cap (claimed or sent, in any playbook) took
   * its place, ms epoch. Any order; entries older than the cap's window are ignored.
   */
  counted: number[];
}

export type HeldDecision = Extract<DeliveryOutcome, { status: 'held' }>;
export type DeliveryDecision = { status: 'send' } | HeldDecision;

/**
 * What counts toward a reader's frequency cap: email to a member (the member's own or a peer's copy of an
 * introduction) that is not transactional. The one definition: `countsTowardCap` answers it for one email,
 * and the delivery ledger's query for the reader's counted rows (activities/delivery/ledger.ts) is built from
 * the same two constants.
 */
export const COUNTED_RECIPIENT_KINDS = ['member', 'peer'] as const;
export const UNCAPPED_CATEGORY: Category = 'transactional';

export function countsTowardCap(target: Pick<Addressed, 'toMember'>, category: Category): boolean {
  return target.toMember && category !== UNCAPPED_CATEGORY;
}

/** The policy as it applies to one addressed email: its reader's zone, whether the cap counts it, the decision. */
export interface EmailPolicy {
  timezone: string;
  /** Whether this email counts toward the reader's cap, when one is set. */
  counts: boolean;
  /**
   * Whether a cap applies to this email (and so it must look at the counted sends): null when it
   * does not or no cap applies; otherwise whose sends count (the reader) and how far back the window goes.
   */
  capped: { memberId: string; perMs: number } | null;
  /** The decision at `now`, given when the reader's counted sends took their place (ms epoch). */
  decide(now: number, counted: number[]): DeliveryDecision;
}

/** The delivery policy for one email to one reader: what the deliver activity and the preview both ask. */
export function emailPolicy(input: {
  request: Pick<DeliveryRequest, 'category' | 'quietHours'>;
  target: Addressed;
  settings: DeliverySettings;
  communityTimezone: string;
}): EmailPolicy {
  const { request, target, settings, communityTimezone } = input;
  const timezone = readerZone({
    timezone: target.toMember ? (target.reader.timezone ?? null) : null,
    communityTimezone,
  });
  const counts = countsTowardCap(target, request.category);
  const cap = counts ? settings.frequencyCap : null;
  return {
    timezone,
    counts,
    // Only email to a member counts toward a cap: the organisers' has no member to count for.
    capped: cap === null || !target.toMember ? null : { memberId: target.memberId, perMs: cap.perMs },
    decide: (now, counted) =>
      decideDelivery({
        now,
        settings,
        quietHours: request.quietHours,
        timezone,
        communityTimezone,
        capped: cap !== null,
        counted,
      }),
  };
}

/** A held email whose step allows it no later than `notAfter` is skipped as `too late` instead of held. */
export function isTooLate(request: Pick<DeliveryRequest, 'notAfter'>, decision: HeldDecision): boolean {
  return request.notAfter !== null && decision.until > request.notAfter;
}

export function decideDelivery(input: DeliveryPolicyInput): DeliveryDecision {
  const cap = input.capped ? input.settings.frequencyCap : null;
  const quiet = input.quietHours ? input.settings.quietHours : null;
  // The cap first: once its window lets a send through, later times only let more through (the counted
  // sends are fixed), so moving on to the end of quiet hours afterwards cannot bring the cap back.
  const capFree = cap === null ? null : capFreeAt(input.now, cap, input.counted);
  const afterCap = capFree ?? input.now;
  const quietEnd = quiet === null ? null : quietHoursEnd(afterCap, quiet, readerZone(input));
  if (quietEnd !== null) return { status: 'held', until: quietEnd, reason: 'quiet_hours' };
  if (capFree !== null) return { status: 'held', until: capFree, reason: 'frequency_cap' };
  return { status: 'send' };
}

/** The zone a reader lives in: their own when valid, else the community's, else UTC. */
export function readerZone(input: Pick<DeliveryPolicyInput, 'timezone' | 'communityTimezone'>): string {
  const zone = timezoneFor({ timezone: input.timezone ?? undefined }, input.communityTimezone);
  return isTimeZone(zone) ? zone : 'UTC';
}

/**
 * When the cap next has room at or after `at`, or null when it has room at `at`. A send counts while it is
 * less than `perMs` old, so with `max` sends in the window the earliest of the last `max` must leave it.
 */
function capFreeAt(at: number, cap: { max: number; perMs: number }, counted: number[]): number | null {
  const inWindow = counted.filter((time) => time > at - cap.perMs).sort((a, b) => a - b);
  if (inWindow.length < cap.max) return null;
  const leaving = inWindow[inWindow.length - cap.max];
  return leaving === undefined ? null : leaving + cap.perMs;
}

/**
 * The end of the quiet hours that `at` falls in, in `zone`'s wall-clock time, or null when `at` is outside
 * them. A window whose start is later than its end spans midnight (21:00-08:00). On a day when the clocks
 * change, the end is the wall-clock time on that day, whatever the offset (a time skipped by the change
 * moves forward to the first valid instant).
 */
function quietHoursEnd(at: number, quiet: QuietHours, zone: string): number | null {
  const start = minuteOfDay(quiet.start);
  const end = minuteOfDay(quiet.end);
  if (start === end) return null;
  const local = DateTime.fromMillis(at, { zone });
  const minute = local.hour * 60 + local.minute;
  const spansMidnight = start > end;
  const inside = spansMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return null;
  const endDay = spansMidnight && minute >= start ? local.plus({ days: 1 }) : local;
  const endsAt = DateTime.fromObject(
    { year: endDay.year, month: endDay.month, day: endDay.day, hour: Math.floor(end / 60), minute: end % 60 },
    { zone },
  ).toMillis();
  return endsAt > at ? endsAt : null;
}

/** "21:00" -> 1260. The compiler has checked the format; a bad value here is a bug, not a manager's typo. */
function minuteOfDay(time: string): number {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new Error(`quiet hours: "${time}" is not a time of day like 21:00`);
  return Number(match[1]) * 60 + Number(match[2]);
}
