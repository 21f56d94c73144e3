// The interpreter core: walks a Plan for one member, one step at a time, against a Runtime that gives it
// time, events and side effects. It is pure and deterministic (time only from rt.now(), events only from
// rt.next(), no I/O of its own), so the Temporal workflow can replay it and `tend preview` can simulate it
// with the very same code. docs/run-semantics.md writes down the rules it follows where the playbook language
// page is silent.

import type { RoutedEvent } from '../../compiler/events.js';
import { matches } from '../../compiler/conditions/evaluate.js';
import type {
  AtStep,
  IfStep,
  IntroduceStep,
  Plan,
  SendEmailStep,
  Step,
  UpdateMemberStep,
  WaitForStep,
  WaitStep,
  WaitLocalTimeStep,
  WaitUntilStep,
} from '../../compiler/plan.js';
import { WEEKDAYS } from '../../compiler/plan.js';
import { timezoneFor } from '../../compiler/templates/context.js';
import { nextLocalTime } from './localTime.js';
import { EventInbox, type DeferredEvent } from './eventInbox.js';
import { reachesGoal } from '../../contract/goal.js';
import { EXITED_WHILE_HELD, GOAL_REACHED, type JournalNote } from '../../contract/journal.js';
import { buildRunContext, recordTime, type RunContext } from './runContext.js';
import { RunStateTracker } from './runState.js';
import type {
  DeliveryRequest,
  LoadedRecords,
  ResumeState,
  RunInput,
  RunResult,
  Runtime,
} from '../../contract/runtime.js';

export interface RunOptions {
  /** Asked between top-level steps: true ends this execution with a `continue` result to resume from. */
  shouldContinueAsNew(): boolean;
}

/** The detail of a `branch-else` record when the step has no else: nothing runs and the run goes on. */
export const NO_ELSE = 'no else';

/** How often one send may be held and asked again before it is given up (a policy that never lets it go). */
export const MAX_DELIVERY_ATTEMPTS = 50;

export function runPlan(input: RunInput, rt: Runtime, options: RunOptions): Promise<RunResult> {
  return new PlanRun(input, rt).run(options);
}

/** Ends the run from wherever it is, however deeply nested the wait: an exit wins at once. */
class RunExit extends Error {
  override name = 'RunExit';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** What the steps of a block see of the blocks around them. */
interface Scope {
  /** Inside `on` handlers and `wait_for.on_event`: the event that just arrived. */
  received: RoutedEvent | null;
  /** The record time of the innermost enclosing `at` anchored before it (e.g. `event.startsAt`). */
  anchorPath: string | null;
}

const TOP_LEVEL: Scope = { received: null, anchorPath: null };

/** When a wait should end; null: only an event or an exit ends it. */
type Deadline = { ok: true; at: number | null } | { ok: false; reason: string };

/**
 * How a wait for a time ended: `due` on time; `passed` when the record it follows moved to a time already
 * gone; `gone` when the record no longer names a time.
 */
type TimeEnd = { kind: 'due' } | { kind: 'passed' } | { kind: 'gone'; reason: string };

type Email = Pick<DeliveryRequest, 'template' | 'to' | 'category' | 'quietHours' | 'peerId'>;

class PlanRun {
  private readonly plan: Plan;
  private readonly tracker: RunStateTracker;
  private readonly inbox: EventInbox;
  private readonly occurrences: Map<string, number>;
  private readonly startedAt: number;
  private records: LoadedRecords = {
    member: null,
    event: null,
    rsvp: null,
    upcomingEvents: [],
    report: null,
  };
  /** > 0 while an `on` handler runs: other handlers then wait their turn. */
  private handlerDepth = 0;

  constructor(
    private readonly input: RunInput,
    private readonly rt: Runtime,
  ) {
    const resume = input.resume;
    this.plan = input.plan;
    this.startedAt = resume?.startedAt ?? rt.now();
    this.occurrences = new Map(Object.entries(resume?.occurrences ?? {}));
    // The trigger started the run: if it also reaches the run as an event, it is not acted on twice.
    this.inbox = new EventInbox(resume?.seenEventIds ?? [input.trigger.id]);
    this.tracker = new RunStateTracker(
      { plan: input.plan, memberId: input.memberId, key: input.key },
      resume?.steps ?? [],
      (state) => rt.report(state),
    );
  }

