// The `playbookRun` workflow: one member's run of one playbook. The interpreter core decides what happens;
// this file gives it a Temporal runtime, answers the `status` query, takes events from the `routeEvent`
// signal, continues as new before the history grows large, and turns a cancellation into an exit.

import {
  CancellationScope,
  continueAsNew,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RoutedEvent } from '../compiler/events.js';
import type { RunRef } from '../contract/activityPayloads.js';
import { runPlan } from './core/interpreter.js';
import type { RunInput, RunResult, RunState } from '../contract/runtime.js';
import {
  CANCELLED,
  routeEventSignal,
  statusQuery,
  TEND_KEY,
  TEND_MEMBER,
  TEND_PLAYBOOK,
  type RunOutcome,
} from '../contract/workflows.js';
import { JournalBuffer } from './journalBuffer.js';
import { RoutedEventQueue } from './routedEventQueue.js';
import { runDatabaseWork, runSend } from './runActivities.js';
import { TaskHistory } from './taskHistory.js';
import { flushJournal, temporalRuntime, type RunJournal } from './temporalRuntime.js';

export interface PlaybookRunInput extends RunInput {
  /** Set when the run continues as new: events that had arrived but were not yet taken. */
  carriedEvents?: RoutedEvent[];
  /** Set when the run continues as new: the number of its next journal note. */
  journalSeq?: number;
  /** Set when the run continues as new: its run record's sequence (first read from the start's memo). */
  runSequence?: number;
  /** true: this run keeps no journal (the emails bench measures what the journal costs beside it). */
  withoutJournal?: boolean;
}

/**
 * Runs started before the run journal existed write none: the journal's activities would not be in their
 * histories. Every run started since writes its journal (docs/durable-runs.md).
 */
export const RUN_JOURNAL_PATCH = 'run-journal';

/**
 * Runs started before this read their records and write their journal through activity tasks, and replay
 * that way; every run started since does both inside its workflow tasks (runActivities.ts).
 */
export const RECORDS_IN_TASK_PATCH = 'records-in-workflow-task';

/**
 * Runs started before this send through an activity task only, and replay that way; every run started since
 * makes each send's first attempt inside its workflow task (runActivities.ts, runSend).
 */
export const SENDS_IN_TASK_PATCH = 'sends-in-workflow-task';

/**
 * Runs started since carry this one marker where they carried three (RUN_JOURNAL_PATCH, RECORDS_IN_TASK_PATCH,
 * SENDS_IN_TASK_PATCH), which all hold for them: each marker is one more event the Temporal server writes in
 * every run's history. A run that carries the three replays through them, and asks this one first only to be
 * told no: a patch is false in a replayed task whose history holds no marker for it.
 */
export const JOURNAL_RECORDS_SENDS_PATCH = 'journal-records-sends-in-task';

/**
 * Continue as new after this many history events even if the server has not suggested it yet. A typical run
 * has a few hundred; one that receives many events or runs a long playbook stays quick to replay on every
 * worker that picks it up, far below Temporal's hard limit of 51,200 events.
 */
export const HISTORY_EVENTS_BEFORE_CONTINUING = 2_000;

