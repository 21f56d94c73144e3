// Ingesting accepted events: for each, in order, apply it to MongoDB, start the runs its type triggers and
// route it to the runs in flight that wait for it. Exactly once per event id, however often this is retried
// and however many requests carry the same event:
//
// 1. Prepare and claim. The event as it will be applied (member resolved, `data.changed` computed against the
//    records as they are before it) is worked out, and inserted into the event log under the event's id, in
//    the name of this ingestion, before anything is written. A retry finds the claim and reuses the stored
//    event; a claim made by another ingestion makes the event a duplicate here: that ingestion applies it,
//    this one reports it.
// 2. Apply (idempotent writes), start runs (each run guarded by its run record), route (runs ignore an event
//    id they have seen), recording the runs in the claim as it goes, then mark it routed.
//
// An event about a member who does not exist yet (member.approved by an email whose member.applied is still
// on its way, or never came) is not applied to nobody: while waiting is allowed, it is recorded in the event
// log as `waiting` (in the name of this ingestion, so nobody else takes it) and reported back, and the caller
// (the eventQueue workflow) tries it again later, holding the events behind it. When the wait is over it is
// routed as it is and its outcome says `memberNotFound`, with a warning in the log: never dropped in silence.
//
// The event log is only ever read and written by _id: FerretDB answers anything else by scanning.
//
// Every step may be repeated after a crash with the same effect as doing it once: this is what makes the
// durable eventQueue workflow, which retries this until it succeeds, deliver each accepted event once.

import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Client } from '@temporalio/client';
import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan } from '../../compiler/plan.js';
import { isDuplicateKeyError, type EventLogDoc, type Models } from '../../db/index.js';
import { recordConversions } from '../../domain/journal/goals.js';
import { findMember } from '../../domain/records/loadRecords.js';
import { countsEmails } from '../../domain/records/recordStore.js';
import { createPlanVersions } from '../../domain/plans/planStore.js';
import { routeEvent } from '../runs/routeEvent.js';
import { triggerKeyValue } from '../../domain/runs/runIds.js';
import { startAudienceFanOut } from '../runs/startAudienceFanOut.js';
import { startRun } from '../runs/startRun.js';
import { silentLogger, type ActivityLogger } from '../../contract/logger.js';
import { applyEvent, prepareEvent } from '../../domain/events/applyEvent.js';
import type { CurrentPlans } from '../../domain/plans/planStore.js';
import { createMongoRecordStore, type MongoRecordModels } from '../../domain/records/mongoRecordStore.js';
import { storedOutcome, type StoredOutcome } from '../../domain/events/eventClaim.js';
import { createsMember, needsExistingMember } from '../../domain/events/knownEvents.js';
import type { AcceptedEvent, EventOutcome, QueuedEvent } from '../../contract/events.js';

export interface IngestDeps {
  client: Client;
  logger?: ActivityLogger;
  models: MongoRecordModels & Pick<Models, 'eventLog' | 'runs' | 'plans' | 'journal'>;
  /** The task queue the run and fan-out workflows are started on. */
  taskQueue: string;
  plans: () => Promise<CurrentPlans>;
}

const StoredEvent = Type.Object({
  id: Type.String(),
  type: Type.String(),
  memberId: Type.Union([Type.String(), Type.Null()]),
  eventId: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
  occurredAt: Type.String(),
});

/** ingestOne's answer for an event held until its member exists. */
const WAITING_FOR_MEMBER = 'waiting-for-member';

export interface InOrderOptions {
  /** The id of the event whose wait for its member is over: it is ingested as it is. */
  waitIsOverFor?: string | null;
  afterEach?: () => void;
}

