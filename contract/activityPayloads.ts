// The inputs and outputs of Tend's activities. Everything here crosses Temporal's payload converter, so it is
// plain JSON: ids are strings, times are ms epoch numbers or ISO 8601 strings, never Date objects.

import type { RoutedEvent } from '../compiler/events.js';
import type {
  Audience,
  CommunitySettings,
  ContextNeeds,
  DeliverySettings,
  EmailTemplate,
} from '../compiler/plan.js';
import type { DeliveryRequest, IntroduceRequest, UpdateMemberRequest } from './runtime.js';
import type { JournalEntry } from './journal.js';
import type { SentEmail } from './errors.js';

/** Which run an activity acts for. */
export interface RunRef {
  workflowId: string;
  playbook: string;
  version: string;
  /** Null for a community playbook's run (a schedule without an audience), which is about no member. */
  memberId: string | null;
  key: string | null;
  /**
   * When the run started (ms epoch), unchanged across continue-as-new. With `reentry` a member's later run of
   * a playbook reuses the workflow id, so the start time is what tells two runs of one workflow id apart in
   * the delivery ledger and the introductions (see `runIdentity`).
   */
  startedAt: number;
}

export interface LoadRecordsInput {
  /** Null in a community playbook's run: no member is read. */
  memberId: string | null;
  eventId: string | null;
  needs: ContextNeeds;
  /** The community's zone: the `report` weeks and cohorts are its. */
  zone: string;
  /** Journal notes riding along: written before the records are read. */
  journal?: JournalWrite;
}

/** A run's journal notes on their way to the journal (domain/journal/store.ts). */
export interface JournalWrite {
  run: RunRef;
  /** The run record's sequence (its `memo.sequence`): with the workflow id, names the run record. */
  sequence: number;
  entries: JournalEntry[];
}

/** How a run ended, for its run record. */
export type RunClosing = 'completed' | 'exited' | 'failed';

/** `recordJournal`: notes written when a run waits or closes; `closing` also closes its run record. */
export interface RecordJournalInput extends JournalWrite {
  closing?: RunClosing;
}

/** The part of a plan's templates that one email needs: its template, its layout, the partials. */
export interface EmailBundle {
  template: EmailTemplate;
  layouts: Record<string, string>;
  partials: Record<string, string>;
}

export interface DeliverInput {
  run: RunRef;
  request: DeliveryRequest;
  email: EmailBundle;
  community: CommunitySettings;
  delivery: DeliverySettings;
  /** The event that started the run: templates see it as `trigger`, and its eventId names the run's event. */
  trigger: RoutedEvent;
  /** Journal notes riding along: written before the email is considered. */
  journal?: JournalWrite;
  /**
   * The records the plan reads (Plan.needs), so that rendering reads no more than that. Absent from sends a
   * run scheduled before it was added: those read every record, as they did.
   */
  needs?: ContextNeeds;
  /**
   * Set on the attempt after a first one, run in the workflow task, that the relay took the email from but
   * that could not record it: this attempt records it and sends nothing.
   */
  sentEarlier?: SentEmail;
}

export interface UpdateMemberInput {
  memberId: string;
  request: UpdateMemberRequest;
}

export interface IntroduceInput {
  run: RunRef;
  request: IntroduceRequest;
}

export interface PageAudienceInput {
  audience: Audience;
  /** The trigger's eventId: an `rsvps` audience selects among the RSVPs of this event. */
  eventId: string | null;
  /** The last member id of the previous page, or null for the first page. */
  afterId: string | null;
  limit: number;
  /** ms epoch: the moment `$before`/`$within` are measured from. */
  now: number;
}

export interface AudiencePage {
  /** Ascending. */
  memberIds: string[];
  /** Pass as `afterId` for the next page; null when this page was the last. */
  nextAfterId: string | null;
}

/** Names one run among all runs, including the runs of one workflow id that `reentry` allows. */
export function runIdentity(run: Pick<RunRef, 'workflowId' | 'startedAt'>): string {
  return `${run.workflowId}@${run.startedAt}`;
}
