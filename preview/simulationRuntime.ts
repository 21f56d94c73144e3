// The Runtime behind `tend preview`: the interpreter core that real runs use, over a virtual clock, scripted
// events and records held in memory. Sends go through the real pieces of delivery (addressing, the delivery
// policy with quiet hours and the frequency cap, rendering, signed links, the message the sender builds) but
// nothing leaves the machine: each email is kept for the timeline and for `--out`.

import type { SendMailOptions } from 'nodemailer';
import type { RoutedEvent } from '../compiler/events.js';
import type { Plan } from '../compiler/plan.js';
import type { MemberRecord } from '../compiler/records.js';
import { addressing } from '../domain/delivery/addressing.js';
import { deliveryKey } from '../domain/delivery/deliveryKey.js';
import { mailMessage, messageIdFor, renderDelivery } from '../domain/delivery/message.js';
import { emailPolicy, isTooLate } from '../domain/delivery/policy.js';
import type { LinkSigner } from '../domain/links/signedLinks.js';
import { memberUpdate } from '../domain/members/memberUpdate.js';
import { choosePeer, matchValues, memberPath, mostSharing } from '../domain/members/peerChoice.js';
import { createMemoryRecordStore, type MemoryRecords } from '../domain/records/memoryRecordStore.js';
import { countsEmails, type RecordStore } from '../domain/records/recordStore.js';
import type { DeliverInput, RunRef } from '../contract/activityPayloads.js';
import { emailBundle } from '../contract/emailBundle.js';
import { reachesGoal } from '../contract/goal.js';
import type {
  DeliveryOutcome,
  DeliveryRequest,
  IntroduceOutcome,
  IntroduceRequest,
  LoadedRecords,
  RunState,
  Runtime,
  StepRecord,
  UpdateMemberRequest,
} from '../contract/runtime.js';
import { activityOf } from '../domain/memberActivity/memoryFacts.js';
import { activityChanges, emailsInLastWeek } from './previewActivity.js';
import { applyEvent } from './previewWorld.js';
import type { ScriptedEvent } from './scriptedEvents.js';
import { syntheticPeer } from './syntheticRecords.js';

export interface PreviewEmail {
  /** ms epoch of the (simulated) send. */
  at: number;
  stepId: string;
  occurrence: number;
  template: string;
  recipientKind: DeliveryRequest['to']['kind'];
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** The message as the sender hands it to nodemailer (headers, Message-ID, List-Unsubscribe). */
  message: SendMailOptions;
}

export type TimelineEntry =
  | { kind: 'step'; record: StepRecord }
  | { kind: 'email'; at: number; email: PreviewEmail }
  | {
      kind: 'held';
      at: number;
      stepId: string;
      template: string;
      until: number;
      reason: string;
      /** The zone quiet hours were kept in: the reader's (a member's), else the community's (organisers). */
      zone: string;
      toMember: boolean;
    }
  | { kind: 'note'; at: number; stepId: string | null; text: string };

/** The run would wait past the preview's horizon, or for an event no one sends: the preview ends there. */
export class SimulationStopped extends Error {
  override name = 'SimulationStopped';
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SimulationOptions {
  plan: Plan;
  run: RunRef;
  trigger: RoutedEvent;
  world: MemoryRecords;
  events: ScriptedEvent[];
  /** The community event scripted events are about: the run's, or one made up for them; null: none. */
  scriptedEventId: string | null;
  /** No peers were given: an introduction meets a synthetic one. */
  syntheticPeers: boolean;
  signer: LinkSigner;
  /** ms epoch: a run that would sleep past this is stopped. */
  horizon: number;
}

export class SimulationRuntime implements Runtime {
  readonly timeline: TimelineEntry[] = [];
  /** A run converts once: the preview notes the first event that reaches the goal. */
  private goalReached = false;
  readonly emails: PreviewEmail[] = [];
  private clock: number;
  private readonly script: ScriptedEvent[];
  private readonly world: MemoryRecords;
  private readonly store: RecordStore;
  /** When each email that counts toward a member's frequency cap went out, per member. */
  private readonly counted = new Map<string, number[]>();
  private lastSteps: StepRecord[] = [];
  private eventCount = 0;