  async run(options: RunOptions): Promise<RunResult> {
    const first = this.input.resume?.nextStepIndex ?? 0;
    try {
      for (const [index, step] of this.plan.steps.entries()) {
        if (index < first) continue;
        await this.beforeStep(step);
        // Only after a step of this execution, so that a run always moves forward between continuations.
        if (index > first && options.shouldContinueAsNew()) {
          return { kind: 'continue', resume: this.resumeAt(index), state: this.tracker.snapshot() };
        }
        this.note(step.id, 'entered');
        await this.execute(step, TOP_LEVEL);
      }
    } catch (error) {
      if (!(error instanceof RunExit)) throw error;
      this.tracker.record(this.here(), 'exited', this.rt.now(), error.reason);
      this.note(this.here(), 'exited', { reason: error.reason });
      this.tracker.finish('exited', error.reason);
      return { kind: 'exited', reason: error.reason, state: this.tracker.snapshot() };
    }
    this.note('run', 'completed');
    this.tracker.finish('completed', null);
    return { kind: 'completed', state: this.tracker.snapshot() };
  }

  private async runSteps(steps: readonly Step[], scope: Scope): Promise<void> {
    for (const step of steps) {
      await this.beforeStep(step);
      this.note(step.id, 'entered');
      await this.execute(step, scope);
    }
  }

  /** Events that came first are acted on first; then exits are checked against fresh records. */
  private async beforeStep(step: Step): Promise<void> {
    await this.drainEvents();
    await this.refresh();
    this.tracker.running(step.id);
  }

  private execute(step: Step, scope: Scope): Promise<void> {
    switch (step.kind) {
      case 'send_email':
        return this.sendEmail(step, scope);
      case 'wait':
        return this.waitFixed(step);
      case 'wait_until':
        return this.waitUntil(step);
      case 'wait_local_time':
        return this.waitLocalTime(step);
      case 'at':
        return this.at(step, scope);
      case 'wait_for':
        return this.waitFor(step, scope);
      case 'if':
        return this.branch(step, scope);
      case 'update_member':
        return this.updateMember(step);
      case 'introduce':
        return this.introduce(step, scope);
      case 'exit':
        throw new RunExit(step.reason);
      default:
        return unknownStep(step);
    }
  }

  // ---- steps -------------------------------------------------------------------------------------------

  private async sendEmail(step: SendEmailStep, scope: Scope): Promise<void> {
    const { template, to, category, quietHours } = step;
    await this.deliver(step.id, { template, to, category, quietHours, peerId: null }, scope);
  }

  private async waitFixed(step: WaitStep): Promise<void> {
    const until = this.rt.now() + step.ms;
    await this.sleep(step.id, () => ({ ok: true, at: until }), false);
    this.tracker.record(step.id, 'waited', this.rt.now(), `until ${iso(until)}`);
  }

  private async waitUntil(step: WaitUntilStep): Promise<void> {
    const deadline = (): Deadline => this.timeOf(step.time, step.offsetMs);
    const end = await this.sleep(step.id, deadline, true);
    const now = this.rt.now();
    if (end.kind === 'gone') this.skipped(step.id, end.reason);
    else this.tracker.record(step.id, 'waited', now, `until ${step.time}${offsetText(step.offsetMs)}`);
  }

  /**
   * Waits for the next local time from when the step began, in the member's zone as the records say now: a
   * member who moves zones while the run waits is woken at their new 10:00 (or at once if it has passed).
   */
  private async waitLocalTime(step: WaitLocalTimeStep): Promise<void> {
    const from = this.rt.now();
    const deadline = (): Deadline => ({
      ok: true,
      at: nextLocalTime(from, this.zone(), step.localTime, step.days),
    });
    await this.sleep(step.id, deadline, true);
    const days = step.days.length === WEEKDAYS.length ? '' : ` on ${step.days.join(', ')}`;
    this.tracker.record(step.id, 'waited', this.rt.now(), `until ${step.localTime}${days} in ${this.zone()}`);
  }

  private async at(step: AtStep, scope: Scope): Promise<void> {
    const deadline = (): Deadline => this.timeOf(step.time, step.offsetMs);
    const first = deadline();
    const end: TimeEnd = !first.ok
      ? { kind: 'gone', reason: first.reason }
      : first.at !== null && first.at < this.rt.now()
        ? { kind: 'passed' }
        : await this.sleep(step.id, deadline, true);
    const now = this.rt.now();
    const when = `${step.time}${offsetText(step.offsetMs)}`;
    if (end.kind === 'gone') {
      this.skipped(step.id, end.reason);
      return;
    }
    if (end.kind === 'passed' && step.ifPast === 'skip') {
      this.skipped(step.id, `${when} had passed`);
      return;
    }
    const detail = end.kind === 'passed' ? `${when} had passed: running now (if_past: run)` : `at ${when}`;
    this.tracker.record(step.id, 'waited', now, detail);
    // A reminder anchored before its record's time (offset < 0) must not arrive after that time.
    await this.runSteps(step.do, step.offsetMs < 0 ? { ...scope, anchorPath: step.time } : scope);
  }

