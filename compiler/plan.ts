// The compiled form of a playbook: what the compiler produces, what a run interprets, what `tend preview`
// simulates. A Plan is self-contained: a run needs nothing from disk. Every duration is in milliseconds.

/** A MongoDB-style query object over the run context (or, for an audience, over one collection).
 * Only the allowlisted operators survive compilation; `$before` and `$within` hold milliseconds. */
export type Condition = { readonly [pathOrOperator: string]: unknown };

export const CATEGORIES = ['transactional', 'events', 'community', 'surveys'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Days of the week as managers write them, Monday first (luxon's weekday 1 is Monday). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface CommunitySettings {
  name: string;
  /** IANA zone used for members who have none. */
  timezone: string;
  from: string;
  replyTo: string | null;
  managers: string[];
  postalAddress: string;
}

export interface QuietHours {
  /** "21:00": local wall-clock time at which sends start to wait. */
  start: string;
  /** "08:00": local wall-clock time at which held sends go out. */
  end: string;
}

export interface DeliverySettings {
  quietHours: QuietHours | null;
  frequencyCap: { max: number; perMs: number } | null;
  /**
   * `track_clicks: false`: links are left as written. Absent when clicks are tracked (the default), so that a
   * plan compiled before click tracking existed keeps its version.
   */
  trackClicks?: false;
}

export type Trigger =
  { kind: 'event'; event: string; key: string | null } | { kind: 'schedule'; cron: string; timezone: string };

/** A playbook's goal: the event that means success for a run's member (the language page, 1.1). */
export interface Goal {
  name: string;
  event: string;
  /** Over `received` and `member`, like `if`; null: the event alone is enough. */
  condition: Condition | null;
  /** A run converts when the event arrives at most this long after the run started. */
  withinMs: number;
  /** Reaching the goal ends a run in flight, with the reason `goal`. */
  exit: boolean;
}

export interface Audience {
  /** `members`: the members collection; `rsvps`: the RSVPs of the trigger's eventId. */
  source: 'members' | 'rsvps';
  where: Condition;
}

export type Reentry = { kind: 'once' } | { kind: 'always' } | { kind: 'after'; ms: number };

export type Recipient = { kind: 'member' } | { kind: 'manager' } | { kind: 'address'; address: string };

interface StepBase {
  /** The author's id, or a stable id derived from the step's position (e.g. `steps.2`, `week-before.do.0`). */
  id: string;
  /** Whether the author wrote the id (reports show authored ids; the validator suggests adding them). */
  authoredId: boolean;
}

export interface SendEmailStep extends StepBase {
  kind: 'send_email';
  template: string;
  to: Recipient;
  category: Category;
  /** false: this send may go out during quiet hours. */
  quietHours: boolean;
}

export interface WaitStep extends StepBase {
  kind: 'wait';
  ms: number;
}

export interface WaitUntilStep extends StepBase {
  kind: 'wait_until';
  /** Context path of a date, e.g. `event.startsAt`; re-read when the record changes. */
  time: string;
  offsetMs: number;
}

/** `wait_until: { local_time: "10:00", days: [sat, sun] }`: the next such wall-clock time for the member. */
export interface WaitLocalTimeStep extends StepBase {
  kind: 'wait_local_time';
  /** "10:00" in the member's zone, else the community's. */
  localTime: string;
  /** The days it may fall on; all seven when the author named none. */
  days: Weekday[];
}

export interface AtStep extends StepBase {
  kind: 'at';
  time: string;
  offsetMs: number;
  ifPast: 'skip' | 'run';
  do: Step[];
}

export interface WaitForStep extends StepBase {
  kind: 'wait_for';
  events: string[];
  /** null: wait without a deadline (only an event or an exit ends the wait). */
  timeoutMs: number | null;
  onEvent: Step[];
  onTimeout: Step[];
}

export interface IfStep extends StepBase {
  kind: 'if';
  condition: Condition;
  then: Step[];
  else: Step[];
}

export interface UpdateMemberStep extends StepBase {
  kind: 'update_member';
  set: Record<string, unknown>;
  addTags: string[];
  removeTags: string[];
}

export interface IntroduceStep extends StepBase {
  kind: 'introduce';
  match: { same: string[]; within: string | null };
  template: string;
}

export interface ExitStep extends StepBase {
  kind: 'exit';
  reason: string;
}

export type Step =
  | SendEmailStep
  | WaitStep
  | WaitUntilStep
  | WaitLocalTimeStep
  | AtStep
  | WaitForStep
  | IfStep
  | UpdateMemberStep
  | IntroduceStep
  | ExitStep;

export type StepKind = Step['kind'];

/** One email template with everything needed to render it, pinned into the plan. */
export interface EmailTemplate {
  name: string;
  /** Handlebars source of the subject line (front matter `subject`). */
  subject: string;
  /** Handlebars source of the preheader (front matter `preheader`), shown by mail clients after the subject. */
  preheader: string | null;
  /** Handlebars source of the HTML body. */
  html: string;
  /** Layout name from templates/layouts, or null for none. */
  layout: string | null;
  /** Front matter `track_clicks: false`: this email's links are left as written (absent: tracked). */
  trackClicks?: false;
}

export interface PlanTemplates {
  emails: Record<string, EmailTemplate>;
  layouts: Record<string, string>;
  partials: Record<string, string>;
}

/** Which records a run must load, so that a run that never names `event` never reads it. */
export interface ContextNeeds {
  event: boolean;
  rsvp: boolean;
  upcomingEvents: boolean;
  /** The weekly digest's figures (`report`): only community playbooks read them; absent in older plans. */
  report?: boolean;
  /**
   * Whether a condition or template can read `member.activity.emails7d` (or `peer.activity.emails7d`), which
   * costs a count of the deliveries on every load: false only when the compiler found that nothing can.
   * Absent in plans compiled before it was known, which are counted for. Left out of the version (see
   * buildPlan), so no plan got a new version when it was added.
   */
  emails7d?: boolean;
}

export interface Plan {
  /** The file name without .yaml. */
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  /** Hash of the plan's content and the templates it uses (hex). */
  version: string;
  trigger: Trigger;
  audience: Audience | null;
  reentry: Reentry;
  /** Absent in plans stored by releases before goals; null when the playbook has none. */
  goal?: Goal | null;
  exit: { events: string[]; conditions: Condition[] };
  /** Event type -> steps run when that event reaches the run. */
  on: Record<string, Step[]>;
  steps: Step[];
  /** community.yaml delivery merged with the playbook's overrides. */
  delivery: DeliverySettings;
  community: CommunitySettings;
  templates: PlanTemplates;
  needs: ContextNeeds;
}