export async function playbookRun(input: PlaybookRunInput): Promise<RunOutcome> {
  const events = new RoutedEventQueue(input.carriedEvents ?? []);
  let state = initialState(input);
  setHandler(routeEventSignal, (event) => events.push(event));
  setHandler(statusQuery, () => state);
  labelRun(input);

  // The three older patches in the order runs that carry them asked them.
  const sinceOnePatch = patched(JOURNAL_RECORDS_SENDS_PATCH);
  const sendsInTask = sinceOnePatch || patched(SENDS_IN_TASK_PATCH);
  const run = runRef(input, sendsInTask);
  // Runs started before it decided to continue as new on Temporal's count alone, and replay that way.
  const history = new TaskHistory(sendsInTask);
  const journal: RunJournal = {
    buffer: new JournalBuffer(
      input.journalSeq ?? 0,
      (sinceOnePatch || patched(RUN_JOURNAL_PATCH)) && !input.withoutJournal,
    ),
    sequence: input.runSequence ?? memoSequence(),
    database: runDatabaseWork(sinceOnePatch || patched(RECORDS_IN_TASK_PATCH), history),
    send: runSend(sendsInTask, history),
  };
  const runtime = temporalRuntime(input, run, events, (next) => (state = next), journal);
  const result = await runPlan(input, runtime, {
    shouldContinueAsNew: () => shouldContinueAsNew(history),
  }).catch(async (error: unknown): Promise<RunResult> => {
    if (!isCancellation(error)) {
      state = { ...state, status: 'failed', nextWakeAt: null };
      journal.buffer.add({ stepId: state.currentStep ?? 'run', kind: 'run_failed', at: Date.now() });
      await flushJournal(run, journal, 'failed');
      throw error;
    }
    const at = Date.now();
    journal.buffer.add({ stepId: state.currentStep ?? 'run', kind: 'exited', at, reason: CANCELLED });
    state = cancelled(state);
    return { kind: 'exited', reason: CANCELLED, state };
  });
  // A cancelled run still records how it ended: the write must not be cancelled with it.
  await CancellationScope.nonCancellable(() => flushJournal(run, journal, closingOf(result)));
  if (result.kind !== 'continue') return result;
  return continueAsNew<typeof playbookRun>({
    plan: input.plan,
    memberId: input.memberId,
    key: input.key,
    trigger: input.trigger,
    resume: result.resume,
    carriedEvents: events.untaken(),
    journalSeq: journal.buffer.seq,
    runSequence: journal.sequence,
    ...(input.withoutJournal === undefined ? {} : { withoutJournal: input.withoutJournal }),
  });
}

function closingOf(result: RunResult): 'completed' | 'exited' | undefined {
  return result.kind === 'continue' ? undefined : result.kind;
}

/** The run record's sequence, which the start put in the memo (activities/runs/startRun.ts). */
function memoSequence(): number {
  const sequence = workflowInfo().memo?.sequence;
  return typeof sequence === 'number' ? sequence : 0;
}

function shouldContinueAsNew(history: TaskHistory): boolean {
  return workflowInfo().continueAsNewSuggested || history.length() > HISTORY_EVENTS_BEFORE_CONTINUING;
}

/** Lets an operator list runs by playbook, member and key (e.g. `TendMember = "m_123"`). */
function labelRun(input: RunInput): void {
  upsertSearchAttributes([
    { key: TEND_PLAYBOOK, value: input.plan.id },
    ...(input.memberId === null ? [] : [{ key: TEND_MEMBER, value: input.memberId }]),
    ...(input.key === null ? [] : [{ key: TEND_KEY, value: input.key }]),
  ]);
}

/**
 * `fromStartEvent`: the run's start is the time Temporal recorded it. A run whose first workflow task sends
 * (SENDS_IN_TASK_PATCH) must not take that task's time: a task lost with its worker is tried again at
 * another time, and the start names the run's emails in the ledger (runIdentity), so the retry would send
 * them again under new keys. Runs started before keep the first task's time, as their ledger rows do.
 */
function runRef(input: RunInput, fromStartEvent: boolean): RunRef {
  const firstStarted = fromStartEvent ? workflowInfo().startTime.getTime() : Date.now();
  return {
    workflowId: workflowInfo().workflowId,
    playbook: input.plan.id,
    version: input.plan.version,
    memberId: input.memberId,
    key: input.key,
    // A run that continued as new keeps the time it first started.
    startedAt: input.resume?.startedAt ?? firstStarted,
  };
}

/** What the status query answers before the interpreter's first report. */
function initialState(input: RunInput): RunState {
  return {
    playbook: input.plan.id,
    version: input.plan.version,
    memberId: input.memberId,
    key: input.key,
    status: 'running',
    currentStep: null,
    nextWakeAt: null,
    exitReason: null,
    steps: input.resume?.steps ?? [],
  };
}

/** `POST /v1/runs/:id/cancel`: the run ends where it stood, as an exit the status query and the API show. */
function cancelled(state: RunState): RunState {
  const at = Date.now();
  return {
    ...state,
    status: 'exited',
    currentStep: null,
    nextWakeAt: null,
    exitReason: CANCELLED,
    steps: [...state.steps, { stepId: state.currentStep ?? 'run', outcome: 'exited', at, detail: CANCELLED }],
  };
}