  private async waitFor(step: WaitForStep, scope: Scope): Promise<void> {
    const until = step.timeoutMs === null ? null : this.rt.now() + step.timeoutMs;
    const end = await this.wait(
      step.id,
      () => ({ ok: true, at: until }),
      false,
      (event) => (step.events.includes(event.type) ? { kind: 'event' as const, event } : null),
    );
    const now = this.rt.now();
    if (end.kind !== 'event') {
      this.tracker.record(step.id, 'timeout', now, `no ${step.events.join(' or ')} by ${iso(until ?? now)}`);
      await this.runSteps(step.onTimeout, scope);
      return;
    }
    this.tracker.record(step.id, 'event', now, `${end.event.type} arrived`);
    await this.runSteps(step.onEvent, { ...scope, received: end.event });
  }

  private async branch(step: IfStep, scope: Scope): Promise<void> {
    const yes = matches(step.condition, this.context(scope.received), this.rt.now());
    const detail = yes || step.else.length > 0 ? null : NO_ELSE;
    this.tracker.record(step.id, yes ? 'branch-then' : 'branch-else', this.rt.now(), detail);
    this.note(step.id, 'branch', { branch: yes ? 'then' : 'else' });
    await this.runSteps(yes ? step.then : step.else, scope);
  }

  private async updateMember(step: UpdateMemberStep): Promise<void> {
    const { set, addTags, removeTags } = step;
    await this.rt.updateMember({ stepId: step.id, set, addTags, removeTags });
    const changes = [
      ...Object.keys(set).map((field) => `set ${field}`),
      ...addTags.map((tag) => `add tag ${tag}`),
      ...removeTags.map((tag) => `remove tag ${tag}`),
    ];
    this.tracker.record(step.id, 'updated', this.rt.now(), changes.join(', '));
  }

  private async introduce(step: IntroduceStep, scope: Scope): Promise<void> {
    const outcome = await this.rt.introduce({
      stepId: step.id,
      same: step.match.same,
      within: step.match.within,
    });
    if (outcome.status === 'skipped') {
      this.skipped(step.id, outcome.reason);
      return;
    }
    this.tracker.record(step.id, 'introduced', this.rt.now(), `peer ${outcome.peerId}`);
    const email = {
      template: step.template,
      category: 'community',
      quietHours: true,
      peerId: outcome.peerId,
    } as const;
    // One email to each side, each under its own occurrence of this step.
    await this.deliver(step.id, { ...email, to: { kind: 'member' } }, scope);
    await this.deliver(step.id, { ...email, to: { kind: 'peer' } }, scope);
  }

  // ---- sending -----------------------------------------------------------------------------------------

  /**
   * Asks the runtime to send, and when the delivery policy holds the email, sleeps until it may go and asks
   * again, under the same occurrence so that the send stays idempotent. Events are acted on while held, and
   * an exit ends the run without sending.
   */
  private async deliver(stepId: string, email: Email, scope: Scope): Promise<void> {
    const occurrence = this.nextOccurrence(stepId);
    const what = `${email.template} to ${recipientText(email.to)}`;
    const send = { template: email.template, occurrence };
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      const notAfter = this.notAfter(scope);
      const outcome = await this.rt.deliver({
        stepId,
        occurrence,
        ...email,
        notAfter,
        received: scope.received,
      });
      const now = this.rt.now();
      if (outcome.status === 'sent') {
        this.tracker.record(stepId, 'sent', now, what);
        this.note(stepId, 'sent', send);
        return;
      }
      if (outcome.status !== 'held') {
        this.tracker.record(stepId, outcome.status, now, `${what}: ${outcome.reason}`);
        this.note(stepId, outcome.status, { ...send, reason: outcome.reason });
        return;
      }
      const holdText = `${outcome.reason.replace('_', ' ')} until ${iso(outcome.until)}`;
      if (notAfter !== null && outcome.until > notAfter) {
        this.tracker.record(
          stepId,
          'skipped',
          now,
          `${what}: too late (${holdText}, after ${iso(notAfter)})`,
        );
        this.note(stepId, 'skipped', { ...send, reason: 'too late' });
        return;
      }
      this.tracker.record(stepId, 'held', now, `${what}: ${holdText}`);
      this.note(stepId, 'held', { ...send, reason: outcome.reason, until: outcome.until });
      try {
        await this.sleep(stepId, () => ({ ok: true, at: outcome.until }), false);
        await this.refresh();
      } catch (error) {
        // The run ends (an exit, a cancellation) while the email waits: it is never sent, and says so.
        this.note(stepId, 'skipped', { ...send, reason: EXITED_WHILE_HELD });
        throw error;
      }
    }
    this.tracker.record(
      stepId,
      'skipped',
      this.rt.now(),
      `${what}: still held after ${MAX_DELIVERY_ATTEMPTS} tries`,
    );
    this.note(stepId, 'skipped', { ...send, reason: `still held after ${MAX_DELIVERY_ATTEMPTS} tries` });
  }

