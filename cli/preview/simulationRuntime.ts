// The Runtime behind `tend preview`: the interpreter core that real runs use, over a virtual clock, scripted
// events and records held in memory. Sends go through the real pieces of delivery (addressing, the delivery
// policy with quiet hours and the frequency cap, rendering, signed links, the message the sender builds) but
// nothing leaves the machine: each email is kept for the timeline and for `--out`.

import type { SendMailOptions } from 'nodemailer';
import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan } from '../../compiler/plan.js';
import type { MemberRecord } from '../../compiler/records.js';
import { addressing } from '../../activities/delivery/addressing.js';
import { deliveryKey } from '../../activities/delivery/ledger.js';
import { mailMessage, messageIdFor, renderDelivery } from '../../activities/delivery/message.js';
import { decideDelivery, readerZone } from '../../activities/delivery/policy.js';
import type { LinkSigner } from '../../activities/links/signedLinks.js';
import { isSafeName } from '../../activities/members/safeData.js';
import type { DeliverInput, RunRef } from '../../activities/types.js';
import { emailBundle } from '../../workflows/emailBundle.js';
import { reachesGoal } from '../../workflows/core/goal.js';
import { readPath } from '../../workflows/core/runContext.js';
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
} from '../../workflows/core/runtime.js';
import { applyEvent, recordsOf, type PreviewWorld } from './previewWorld.js';
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
  | { kind: 'held'; at: number; stepId: string; template: string; until: number; reason: string }
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
  world: PreviewWorld;
  events: ScriptedEvent[];
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
  private readonly world: PreviewWorld;
  private readonly introduced = new Set<string>();
  /** When each email that counts toward a member's frequency cap went out, per member. */
  private readonly counted = new Map<string, number[]>();
  private lastSteps: StepRecord[] = [];
  private eventCount = 0;

  constructor(private readonly options: SimulationOptions) {
    this.clock = options.run.startedAt;
    this.script = [...options.events].sort((a, b) => a.at - b.at);
    this.world = options.world;
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
      return Promise.resolve(this.arrive(upcoming));
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

  loadRecords(): Promise<LoadedRecords> {
    return Promise.resolve(recordsOf(this.world));
  }

  deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
    return Promise.resolve(this.simulateDelivery(request));
  }

  updateMember(request: UpdateMemberRequest): Promise<void> {
    const member = this.world.member;
    for (const [path, value] of Object.entries(request.set)) setMemberField(member, path, value);
    const tags = new Set([...(member.tags ?? []), ...request.addTags]);
    for (const tag of request.removeTags) tags.delete(tag);
    if (request.addTags.length > 0 || request.removeTags.length > 0) member.tags = [...tags];
    return Promise.resolve();
  }

  introduce(request: IntroduceRequest): Promise<IntroduceOutcome> {
    if (this.options.syntheticPeers && this.world.peers.length === 0) {
      this.world.peers.push(syntheticPeer(this.world.member));
    }
    const peer = this.world.peers.find((candidate) => this.fits(candidate, request));
    if (!peer) {
      const wanted = [...request.same, ...(request.within === null ? [] : [request.within])].join(', ');
      return Promise.resolve({ status: 'skipped', reason: `no active member shares ${wanted}` });
    }
    this.introduced.add(peer._id);
    const who = `${peer.name ?? peer.firstName ?? peer._id} <${peer.email}>`;
    const source = this.options.syntheticPeers
      ? 'a synthetic peer; pass --peers file.json for real members'
      : 'from --peers';
    this.note(request.stepId, `introduces ${who} (${source})`);
    return Promise.resolve({ status: 'matched', peerId: peer._id });
  }

  /** The preview shows the steps the status records; the journal is for real runs' reports only. */
  journal(): void {
    return;
  }

  report(state: RunState): void {
    for (const record of newSteps(this.lastSteps, state.steps)) this.timeline.push({ kind: 'step', record });
    this.lastSteps = state.steps;
  }

  private arrive(scripted: ScriptedEvent): RoutedEvent {
    this.eventCount += 1;
    const event: RoutedEvent = {
      id: `preview-${this.eventCount}`,
      type: scripted.type,
      memberId: this.world.member._id,
      eventId: this.options.trigger.eventId,
      data: scripted.data,
      occurredAt: new Date(scripted.at).toISOString(),
    };
    const applied = applyEvent(this.world, event);
    this.noteGoal(applied);
    return applied;
  }

  /** Where the scripted events reach the playbook's goal: the run converts there (and ends, with `exit`). */
  private noteGoal(event: RoutedEvent): void {
    const { goal } = this.options.plan;
    if (!goal || this.goalReached) return;
    if (!reachesGoal(goal, event, recordsOf(this.world).member, this.options.run.startedAt, this.clock))
      return;
    this.goalReached = true;
    const ending = goal.exit ? ': the run ends here (exit: true)' : '';
    this.note(null, `goal "${goal.name}" reached by ${event.type}: the run converts${ending}`);
  }

  private simulateDelivery(request: DeliveryRequest): DeliveryOutcome {
    const { plan, run, trigger, signer } = this.options;
    const records = recordsOf(this.world);
    const peer =
      request.peerId === null ? null : (this.world.peers.find((p) => p._id === request.peerId) ?? null);
    const target = addressing({
      request,
      community: plan.community,
      member: records.member,
      memberId: run.memberId,
      peer,
    });
    if (target.status === 'skip') return { status: 'skipped', reason: target.reason };

    const now = this.clock;
    const timezone = readerZone({
      timezone: target.toMember ? (target.reader.timezone ?? null) : null,
      communityTimezone: plan.community.timezone,
    });
    // As the ledger counts: member email (the member's or a peer's copy) other than transactional.
    const counts = target.toMember && request.category !== 'transactional';
    const decision = decideDelivery({
      now,
      settings: plan.delivery,
      quietHours: request.quietHours,
      timezone,
      communityTimezone: plan.community.timezone,
      capped: counts && plan.delivery.frequencyCap !== null,
      counted: this.counted.get(target.memberId) ?? [],
    });
    if (decision.status === 'held') {
      if (request.notAfter !== null && decision.until > request.notAfter) {
        return { status: 'skipped', reason: 'too late' };
      }
      this.timeline.push({
        kind: 'held',
        at: now,
        stepId: request.stepId,
        template: request.template,
        until: decision.until,
        reason: decision.reason,
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
    if (counts) this.counted.set(target.memberId, [...(this.counted.get(target.memberId) ?? []), now]);
    return { status: 'sent', deliveryId: key, messageId };
  }

  /** An active member, not this one nor introduced before, sharing a value of every `same` field and `within`. */
  private fits(candidate: MemberRecord, request: IntroduceRequest): boolean {
    const member = this.world.member;
    if (candidate._id === member._id || candidate.status !== 'active' || this.introduced.has(candidate._id))
      return false;
    const values = (record: MemberRecord, path: string): unknown[] => {
      const value = readPath(record, path);
      return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    };
    const shares = (path: string): boolean => {
      const theirs = values(candidate, path);
      return values(member, path).some((value) => theirs.includes(value));
    };
    return request.same.every(shares) && (request.within === null || shares(request.within));
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

/** `set:` of an update_member step on the in-memory member: a field, or a path under profile/attributes. */
function setMemberField(member: MemberRecord, path: string, value: unknown): void {
  const [field = '', ...rest] = path.split('.');
  // The compiler and the updateMember activity refuse these too; a preview must not write them either.
  if (!path.split('.').every(isSafeName) || IDENTITY_FIELDS.has(field)) {
    throw new Error(`update_member: "${path}" is not a field a playbook can write`);
  }
  if (rest.length === 0) {
    if (value === null) Reflect.deleteProperty(member, field);
    else Object.assign(member, { [field]: value });
    return;
  }
  if (field !== 'profile' && field !== 'attributes') return;
  const root: Record<string, unknown> = { ...(member[field] ?? {}) };
  let node = root;
  for (const [index, name] of rest.entries()) {
    if (index === rest.length - 1) {
      if (value === null) delete node[name];
      else node[name] = value;
    } else {
      const child = node[name];
      const next: Record<string, unknown> = isRecord(child) ? { ...child } : {};
      node[name] = next;
      node = next;
    }
  }
  member[field] = root;
}

const IDENTITY_FIELDS = new Set(['_id', 'email']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
