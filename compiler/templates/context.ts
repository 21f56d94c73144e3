// What a template sees. Names follow the files a manager writes: records keep their field names
// (`member.firstName`, `event.startsAt`), community settings keep the snake_case keys of community.yaml
// (`community.postal_address`, `community.reply_to`), and `upcoming_events` is spelt as on the language page.

import { isTimeZone } from '../isTimeZone.js';
import type { RoutedEvent } from '../events.js';
import type { CommunitySettings } from '../plan.js';
import type { EventRecord, MemberRecord, RsvpRecord } from '../records.js';
import type { TemplateReport } from './report.js';

/** An event as a template sees it: `trigger.type`, `received.data.changed`, ... */
export interface TemplateEvent {
  type: string;
  data: Record<string, unknown>;
  /** ISO 8601. */
  occurredAt: string;
}

/** community.yaml as a template sees it, under its own key names. */
export interface TemplateCommunity {
  name: string;
  timezone: string;
  from: string;
  reply_to: string | null;
  managers: string[];
  postal_address: string;
}

export interface TemplateRun {
  id: string;
  playbook: string;
  version: string;
  /** ISO 8601. */
  startedAt: string;
}

export interface TemplateContext {
  /**
   * The run's member; in an introduction, the reader (the email goes to both sides, swapped). Null only in a
   * community playbook's run, whose templates the compiler keeps from reading `member`.
   */
  member: MemberRecord | null;
  /** Present when the run has an eventId. */
  event: EventRecord | null;
  rsvp: RsvpRecord | null;
  trigger: TemplateEvent;
  /** Inside `on` handlers and `wait_for.on_event`: the event that just arrived. */
  received: TemplateEvent | null;
  /** Inside an `introduce` email: the other member. */
  peer: MemberRecord | null;
  community: TemplateCommunity;
  run: TemplateRun;
  upcoming_events: EventRecord[];
  /** Only in a community playbook's run (a schedule without an audience): the weekly figures and lists. */
  report: TemplateReport | null;
}

export function communityForTemplates(settings: CommunitySettings): TemplateCommunity {
  return {
    name: settings.name,
    timezone: settings.timezone,
    from: settings.from,
    reply_to: settings.replyTo,
    managers: settings.managers,
    postal_address: settings.postalAddress,
  };
}

export function eventForTemplates(event: RoutedEvent): TemplateEvent {
  return { type: event.type, data: event.data, occurredAt: event.occurredAt };
}

/**
 * The zone dates are shown in: the reader's own zone when the member record has a valid one, else the
 * community's. Emails to managers pass `null` for the member: organisers read in the community's zone.
 */
export function timezoneFor(
  member: Pick<MemberRecord, 'timezone'> | null,
  communityTimezone: string,
): string {
  const own = member?.timezone;
  return own && isTimeZone(own) ? own : communityTimezone;
}
