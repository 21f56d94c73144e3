// Goal conversions, matched when an event is ingested: the member's runs of every playbook whose goal is
// that event convert when it arrives within the goal's window of their start, even after they have ended.
// A conversion is a journal entry with a fixed id per run, so a run converts at most once however often the
// event (or another goal event) is ingested. Ingestion calls `recordConversions` once per applied event.

import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan } from '../../compiler/plan.js';
import type { MemberRecord } from '../../compiler/records.js';
import { journalEntryId, type JournalDoc, type Models, type RunDoc } from '../../db/index.js';
import { reachesGoal } from '../../contract/goal.js';
import { insertIgnoringDuplicates } from './store.js';

type GoalModels = Pick<Models, 'runs' | 'journal'>;

export interface ConversionInput {
  event: RoutedEvent;
  /** The event's member, as the event left it. */
  member: MemberRecord | null;
  /** The plans in service: a playbook is looked at when its goal is this event's type. */
  plans: readonly Plan[];
  /** A run is judged by the goal of the version it runs. */
  planOf(playbook: string, version: string): Promise<Plan>;
  now: number;
}

type RunRow = Pick<RunDoc, 'workflowId' | 'sequence' | 'playbook' | 'version' | 'memberId' | 'startedAt'>;

/** Records the conversions the event makes; answers the workflow ids of the runs it converted. */
export async function recordConversions(models: GoalModels, input: ConversionInput): Promise<string[]> {
  const { event } = input;
  if (event.memberId === null) return [];
  const playbooks = input.plans.filter((plan) => plan.goal?.event === event.type).map((plan) => plan.id);
  if (playbooks.length === 0) return [];
  const runs = await models.runs
    .find({ memberId: String(event.memberId), playbook: { $in: playbooks } })
    .select({ workflowId: 1, sequence: 1, playbook: 1, version: 1, memberId: 1, startedAt: 1 })
    .lean<RunRow[]>()
    .exec();
  const converted: string[] = [];
  for (const run of runs) {
    const { goal } = await input.planOf(run.playbook, run.version);
    if (!goal) continue;
    const startedAt = await runStart(models, run);
    if (!reachesGoal(goal, event, input.member, startedAt, input.now)) continue;
    await insertIgnoringDuplicates(models, [await conversion(models, run, startedAt, event, input.now)]);
    converted.push(run.workflowId);
  }
  return converted;
}

/** The run's own start (its journal's first note), else its record's: the window is measured from it. */
async function runStart(models: GoalModels, run: RunRow): Promise<number> {
  const first = await models.journal
    .findById(journalEntryId(run.workflowId, run.sequence, 0))
    .select({ runStartedAt: 1 })
    .lean<Pick<JournalDoc, 'runStartedAt'>>()
    .exec();
  return (first?.runStartedAt ?? run.startedAt).getTime();
}

/** The conversion entry, naming the last email the run sent before the event. */
async function conversion(
  models: GoalModels,
  run: RunRow,
  startedAt: number,
  event: RoutedEvent,
  now: number,
): Promise<JournalDoc> {
  const at = new Date(Date.parse(event.occurredAt) || now);
  const [lastSent] = await models.journal
    .find({ workflowId: run.workflowId, sequence: run.sequence, kind: 'sent', at: { $lte: at } })
    .sort({ seq: -1 })
    .limit(1)
    .select({ stepId: 1, template: 1 })
    .lean<Pick<JournalDoc, 'stepId' | 'template'>[]>()
    .exec();
  return {
    _id: journalEntryId(run.workflowId, run.sequence, 'goal'),
    workflowId: run.workflowId,
    sequence: run.sequence,
    playbook: run.playbook,
    version: run.version,
    memberId: run.memberId,
    runStartedAt: new Date(startedAt),
    seq: -1,
    stepId: lastSent?.stepId ?? 'run',
    kind: 'converted',
    at,
    branch: null,
    until: null,
    reason: event.type,
    template: lastSent?.template ?? null,
    occurrence: null,
  };
}