  constructor(private readonly options: SimulationOptions) {
    this.clock = options.run.startedAt;
    this.script = [...options.events].sort((a, b) => a.at - b.at);
    this.world = options.world;
    this.store = createMemoryRecordStore(options.world);
  }

  now(): number {
    return this.clock;
  }

  next(deadline: number | null): Promise<RoutedEvent | null> {
    if (deadline !== null && deadline <= this.clock) return Promise.resolve(null);
    const upcoming = this.script[0];
    if (upcoming && (deadline === null || upcoming.at <= deadline)) {
      this.script.shift();
      this.clock = Math.max(this.clock, upcoming.at);
      return this.arrive(upcoming);
    }
    if (deadline === null) {
      throw new SimulationStopped(this.clock, 'the run waits for an event that no --events entry sends');
    }
    if (deadline > this.options.horizon) {
      throw new SimulationStopped(this.clock, `the run sleeps until ${new Date(deadline).toISOString()}`);
    }
    this.clock = deadline;
    return Promise.resolve(null);
  }

  async loadRecords(): Promise<LoadedRecords> {
    const { plan, run, trigger } = this.options;
    const records = await this.store.loadRecords(
      { memberId: run.memberId, eventId: trigger.eventId, needs: plan.needs, zone: plan.community.timezone },
      this.clock,
    );
    return this.withActivity(records);
  }

  /**
   * `member.activity` as a real run reads it: zeros for a member the files gave none, and `emails7d`, the
   * member's emails of the last 7 days (which the records do not keep), only for a plan that can read it.
   */
  private withActivity(records: LoadedRecords): LoadedRecords {
    const member = records.member;
    if (member === null) return records;
    const { emails7d: _given, ...facts } = activityOf(member);
    const counted = countsEmails(this.options.plan.needs)
      ? { emails7d: emailsInLastWeek(this.counted.get(member._id) ?? [], this.clock) }
      : {};
    return { ...records, member: { ...member, activity: { ...facts, ...counted } } };
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
    // As the deliver activity does: the records the plan reads (Plan.needs), fresh, and the peer the same way.
    const peer =
      request.peerId === null
        ? null
        : await this.store.findMember(request.peerId, this.clock, this.options.plan.needs);
    return this.simulateDelivery(request, await this.loadRecords(), peer);
  }

  async updateMember(request: UpdateMemberRequest): Promise<void> {
    await this.store.updateMember(this.world.member._id, memberUpdate(request));
  }

  async introduce(request: IntroduceRequest): Promise<IntroduceOutcome> {
    if (this.options.syntheticPeers && this.world.peers.length === 0) {
      this.world.peers.push(syntheticPeer(this.world.member));
    }
    const peer = this.choosePeer(request);
    if (!peer) {
      const wanted = [...request.same, ...(request.within === null ? [] : [request.within])].join(', ');
      return { status: 'skipped', reason: `no active member shares ${wanted}` };
    }
    // As the introduce activity does: the introduction is recorded, and the member's facts count it.
    this.world.activity.introduced.push(peer._id);
    await this.store.refreshFacts(this.world.member._id);
    const who = `${peer.name ?? peer.firstName ?? peer._id} <${peer.email}>`;
    const source = this.options.syntheticPeers
      ? 'a synthetic peer; pass --peers file.json for real members'
      : 'from --peers';
    this.note(request.stepId, `introduces ${who} (${source})`);
    return { status: 'matched', peerId: peer._id };
  }

  /** The preview shows the steps the status records; the journal is for real runs' reports only. */
  journal(): void {
    return;
  }

  report(state: RunState): void {
    for (const record of newSteps(this.lastSteps, state.steps)) this.timeline.push({ kind: 'step', record });
    this.lastSteps = state.steps;
  }

  private async arrive(scripted: ScriptedEvent): Promise<RoutedEvent> {
    this.eventCount += 1;
    const event: RoutedEvent = {
      id: `preview-${this.eventCount}`,
      type: scripted.type,
      memberId: this.world.member._id,
      eventId: this.options.scriptedEventId,
      data: scripted.data,
      occurredAt: new Date(scripted.at).toISOString(),
    };
    const before = activityOf(this.world.member);
    const applied = await applyEvent(this.world, event);
    const changes = activityChanges(before, activityOf(this.world.member));
    if (changes !== '') this.note(null, `${event.type} moves member.activity: ${changes}`);
    this.noteGoal(applied);
    return applied;
  }

