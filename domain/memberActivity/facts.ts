// The facts kept on the member document (`member.activity`), folded from the member's activity history and
// introductions. One fold serves the per-event refresh and the backfill, so both agree.

import type { ActivityDoc, ActivityKind, MemberActivityDoc } from '../../db/index.js';

type FactSource = Pick<ActivityDoc, 'kind' | 'eventId' | 'at'>;

/** Counts distinct events per kind: an RSVP updated to `going` twice is one RSVP. */
export class FactsFold {
  private readonly rsvpEvents = new Set<string>();
  private readonly attendedEvents = new Set<string>();
  private readonly surveyEvents = new Set<string>();
  private lastRsvpAt: Date | undefined;
  private lastAttendedAt: Date | undefined;
  private introductions = 0;

  add(activity: FactSource): void {
    const eventId = activity.eventId;
    if (eventId === undefined) return;
    switch (activity.kind) {
      case 'rsvp':
        this.rsvpEvents.add(eventId);
        this.lastRsvpAt = later(this.lastRsvpAt, activity.at);
        return;
      case 'attended':
        this.attendedEvents.add(eventId);
        this.lastAttendedAt = later(this.lastAttendedAt, activity.at);
        return;
      case 'survey':
        this.surveyEvents.add(eventId);
        return;
      default:
        return;
    }
  }

  addIntroductions(count: number): void {
    this.introductions += count;
  }

  facts(): MemberActivityDoc {
    return {
      rsvps: this.rsvpEvents.size,
      attended: this.attendedEvents.size,
      ...(this.lastRsvpAt === undefined ? {} : { lastRsvpAt: this.lastRsvpAt }),
      ...(this.lastAttendedAt === undefined ? {} : { lastAttendedAt: this.lastAttendedAt }),
      surveys: this.surveyEvents.size,
      introductions: this.introductions,
    };
  }
}

/** The kinds that facts are made of: `active` and `click` only tell when a member was active. */
export const FACT_KINDS = ['rsvp', 'attended', 'survey'] as const satisfies readonly ActivityKind[];

export function isFactKind(kind: ActivityKind): boolean {
  return (FACT_KINDS as readonly ActivityKind[]).includes(kind);
}

function later(current: Date | undefined, candidate: Date): Date {
  return current === undefined || candidate > current ? candidate : current;
}
