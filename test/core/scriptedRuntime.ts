// A Runtime for driving the interpreter core in tests: a virtual clock, events scripted at given times (each
// may change the records first, as the API writes an event to MongoDB before routing it), record changes
// that reach no run, a scripted delivery policy, and every call recorded. It fakes our own seam only.

import type { RoutedEvent } from '../../compiler/events.js';
import type { MemberRecord } from '../../compiler/records.js';
import type { JournalNote } from '../../contract/journal.js';
import type {
  DeliveryOutcome,
  DeliveryRequest,
  IntroduceOutcome,
  IntroduceRequest,
  LoadedRecords,
  RunState,
  Runtime,
  UpdateMemberRequest,
} from '../../contract/runtime.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const START = Date.parse('2025-03-03T09:00:00.000Z');

interface Scripted {
  at: number;
  /** Absent: a record change no event announces (the run sees it at its next read). */
  event: RoutedEvent | null;
  change: ((records: LoadedRecords) => void) | null;
}

export interface Delivery extends DeliveryRequest {
  at: number;
  outcome: DeliveryOutcome;
}

export type DeliveryPolicy = (request: DeliveryRequest, now: number) => DeliveryOutcome;

let eventCounter = 0;

export function routedEvent(type: string, fields: Partial<RoutedEvent> = {}): RoutedEvent {
  eventCounter += 1;
  return {
    id: `evt-${eventCounter}`,
    type,
    memberId: 'm1',
    eventId: null,
    data: {},
    occurredAt: new Date(START).toISOString(),
    ...fields,
  };
}

export function member(fields: Partial<MemberRecord> = {}): MemberRecord {
  return {
    _id: 'm1',
    email: 'ada@example.org',
    firstName: 'Ada',
    status: 'active',
    interests: ['hills'],
    ...fields,
  };
}

export class ScriptedRuntime implements Runtime {
  clock: number;
  records: LoadedRecords;
  readonly deliveries: Delivery[] = [];
  readonly updates: UpdateMemberRequest[] = [];
  readonly introductions: IntroduceRequest[] = [];
  readonly reports: RunState[] = [];
  /** The run journal's notes, in order. */
  readonly notes: JournalNote[] = [];
  /** Times the run woke up by a timer (not by an event). */
  readonly wakeUps: number[] = [];
  policy: DeliveryPolicy = () => ({ status: 'sent', deliveryId: 'd', messageId: 'm' });
  introduceOutcome: IntroduceOutcome = { status: 'matched', peerId: 'm2' };
  private readonly script: Scripted[] = [];
  private readonly queue: RoutedEvent[] = [];
  private calls = 0;

  constructor(options: { start?: number; records?: Partial<LoadedRecords> } = {}) {
    this.clock = options.start ?? START;
    this.records = {
      member: member(),
      event: null,
      rsvp: null,
      upcomingEvents: [],
      report: null,
      ...options.records,
    };
  }

  /** An event reaching the run at `at`, after `change` (if any) has been applied to the records. */
  event(at: number, event: RoutedEvent, change: ((records: LoadedRecords) => void) | null = null): this {
    return this.add({ at, event, change });
  }

  /** A record change at `at` that no event announces. */
  change(at: number, change: (records: LoadedRecords) => void): this {
    return this.add({ at, event: null, change });
  }

  now(): number {
    return this.clock;
  }

  next(deadline: number | null): Promise<RoutedEvent | null> {
    this.calls += 1;
    if (this.calls > 10_000) throw new Error('the run called next() 10,000 times: a loop that never waits');
    this.release(this.clock);
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (deadline !== null && deadline <= this.clock) return Promise.resolve(null);
    const upcoming = this.script.find((item) => item.event !== null);
    if (upcoming && (deadline === null || upcoming.at <= deadline)) {
      this.clock = Math.max(this.clock, upcoming.at);
      this.release(this.clock);
      return Promise.resolve(this.queue.shift() ?? null);
    }
    if (deadline === null) throw new Error('the run waits for an event that the script never sends');
    this.clock = deadline;
    this.release(this.clock);
    this.wakeUps.push(deadline);
    return Promise.resolve(null);
  }

  loadRecords(): Promise<LoadedRecords> {
    return Promise.resolve(structuredClone(this.records));
  }

  deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
    const outcome = this.policy(request, this.clock);
    this.deliveries.push({ ...request, at: this.clock, outcome });
    return Promise.resolve(outcome);
  }

  updateMember(request: UpdateMemberRequest): Promise<void> {
    this.updates.push(request);
    const current = this.records.member;
    if (current) {
      const tags = new Set([...(current.tags ?? []), ...request.addTags]);
      for (const tag of request.removeTags) tags.delete(tag);
      this.records.member = { ...current, ...request.set, tags: [...tags] };
    }
    return Promise.resolve();
  }

  introduce(request: IntroduceRequest): Promise<IntroduceOutcome> {
    this.introductions.push(request);
    return Promise.resolve(this.introduceOutcome);
  }

  report(state: RunState): void {
    this.reports.push(state);
  }

  journal(note: JournalNote): void {
    this.notes.push(note);
  }

  /** Sends that went out: `template@ISO time` (to a recipient other than the member: `template>kind@time`). */
  sent(): string[] {
    return this.deliveries
      .filter((delivery) => delivery.outcome.status === 'sent')
      .map((delivery) => {
        const to = delivery.to.kind === 'member' ? '' : `>${delivery.to.kind}`;
        return `${delivery.template}${to}@${new Date(delivery.at).toISOString()}`;
      });
  }

  private add(item: Scripted): this {
    this.script.push(item);
    this.script.sort((a, b) => a.at - b.at);
    return this;
  }

  private release(until: number): void {
    while (this.script.length > 0 && (this.script[0]?.at ?? Infinity) <= until) {
      const item = this.script.shift();
      if (!item) return;
      item.change?.(this.records);
      if (item.event) this.queue.push(item.event);
    }
  }
}