  private nextOccurrence(stepId: string): number {
    const occurrence = (this.occurrences.get(stepId) ?? 0) + 1;
    this.occurrences.set(stepId, occurrence);
    return occurrence;
  }

  private notAfter(scope: Scope): number | null {
    if (scope.anchorPath === null) return null;
    const anchor = this.timeOf(scope.anchorPath, 0);
    return anchor.ok ? anchor.at : null;
  }

  // ---- waiting and events ------------------------------------------------------------------------------

  /** Waits for a time only; events that come meanwhile are acted on (handlers, exits), none ends the wait. */
  private sleep(stepId: string, deadline: () => Deadline, followsRecord: boolean): Promise<TimeEnd> {
    return this.wait<never>(stepId, deadline, followsRecord, () => null);
  }

  /**
   * The one wait loop. Ends when the deadline comes, when `take` accepts an event, or (by RunExit) when an
   * exit wins. A deadline that follows a record is computed again from fresh records after every event and
   * when its timer fires, so a moved event moves the wait; a fixed one (`wait: 3d`) keeps its time.
   */
  private async wait<E>(
    stepId: string,
    deadline: () => Deadline,
    followsRecord: boolean,
    take: (event: RoutedEvent) => E | null,
  ): Promise<TimeEnd | E> {
    let target = deadline();
    let noted: number | null | undefined;
    for (;;) {
      if (!target.ok) return { kind: 'gone', reason: target.reason };
      this.tracker.waiting(stepId, target.at);
      if (noted !== target.at) this.note(stepId, 'waiting', { until: target.at });
      noted = target.at;
      const arrival = await this.nextArrival(target.at);
      if (arrival !== null) {
        const taken = arrival.handlerOnly ? null : take(arrival.event);
        await this.dispatch(arrival, taken !== null);
        if (taken !== null) return taken;
        await this.refresh();
      } else if (followsRecord) {
        await this.refresh();
      } else {
        return { kind: 'due' };
      }
      const next = deadline();
      if (next.ok && next.at !== null && next.at <= this.rt.now()) {
        return next.at === target.at ? { kind: 'due' } : { kind: 'passed' };
      }
      target = next;
    }
  }

  /** Acts on every event already queued, without waiting for more. */
  private async drainEvents(): Promise<void> {
    for (;;) {
      const arrival = await this.nextArrival(this.rt.now());
      if (arrival === null) return;
      await this.dispatch(arrival, false);
    }
  }

  /** The next event to act on: one put aside while a handler ran, else a new one (repeats are dropped). */
  private async nextArrival(deadline: number | null): Promise<DeferredEvent | null> {
    const deferred = this.handlerDepth === 0 ? this.inbox.takeDeferred() : null;
    if (deferred !== null) return deferred;
    for (;;) {
      const event = await this.rt.next(deadline);
      if (event === null) return null;
      if (this.inbox.firstSighting(event)) return { event, handlerOnly: false };
      this.tracker.record(
        this.here(),
        'event',
        this.rt.now(),
        `${event.type} (${event.id}) again: already acted on`,
      );
    }
  }

