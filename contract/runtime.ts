// The seam between the interpreter core and the world. The core (interpreter.ts) is pure and deterministic;
// a Runtime gives it time, events and side effects. Two runtimes implement it: the Temporal workflow
// (timers, signals, activities) and the simulation behind `tend preview` (a virtual clock, recorded sends).
// One core, two runtimes: a manager's preview and the real run cannot disagree.

import type { Category, Plan, Recipient } from '../compiler/plan.js';
import type { RoutedEvent } from '../compiler/events.js';
import type { EventRecord, MemberRecord, RsvpRecord } from '../compiler/records.js';
import type { TemplateReport } from '../compiler/templates/report.js';
import type { JournalNote } from './journal.js';

/** What starts a run. */
export interface RunInput {
  plan: Plan;
  /** Null for a community playbook's run (a schedule without an audience): one per firing, about no member. */
  memberId: string | null;
  /** The trigger's key value (e.g. the eventId of an RSVP run), or null. */
  key: string | null;
  /** The event that started the run (for schedules: a synthetic `schedule.fired` event). */
  trigger: RoutedEvent;
  /** Present when the run continues as new: where to pick up. */
  resume?: ResumeState;
}

/** The fresh records a condition or a send sees; re-read before every step. */
export interface LoadedRecords {
  member: MemberRecord | null;
  event: EventRecord | null;
  rsvp: RsvpRecord | null;
  upcomingEvents: EventRecord[];
  /** Only when the plan reads `report` (a community playbook). */
  report: TemplateReport | null;
}

export interface DeliveryRequest {
  /** The step's id and how many times this step has sent in this run: together the idempotency key. */
  stepId: string;
  occurrence: number;
  template: string;
  /** `peer`: the other member of an introduction, who gets the same email with member and peer swapped. */
  to: Recipient | { kind: 'peer' };
  category: Category;
  quietHours: boolean;
  /** A send held past this time (ms epoch) is skipped as `too late` (reminders anchored to an event). */
  notAfter: number | null;
  /** Extra context for the template: the event that just arrived, the peer of an introduction. */
  received: RoutedEvent | null;
  peerId: string | null;
}

export type DeliveryOutcome =
  | { status: 'sent'; deliveryId: string; messageId: string }
  | { status: 'held'; until: number; reason: 'quiet_hours' | 'frequency_cap' }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string };

export interface UpdateMemberRequest {
  stepId: string;
  set: Record<string, unknown>;
  addTags: string[];
  removeTags: string[];
}

export interface IntroduceRequest {
  stepId: string;
  same: string[];
  within: string | null;
}

export type IntroduceOutcome = { status: 'matched'; peerId: string } | { status: 'skipped'; reason: string };

export type StepOutcome =
  | 'sent'
  | 'held'
  | 'skipped'
  | 'failed'
  | 'waited'
  | 'event'
  | 'timeout'
  | 'branch-then'
  | 'branch-else'
  | 'updated'
  | 'introduced'
  | 'exited';

export interface StepRecord {
  stepId: string;
  outcome: StepOutcome;
  /** ms epoch */
  at: number;
  detail: string | null;
}

export type RunStatus = 'running' | 'waiting' | 'completed' | 'exited' | 'failed';

/** What a status query answers: what the outside can see of a run. */
export interface RunState {
  playbook: string;
  version: string;
  memberId: string | null;
  key: string | null;
  status: RunStatus;
  currentStep: string | null;
  /** ms epoch of the next timer, or null. */
  nextWakeAt: number | null;
  exitReason: string | null;
  steps: StepRecord[];
}

/** State carried across continue-as-new: the next top-level step and what makes sends idempotent. */
export interface ResumeState {
  nextStepIndex: number;
  occurrences: Record<string, number>;
  seenEventIds: string[];
  startedAt: number;
  steps: StepRecord[];
}

export interface Runtime {
  /** Current time, ms epoch (workflow time in Temporal, the virtual clock in preview). */
  now(): number;
  /**
   * Wait until `deadline` (ms epoch; null: no deadline) or until an event reaches the run, whichever comes
   * first. Returns the event, or null when the deadline came. Returns at once with a queued event if one is
   * waiting, and at once with null if the deadline has come (`deadline <= now()`): the core calls
   * `next(now())` to take the events already queued without waiting.
   */
  next(deadline: number | null): Promise<RoutedEvent | null>;
  loadRecords(): Promise<LoadedRecords>;
  deliver(request: DeliveryRequest): Promise<DeliveryOutcome>;
  updateMember(request: UpdateMemberRequest): Promise<void>;
  introduce(request: IntroduceRequest): Promise<IntroduceOutcome>;
  /** Called whenever the visible state changes (for queries and the preview timeline). */
  report(state: RunState): void;
  /** What the run did at a step, for the run journal (see core/journal.ts). */
  journal(note: JournalNote): void;
}

export type RunResult =
  | { kind: 'completed'; state: RunState }
  | { kind: 'exited'; reason: string; state: RunState }
  /** The core stopped between top-level steps because the runtime asked it to continue as new. */
  | { kind: 'continue'; resume: ResumeState; state: RunState };
