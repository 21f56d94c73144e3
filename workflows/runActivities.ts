// The activities a run calls, with the timeouts and retries each one needs. Only types cross from
// activities/: the workflow bundle never contains I/O code.

import {
  ApplicationFailure,
  patched,
  proxyActivities,
  proxyLocalActivities,
  type LocalActivityOptions,
  type TemporalFailure,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
/** Raised by an activity whose input itself is wrong: retrying cannot help. */
import { INVALID_ACTIVITY_INPUT, sentEmailOf } from '../contract/errors.js';
import { firstInTask } from './firstInTask.js';
import type { TaskHistory } from './taskHistory.js';

type Activities = ReturnType<typeof createActivities>;

/**
 * Reads and writes of MongoDB: quick, and worth retrying for as long as the database is away, since a run
 * that cannot read its member can do nothing useful and nothing is lost by waiting.
 */
const DATABASE_ATTEMPT_TIMEOUT = '30 seconds';
const DATABASE_WORK: LocalActivityOptions = {
  startToCloseTimeout: DATABASE_ATTEMPT_TIMEOUT,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [INVALID_ACTIVITY_INPUT],
  },
};
const databaseWork = proxyActivities<Activities>(DATABASE_WORK);

/**
 * The reads before each step and the journal's writes before a wait or at the close, run inside the
 * workflow task that needs them (local activities). As activity tasks of their own, each cost the run two
 * round trips through the Temporal server and a workflow task to learn the answer: a run that sends one
 * email took four workflow tasks and three activity tasks where the email alone needs two and one
 * (bench/RESULTS.md, round trips). Both are idempotent (reads, and inserts under deterministic ids), so a
 * worker lost mid-task, whose workflow task another worker then runs again, repeats them harmlessly.
 *
 * Tried once in the task (firstInTask.ts): a failure hands over to an activity task (DATABASE_WORK), with its
 * retries for as long as the database is away. Retried in the task, as runs did before
 * DATABASE_HANDS_OVER_PATCH, an outage kept the task open and its history growing at every task heartbeat.
 */
const databaseWorkInTask = proxyLocalActivities<Activities>({
  startToCloseTimeout: DATABASE_ATTEMPT_TIMEOUT,
  retry: { maximumAttempts: 1 },
});

/**
 * A run that meets a failure of its database work in the task hands it over to an activity task; one from
 * before this retried it in the task, and replays that way. Asked only when a failure is met, so that a run
 * whose work goes well records no marker for it: an old run's history holds no failure it handed over, and a
 * new run's holds the marker just before the activity task.
 */
export const DATABASE_HANDS_OVER_PATCH = 'database-work-hands-over';

/**
 * How a run reads its records and writes its journal: see RECORDS_IN_TASK_PATCH and JOURNAL_RECORDS_SENDS_PATCH
 * (playbookRun.ts).
 */
export interface RunDatabaseWork {
  loadRecords: Activities['loadRecords'];
  recordJournal: Activities['recordJournal'];
}

export function runDatabaseWork(inWorkflowTask: boolean, history: TaskHistory): RunDatabaseWork {
  if (!inWorkflowTask)
    return { loadRecords: databaseWork.loadRecords, recordJournal: databaseWork.recordJournal };
  // An input the activity cannot use fails the same way every time: it reaches the run as before.
  const handOver = {
    when: (failure: TemporalFailure) => !isInvalidInput(failure) && patched(DATABASE_HANDS_OVER_PATCH),
  };
  return {
    loadRecords: firstInTask(
      history.counted(databaseWorkInTask.loadRecords),
      databaseWork.loadRecords,
      handOver,
    ),
    recordJournal: firstInTask(
      history.counted(databaseWorkInTask.recordJournal),
      databaseWork.recordJournal,
      handOver,
    ),
  };
}

function isInvalidInput(failure: TemporalFailure): boolean {
  return (
    failure instanceof ApplicationFailure && (failure.nonRetryable || failure.type === INVALID_ACTIVITY_INPUT)
  );
}

/**
 * A send talks SMTP: connecting, the greeting and the DATA phase each may take tens of seconds on a slow
 * relay, so one attempt gets two minutes. A relay that defers (4xx) or is down is tried again with a growing
 * pause, for up to a day; the delivery ledger makes every attempt after the first a no-op if the message
 * went out. A refusal (5xx) is not an error: the activity returns it as a `failed` outcome.
 */
const smtpWork = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 day',
  retry: {
    initialInterval: '30 seconds',
    backoffCoefficient: 2,
    maximumInterval: '30 minutes',
    nonRetryableErrorTypes: [INVALID_ACTIVITY_INPUT],
  },
});

/**
 * A send's first attempt, inside the workflow task that reaches it (a local activity), once: most sends
 * succeed at once, and as an activity task each cost the Temporal server three more history events and the
 * run a second workflow task (bench/RESULTS.md, "Where the CPU goes"). An attempt that fails hands over to
 * the activity task above, with its retries for a day.
 */
const smtpWorkInTask = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 1 },
});

export const { updateMember, introduce } = databaseWork;

/** How a run sends: see SENDS_IN_TASK_PATCH and JOURNAL_RECORDS_SENDS_PATCH (playbookRun.ts). */
export type RunSend = Activities['deliver'];

export function runSend(firstInWorkflowTask: boolean, history: TaskHistory): RunSend {
  if (!firstInWorkflowTask) return smtpWork.deliver;
  return firstInTask(history.counted(smtpWorkInTask.deliver), smtpWork.deliver, {
    input: (input, failure) => {
      // The relay took it and only the record failed: the next attempt records it, and sends nothing.
      const sent = sentEmailOf(failure);
      return sent === null ? input : { ...input, sentEarlier: sent };
    },
  });
}