  /** Where the scripted events reach the playbook's goal: the run converts there (and ends, with `exit`). */
  private noteGoal(event: RoutedEvent): void {
    const { goal } = this.options.plan;
    if (!goal || this.goalReached) return;
    if (!reachesGoal(goal, event, this.world.member, this.options.run.startedAt, this.clock)) return;
    this.goalReached = true;
    const ending = goal.exit ? ': the run ends here (exit: true)' : '';
    this.note(null, `goal "${goal.name}" reached by ${event.type}: the run converts${ending}`);
  }

  private simulateDelivery(
    request: DeliveryRequest,
    records: LoadedRecords,
    peer: MemberRecord | null,
  ): DeliveryOutcome {
    const { plan, run, trigger, signer } = this.options;
    const target = addressing({
      request,
      community: plan.community,
      member: records.member,
      memberId: run.memberId,
      peer,
    });
    if (target.status === 'skip') return { status: 'skipped', reason: target.reason };

    const now = this.clock;
    const policy = emailPolicy({
      request,
      target,
      settings: plan.delivery,
      communityTimezone: plan.community.timezone,
    });
    const { timezone, counts } = policy;
    const counted = target.toMember ? (this.counted.get(target.memberId) ?? []) : [];
    const decision = policy.decide(now, counted);
    if (decision.status === 'held') {
      if (isTooLate(request, decision)) return { status: 'skipped', reason: 'too late' };
      this.timeline.push({
        kind: 'held',
        at: now,
        stepId: request.stepId,
        template: request.template,
        until: decision.until,
        reason: decision.reason,
        zone: timezone,
        toMember: target.toMember,
      });
      return decision;
    }

    const email = emailBundle(plan, request.template);
    if (email === null)
      return { status: 'failed', reason: `template "${request.template}" is not in the plan` };
    const input: DeliverInput = {
      run,
      request,
      email,
      community: plan.community,
      delivery: plan.delivery,
      trigger,
      needs: plan.needs,
    };
    const result = renderDelivery(input, target, records, { signer, timezone, now });
    if (!result.ok) return { status: 'failed', reason: result.error };
    const { rendered, links } = result;
    const key = deliveryKey(run, request);
    const messageId = messageIdFor(key, plan.community.from);
    const preview: PreviewEmail = {
      at: now,
      stepId: request.stepId,
      occurrence: request.occurrence,
      template: request.template,
      recipientKind: request.to.kind,
      to: target.to,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      message: { ...mailMessage(input, target, rendered, links, messageId), date: new Date(now) },
    };
    this.emails.push(preview);
    this.timeline.push({ kind: 'email', at: now, email: preview });
    if (counts && target.toMember) this.counted.set(target.memberId, [...counted, now]);
    return { status: 'sent', deliveryId: key, messageId };
  }

  /** An active member, not this one nor introduced before, sharing a value of every `same` field and `within`. */
  /** The peer a real run would pick from the same records (none of them introduced outside the preview). */
  private choosePeer(request: IntroduceRequest): MemberRecord | null {
    const { member, peers } = this.world;
    const wanted = matchValues(
      member,
      request.same.map(memberPath),
      request.within && memberPath(request.within),
    );
    if (typeof wanted === 'string') return null;
    const best = mostSharing(wanted, peers, new Set([member._id, ...this.world.activity.introduced]));
    const peerId = choosePeer(best, new Map());
    return peers.find((peer) => peer._id === peerId) ?? null;
  }

  private note(stepId: string | null, text: string): void {
    this.timeline.push({ kind: 'note', at: this.clock, stepId, text });
  }
}

/**
 * The step records a report adds to the previous one. The core reports after every record it adds, and keeps
 * only its latest records: once the list is full, a new record pushes the oldest out.
 */
function newSteps(previous: readonly StepRecord[], current: readonly StepRecord[]): StepRecord[] {
  if (current.length > previous.length) return current.slice(previous.length);
  const same = JSON.stringify(previous) === JSON.stringify(current);
  const last = current.at(-1);
  return same || last === undefined ? [] : [last];
}
