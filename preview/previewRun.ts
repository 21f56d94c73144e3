// One preview: a member's run of a playbook, simulated from a start time to its end, with the records given
// (or plausible synthetic ones), the scripted events, and the same interpreter core as a real run.

import type { RoutedEvent } from '../compiler/events.js';
import { matches } from '../compiler/conditions/evaluate.js';
import type { Audience, Plan } from '../compiler/plan.js';
import type { EventRecord, MemberRecord, RsvpRecord } from '../compiler/records.js';
import { knownEventProblem } from '../domain/events/knownEvents.js';
import { createLinkSigner } from '../domain/links/signedLinks.js';
import { readerZone } from '../domain/delivery/policy.js';
import { runWorkflowId, triggerKeyValue } from '../domain/runs/runIds.js';
import type { RunRef } from '../contract/activityPayloads.js';
import { runPlan } from '../workflows/core/interpreter.js';
import { PreviewInputError } from './previewInputError.js';
import { applyEvent, previewWorld, type PreviewWorld } from './previewWorld.js';
import type { ScriptedEvent } from './scriptedEvents.js';
import {
  SimulationRuntime,
  SimulationStopped,
  type PreviewEmail,
  type TimelineEntry,
} from './simulationRuntime.js';
import { InventedRecords } from './inventedRecords.js';
import { syntheticEvent, syntheticRsvp } from './syntheticRecords.js';

/** Links in previewed emails are signed with this and point at a local server: they act on nothing real. */
const PREVIEW_SECRET = 'tend-preview-links-act-on-nothing';
const PREVIEW_PUBLIC_URL = 'http://localhost:3000';
/** A run still asleep this long after the start is shown up to here (no shipped playbook lasts this long). */
const HORIZON_MS = 400 * 24 * 3600_000;

export interface PreviewRequest {
  plan: Plan;
  /** ms epoch */
  start: number;
  member: MemberRecord;
  /** null: a synthetic event when the playbook needs one. */
  event: EventRecord | null;
  rsvp: RsvpRecord | null;
  upcomingEvents: EventRecord[] | null;
  /** null: an introduction meets a synthetic peer. */
  peers: MemberRecord[] | null;
  events: ScriptedEvent[];
}

export interface PreviewEnd {
  kind: 'completed' | 'exited' | 'stopped';
  /** ms epoch */
  at: number;
  reason: string | null;
}

export interface PreviewResult {
  timeline: TimelineEntry[];
  emails: PreviewEmail[];
  end: PreviewEnd;
  /** The zone the timeline is shown in, and whose it is. */
  zone: string;
  zoneOwner: 'member' | 'community';
  /** Which records the preview made up, for the header. */
  synthetic: string[];
  /** false: the playbook's audience would not select this member at the start (previewed all the same). */
  inAudience: boolean;
}

export async function previewRun(request: PreviewRequest): Promise<PreviewResult> {
  const { plan, start, member } = request;
  const usesEvent =
    plan.needs.event || plan.needs.rsvp || (plan.trigger.kind === 'event' && plan.trigger.key === 'eventId');
  const invented = new InventedRecords(start);
  const made = () =>
    syntheticEvent(
      start,
      plan.community.timezone,
      plan.trigger.kind === 'event' && plan.trigger.event === 'event.ended',
    );
  const event = request.event ?? (usesEvent ? invented.event(made()) : null);
  const rsvp =
    request.rsvp ??
    (event !== null && plan.needs.rsvp ? invented.rsvp(syntheticRsvp(event, member._id, start)) : null);
  const upcomingEvents =
    request.upcomingEvents ?? (plan.needs.upcomingEvents ? invented.upcoming(event ?? made()) : []);
  // Scripted RSVPs and surveys are about an event: a playbook without one gets one made up for them.
  const eventForScripted =
    event ?? (request.events.some(needsEvent) ? invented.eventForScripted(made()) : null);
  const world = previewWorld({ member, event, rsvp, upcomingEvents, peers: request.peers ?? [] });

  // An audience selects members before their runs start, on the records as they are then.
  const inAudience = plan.audience === null || audienceSelects(plan.audience, world, start);
  const trigger = await applyEvent(world, triggerEvent(plan, member._id, event, start));
  checkScriptedEvents(request.events, member._id, eventForScripted?._id ?? null);
  const key = triggerKeyValue(plan.trigger, trigger);
  const run: RunRef = {
    workflowId: runWorkflowId(plan.id, member._id, key),
    playbook: plan.id,
    version: plan.version,
    memberId: member._id,
    key,
    startedAt: start,
  };
  const rt = new SimulationRuntime({
    plan,
    run,
    trigger,
    world,
    events: request.events,
    scriptedEventId: eventForScripted?._id ?? null,
    syntheticPeers: request.peers === null,
    signer: createLinkSigner({ secret: PREVIEW_SECRET, publicUrl: PREVIEW_PUBLIC_URL }),
    horizon: start + HORIZON_MS,
  });

  let end: PreviewEnd;
  try {
    const result = await runPlan({ plan, memberId: member._id, key, trigger }, rt, {
      shouldContinueAsNew: () => false,
    });
    end = {
      kind: result.kind === 'exited' ? 'exited' : 'completed',
      at: rt.now(),
      reason: result.kind === 'exited' ? result.reason : null,
    };
  } catch (error) {
    if (!(error instanceof SimulationStopped)) throw error;
    end = { kind: 'stopped', at: error.at, reason: error.message };
  }
  const zone = readerZone({ timezone: member.timezone ?? null, communityTimezone: plan.community.timezone });
  const zoneOwner = zone === member.timezone ? 'member' : 'community';
  const timeline = [...invented.notes(), ...rt.timeline];
  const synthetic = invented.names();
  return { timeline, emails: rt.emails, end, zone, zoneOwner, synthetic, inAudience };
}

/** Whether the audience query would select the member (members) or their RSVP (rsvps), as records stand. */
function audienceSelects(audience: Audience, world: PreviewWorld, now: number): boolean {
  const record = audience.source === 'members' ? world.member : world.rsvp;
  return record !== null && matches(audience.where, record, now);
}

/** The event that starts the run: the playbook's trigger event, or for a schedule, the schedule firing. */
function triggerEvent(plan: Plan, memberId: string, event: EventRecord | null, start: number): RoutedEvent {
  return {
    id: 'preview-trigger',
    type: plan.trigger.kind === 'event' ? plan.trigger.event : 'schedule.fired',
    memberId,
    eventId: event?._id ?? null,
    data: {},
    occurredAt: new Date(start).toISOString(),
  };
}

/** Whether a scripted event is about a community event (an RSVP, a survey response, an event change). */
function needsEvent(scripted: ScriptedEvent): boolean {
  return (
    knownEventProblem({ type: scripted.type, memberId: 'someone', data: scripted.data })?.field === 'eventId'
  );
}

/** Scripted events must be ones the API would accept: a known type carries what it needs. */
function checkScriptedEvents(
  events: readonly ScriptedEvent[],
  memberId: string,
  eventId: string | null,
): void {
  for (const scripted of events) {
    const problem = knownEventProblem({
      type: scripted.type,
      memberId,
      ...(eventId === null ? {} : { eventId }),
      data: scripted.data,
    });
    if (problem !== null) {
      throw new PreviewInputError(`--events: ${scripted.type}: ${problem.field} ${problem.message}`);
    }
  }
}
