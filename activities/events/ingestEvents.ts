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
// The event log is only ever read and written by _id: FerretDB answers anything else by scanning.
//
// Every step may be repeated after a crash with the same effect as doing it once: this is what makes the
// durable ingestEvents workflow, which retries this until it succeeds, deliver each accepted event once.

import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Client } from '@temporalio/client';
import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan } from '../../compiler/plan.js';
import { isDuplicateKeyError, type EventLogDoc, type Models } from '../../db/index.js';
import { recordConversions } from '../../domain/journal/goals.js';
import { findMember } from '../../domain/records/loadRecords.js';
import { createPlanVersions } from '../../domain/plans/planStore.js';
import { routeEvent } from '../runs/routeEvent.js';
import { triggerKeyValue } from '../../domain/runs/runIds.js';
import { startAudienceFanOut } from '../runs/startAudienceFanOut.js';
import { startRun } from '../runs/startRun.js';
import { applyEvent, prepareEvent } from '../../domain/events/applyEvent.js';
import type { CurrentPlans } from '../../domain/plans/planStore.js';
import { createMongoRecordStore } from '../../domain/records/mongoRecordStore.js';
import type { AcceptedEvent, EventOutcome } from '../../contract/events.js';

export interface IngestDeps {
  client: Client;
  models: Pick<
    Models,
    'members' | 'events' | 'rsvps' | 'surveyResponses' | 'eventLog' | 'runs' | 'plans' | 'journal'
  >;
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

const StoredOutcome = Type.Object({
  runsStarted: Type.Optional(Type.Array(Type.String())),
  runsSignalled: Type.Optional(Type.Array(Type.String())),
});
type StoredOutcome = Static<typeof StoredOutcome>;

export function createEventIngestion(deps: IngestDeps) {
  const { models } = deps;
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
      outcomes.push(await ingestOne(ingestId, accepted, plans));
      afterEach?.();
    }
    return outcomes;
  }

  async function ingestOne(
    ingestId: string,
    accepted: AcceptedEvent,
    plans: CurrentPlans,
  ): Promise<EventOutcome> {
    const claim = await claimEvent(ingestId, accepted);
    const stored = storedOutcome(claim);
    const answer = (status: EventOutcome['status'], outcome: StoredOutcome): EventOutcome => ({
      id: claim._id,
      type: claim.type,
      status,
      runsStarted: outcome.runsStarted ?? [],
      runsSignalled: outcome.runsSignalled ?? [],
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
    const outcome = { runsStarted, runsSignalled };
    await models.eventLog.updateOne({ _id: event.id }, { $set: { status: 'routed', outcome } }).exec();
    return answer('accepted', outcome);
  }

  /** Goals of any playbook whose goal is this event: the member's runs convert (domain/journal/goals.ts). */
  async function convertGoals(event: RoutedEvent, plans: CurrentPlans): Promise<void> {
    if (event.memberId === null || !plans.all.some((plan) => plan.goal?.event === event.type)) return;
    const member = await findMember(models, event.memberId);
    await recordConversions(models, { event, member, plans: plans.all, planOf, now: Date.now() });
  }

  /**
   * The event log row for the event: this ingestion's claim, or the claim another one made first. Preparing
   * may create the member of a member.applied (by email, idempotently); nothing else is written before the
   * claim, and an event already claimed is not prepared again.
   */
  async function claimEvent(ingestId: string, accepted: AcceptedEvent): Promise<EventLogDoc> {
    const { event, hash, receivedAt } = accepted;
    const earlier = await models.eventLog.findById(event.id).lean<EventLogDoc>().exec();
    if (earlier !== null) return earlier;
    const row: EventLogDoc = {
      _id: event.id,
      requestHash: hash,
      type: event.type,
      ingestId,
      status: 'received',
      preparedJson: JSON.stringify(await prepareEvent(store, accepted)),
      receivedAt: new Date(receivedAt),
    };
    try {
      await models.eventLog.create(row);
      return row;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // Another attempt or ingestion claimed it a moment ago: its claim, and its prepared event, are the ones.
    const claim = await models.eventLog.findById(event.id).lean<EventLogDoc>().exec();
    if (claim === null) throw new Error(`the event log lost event ${event.id} just after it was claimed`);
    return claim;
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
    if (run.status === 'started') return run.workflowId;
    // A retry finds the run its first attempt started: still this event's run.
    const ours = await models.runs.exists({ workflowId: run.workflowId, triggerId: event.id }).exec();
    return ours === null ? null : run.workflowId;
  }

  return { ingest };
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

function storedOutcome(claim: EventLogDoc): StoredOutcome {
  return Value.Check(StoredOutcome, claim.outcome) ? claim.outcome : {};
}
