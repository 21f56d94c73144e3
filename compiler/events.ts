// Events: what forms, webhooks and the host platform send, and what reaches a run in flight.

export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/** The event types whose meaning the engine knows; any other type is allowed and simply routed. */
export const KNOWN_EVENT_TYPES = [
  'member.applied',
  'member.approved',
  'member.declined',
  'member.active',
  'member.left',
  'rsvp.created',
  'rsvp.updated',
  'rsvp.cancelled',
  'event.updated',
  'event.cancelled',
  'event.ended',
  'survey.responded',
  'email.unsubscribed',
  'email.preferences_saved',
  'email.clicked',
] as const;
export type KnownEventType = (typeof KNOWN_EVENT_TYPES)[number];

/** An event as the API accepts it. */
export interface TendEvent {
  type: string;
  id?: string;
  memberId?: string;
  email?: string;
  eventId?: string;
  data?: Record<string, unknown>;
  /** ISO 8601. */
  occurredAt?: string;
}

/** An event after the API has accepted it: it has an id, a time and (where it names one) a resolved member. */
export interface RoutedEvent {
  id: string;
  type: string;
  memberId: string | null;
  eventId: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
}
