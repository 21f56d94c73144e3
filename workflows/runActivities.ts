// The activities a run calls, with the timeouts and retries each one needs. Only types cross from
// activities/: the workflow bundle never contains I/O code.

import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
/** Raised by an activity whose input itself is wrong: retrying cannot help. */
import { INVALID_ACTIVITY_INPUT } from '../contract/errors.js';

type Activities = ReturnType<typeof createActivities>;

/**
 * Reads and writes of MongoDB: quick, and worth retrying for as long as the database is away, since a run
 * that cannot read its member can do nothing useful and nothing is lost by waiting.
 */
const databaseWork = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [INVALID_ACTIVITY_INPUT],
  },
});

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

export const { loadRecords, updateMember, introduce, recordJournal } = databaseWork;
export const { deliver } = smtpWork;