  /**
   * Acts on one event. An exit event runs its handler (if any), then ends the run, even inside another
   * handler. While a handler runs, other events are put aside for afterwards, except one the handler's own
   * `wait_for` takes (`taken`). Otherwise the event's handler runs; `taken` tells the caller's wait_for to
   * proceed with it; an event nothing wants is recorded as ignored.
   */
  private async dispatch(arrival: DeferredEvent, taken: boolean): Promise<void> {
    const { event } = arrival;
    const handler = Object.hasOwn(this.plan.on, event.type) ? this.plan.on[event.type] : undefined;
    const goal = this.plan.goal;
    if (goal?.exit && reachesGoal(goal, event, this.records.member, this.startedAt, this.rt.now())) {
      throw new RunExit(GOAL_REACHED);
    }
    if (this.plan.exit.events.includes(event.type)) {
      if (handler) await this.runHandler(event, handler);
      throw new RunExit(`event ${event.type}`);
    }
    if (this.handlerDepth > 0) {
      if (!taken) this.inbox.defer({ event, handlerOnly: false });
      else if (handler) this.inbox.defer({ event, handlerOnly: true });
      return;
    }
    if (handler) await this.runHandler(event, handler);
    else if (!taken)
      this.tracker.record(this.here(), 'event', this.rt.now(), `${event.type} arrived: ignored`);
  }

  private async runHandler(event: RoutedEvent, steps: readonly Step[]): Promise<void> {
    const interrupted = this.here();
    this.tracker.record(interrupted, 'event', this.rt.now(), `${event.type} arrived: running its on handler`);
    this.handlerDepth++;
    await this.runSteps(steps, { received: event, anchorPath: null });
    this.handlerDepth--;
    // Back where the run was: what happens next (an exit, the rest of a wait) is reported there.
    this.tracker.running(interrupted);
  }

  // ---- records and exits -------------------------------------------------------------------------------

  /** Reads the records afresh and ends the run when an exit condition holds on them. */
  private async refresh(): Promise<void> {
    this.records = await this.rt.loadRecords();
    // A community playbook's run (memberId null) is about no member: nothing to have gone.
    if (this.records.member === null && this.input.memberId !== null) {
      throw new RunExit('the member no longer exists');
    }
    const context = this.context(null);
    const now = this.rt.now();
    for (const condition of this.plan.exit.conditions) {
      if (matches(condition, context, now)) throw new RunExit(`exit condition ${JSON.stringify(condition)}`);
    }
  }

  private context(received: RoutedEvent | null): RunContext {
    const { plan, startedAt, records } = this;
    return buildRunContext({ plan, records, trigger: this.input.trigger, received, startedAt });
  }

  private timeOf(path: string, offsetMs: number): Deadline {
    return recordTime(this.context(null), path, offsetMs);
  }

  private zone(): string {
    // The zone the member reads their email in, as dates in templates are shown: theirs, else the community's.
    return timezoneFor(this.records.member, this.plan.community.timezone);
  }

  /** A step that did not do its work, with why, for the status query and the journal alike. */
  private skipped(stepId: string, reason: string): void {
    this.tracker.record(stepId, 'skipped', this.rt.now(), reason);
    this.note(stepId, 'skipped', { reason });
  }

  private note(stepId: string, kind: JournalNote['kind'], fields: Partial<JournalNote> = {}): void {
    this.rt.journal({ ...fields, stepId, kind, at: this.rt.now() });
  }

  private here(): string {
    return this.tracker.currentStep ?? 'run';
  }

  private resumeAt(nextStepIndex: number): ResumeState {
    return {
      nextStepIndex,
      occurrences: Object.fromEntries(this.occurrences),
      seenEventIds: this.inbox.seenIds(),
      startedAt: this.startedAt,
      steps: this.tracker.snapshot().steps,
    };
  }
}

function unknownStep(step: never): never {
  throw new Error(`unknown step kind in plan: ${JSON.stringify(step)}`);
}

function recipientText(to: DeliveryRequest['to']): string {
  switch (to.kind) {
    case 'member':
      return 'member';
    case 'peer':
      return 'peer';
    case 'manager':
      return 'organisers';
    case 'address':
      return to.address;
  }
}

function offsetText(offsetMs: number): string {
  if (offsetMs === 0) return '';
  return `${offsetMs < 0 ? ' - ' : ' + '}${durationText(Math.abs(offsetMs))}`;
}

/** 90000000 -> "1d1h": the way managers write durations. */
function durationText(ms: number): string {
  const units: Array<[string, number]> = [
    ['w', 7 * 24 * 3600_000],
    ['d', 24 * 3600_000],
    ['h', 3600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  let rest = ms;
  let text = '';
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text === '' ? `${ms}ms` : text;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