export function createEventIngestion(deps: IngestDeps) {
  const { models } = deps;
  const logger = deps.logger ?? silentLogger;
  const store = createMongoRecordStore(models);
  const planOf = createPlanVersions(models);

  /** Ingests the events in order; `ingestId` names this ingestion (the ingestEvents workflow's id). */
  async function ingest(
    ingestId: string,
    events: AcceptedEvent[],
    afterEach?: () => void,
  ): Promise<EventOutcome[]> {
    const plans = await deps.plans();
    const outcomes: EventOutcome[] = [];
    for (const accepted of events) {
      const outcome = await ingestOne(ingestId, accepted, plans, false);
      if (outcome !== WAITING_FOR_MEMBER) outcomes.push(outcome);
      afterEach?.();
    }
    return outcomes;
  }

  /**
   * Ingests queued events in order, each in the name of the request that accepted it, until one must wait for
   * its member. Then the events behind it that create a member (member.applied) go ahead of it, since the
   * member it waits for may be theirs, and it is tried again; anything else stays behind it, in order.
   * Answers the positions in `queued` of the events done, so that the caller keeps the rest for later.
   */
  async function ingestInOrder(
    queued: QueuedEvent[],
    { waitIsOverFor = null, afterEach }: InOrderOptions = {},
  ): Promise<{ done: number[] }> {
    const plans = await deps.plans();
    const done = new Set<number>();
    const ingestAt = async (index: number): Promise<boolean> => {
      const item = queued[index];
      if (item === undefined) return false;
      const mayWait = item.accepted.event.id !== waitIsOverFor;
      const outcome = await ingestOne(item.acceptanceId, item.accepted, plans, mayWait);
      if (outcome === WAITING_FOR_MEMBER) return false;
      done.add(index);
      afterEach?.();
      return true;
    };
    for (;;) {
      const held = queued.findIndex((_, index) => !done.has(index));
      if (held === -1) break;
      if (await ingestAt(held)) continue;
      const creators = queued.flatMap((item, index) =>
        index > held && !done.has(index) && createsMember(item.accepted.event.type) ? [index] : [],
      );
      if (creators.length === 0) break;
      for (const index of creators) await ingestAt(index);
    }
    return { done: [...done].sort((a, b) => a - b) };
  }

  async function ingestOne(
    ingestId: string,
    accepted: AcceptedEvent,
    plans: CurrentPlans,
    mayWaitForMember: boolean,
  ): Promise<EventOutcome | typeof WAITING_FOR_MEMBER> {
    const claim = await claimEvent(ingestId, accepted, mayWaitForMember);
    if (claim === WAITING_FOR_MEMBER) return claim;
    const stored = storedOutcome(claim);
    const answer = (status: EventOutcome['status'], outcome: StoredOutcome): EventOutcome => ({
      id: claim._id,
      type: claim.type,
      status,
      runsStarted: outcome.runsStarted ?? [],
      runsSignalled: outcome.runsSignalled ?? [],
      ...(outcome.memberNotFound ? { memberNotFound: true } : {}),
    });
    if (claim.ingestId !== ingestId) return answer('duplicate', stored);
    if (claim.status === 'routed') return answer('accepted', stored);

    const event = storedEvent(claim);
    await applyEvent(store, event);
    const started = await startRuns(event, plans.enabled);
    const runsStarted = [...new Set([...(stored.runsStarted ?? []), ...started])];
    await models.eventLog
      .updateOne({ _id: event.id }, { $set: { status: 'applied', 'outcome.runsStarted': runsStarted } })
      .exec();

    await convertGoals(event, plans);
    const runsSignalled = await routeEvent(deps.client, models, plans.all, event);
    const outcome: StoredOutcome = { runsStarted, runsSignalled };
    if (stored.memberNotFound) outcome.memberNotFound = true;
    await models.eventLog.updateOne({ _id: event.id }, { $set: { status: 'routed', outcome } }).exec();
    return answer('accepted', outcome);
  }

  /** Goals of any playbook whose goal is this event: the member's runs convert (domain/journal/goals.ts). */
  async function convertGoals(event: RoutedEvent, plans: CurrentPlans): Promise<void> {
    const converting = plans.all.filter((plan) => plan.goal?.event === event.type);
    if (event.memberId === null || converting.length === 0) return;
    const now = Date.now();
    // The member's emails of the week are counted only when a goal's condition can read them.
    const emails7d = converting.some((plan) => countsEmails(plan.needs));
    const member = await findMember(models, event.memberId, now, { emails7d });
    await recordConversions(models, { event, member, plans: plans.all, planOf, now });
  }

  /**
   * The event log row for the event: this ingestion's claim, or the claim another one made first. Preparing
   * may create the member of a member.applied (by email, idempotently); nothing else is written before the
   * claim, and an event already claimed is not prepared again. An event whose member does not exist yet is
   * claimed as `waiting` (when it may wait) and prepared again when it is tried next.
   */
  async function claimEvent(
    ingestId: string,
    accepted: AcceptedEvent,
    mayWaitForMember: boolean,
  ): Promise<EventLogDoc | typeof WAITING_FOR_MEMBER> {
    const { event, hash, receivedAt } = accepted;
    const earlier = await models.eventLog.findById(event.id).lean<EventLogDoc>().exec();
    const ourWait = earlier?.status === 'waiting' && earlier.ingestId === ingestId;
    if (earlier !== null && !ourWait) return earlier;
    const prepared = await prepareEvent(store, accepted);
    const memberMissing = needsExistingMember(event.type) && !prepared.memberFound;
    const row: EventLogDoc = {
      _id: event.id,
      requestHash: hash,
      type: event.type,
      ingestId,
      status: memberMissing && mayWaitForMember ? 'waiting' : 'received',
      receivedAt: new Date(receivedAt),
    };
    if (row.status === 'received') {
      row.preparedJson = JSON.stringify(prepared.event);
      if (memberMissing) {
        row.outcome = { memberNotFound: true };
        logger.warn(
          { eventId: event.id, type: event.type },
          'event applied without its member: the member never appeared while it waited',
        );
      }
    }
    if (earlier !== null) {
      // Our own wait, tried again: nobody else writes a claim that is ours.
      await models.eventLog.replaceOne({ _id: event.id }, row).exec();
      return row.status === 'waiting' ? WAITING_FOR_MEMBER : row;
    }
    try {
      await models.eventLog.create(row);
      if (row.status !== 'waiting') return row;
      logger.info(
        { eventId: event.id, type: event.type },
        'event waiting for its member: it is applied once the member exists',
      );
      return WAITING_FOR_MEMBER;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // Another attempt or ingestion claimed it a moment ago: its claim, and its prepared event, are the ones.
    const claim = await models.eventLog.findById(event.id).lean<EventLogDoc>().exec();
    if (claim === null) throw new Error(`the event log lost event ${event.id} just after it was claimed`);
    return claim.status === 'waiting' && claim.ingestId === ingestId ? WAITING_FOR_MEMBER : claim;
  }

  /** Starts the runs of every enabled playbook the event triggers; the workflow ids this event started. */
  async function startRuns(event: RoutedEvent, enabled: Plan[]): Promise<string[]> {
    const triggered = enabled.filter(
      (plan) => plan.trigger.kind === 'event' && plan.trigger.event === event.type,
    );
    const started = await Promise.all(triggered.map((plan) => startRunFor(plan, event)));
    return started.flatMap((workflowId) => (workflowId === null ? [] : [workflowId]));
  }

  async function startRunFor(plan: Plan, event: RoutedEvent): Promise<string | null> {
    if (plan.audience !== null) {
      const fanOut = await startAudienceFanOut(deps.client, plan, event, deps.taskQueue);
      return fanOut.status === 'started' ? fanOut.workflowId : null;
    }
    const key = triggerKeyValue(plan.trigger, event);
    const keyed = plan.trigger.kind === 'event' && plan.trigger.key !== null;
    if (event.memberId === null || (keyed && key === null)) return null;
    const run = await startRun(deps.client, models, {
      plan,
      memberId: event.memberId,
      key,
      trigger: event,
      taskQueue: deps.taskQueue,
    });
    // A retry finds the run its first attempt started, in the member's way: still this event's run. (The
    // member's trigger events are ingested one after another, so no later trigger's run is in its way.)
    return run.status === 'started' || run.foundTriggerId === event.id ? run.workflowId : null;
  }

  return { ingest, ingestInOrder };
}

function storedEvent(claim: EventLogDoc): RoutedEvent {
  const prepared: unknown = JSON.parse(claim.preparedJson ?? 'null');
  if (!Value.Check(StoredEvent, prepared)) {
    throw new Error(
      `the event log's claim of ${claim._id} holds no prepared event: it was not written by Tend`,
    );
  }
  return prepared;
}
