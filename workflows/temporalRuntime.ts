// The Runtime of a real run: workflow time, events from the `routeEvent` signal, side effects through
// activities. The interpreter core (core/interpreter.ts) sees only the Runtime seam, so `tend preview` runs the
// same core over a virtual clock.
//
// The run journal's notes ride on the activities the run calls anyway (loadRecords, deliver) and are written
// on their own only before the run waits (a timer or an event that may be days away) and when it closes.

import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { RunRef } from '../contract/activityPayloads.js';
import type { DeliveryOutcome, DeliveryRequest, RunInput, RunState, Runtime } from '../contract/runtime.js';
import { emailBundle } from '../contract/emailBundle.js';
import type { JournalWrite, RecordJournalInput, RunClosing } from '../contract/activityPayloads.js';
import type { JournalBuffer } from './journalBuffer.js';
import type { RoutedEventQueue } from './routedEventQueue.js';
import { introduce, updateMember, type RunDatabaseWork, type RunSend } from './runActivities.js';

export interface RunJournal {
  buffer: JournalBuffer;
  /** The run record's sequence (see JournalWrite). */
  sequence: number;
  /** Where its notes are written: in the workflow task, or as an activity task (runActivities.ts). */
  database: RunDatabaseWork;
  /** How it sends: first in the workflow task, or as an activity task only (runActivities.ts). */
  send: RunSend;
}

export function temporalRuntime(
  input: RunInput,
  run: RunRef,
  events: RoutedEventQueue,
  publish: (state: RunState) => void,
  journal: RunJournal,
): Runtime {
  const { plan } = input;
  const riding = (): JournalWrite | undefined => journalWrite(run, journal);
  return {
    // Inside a workflow Date.now() is the time of the current workflow task: deterministic on replay.
    now: () => Date.now(),
    next: async (deadline) => {
      if (deadline === null || deadline > Date.now()) await flushJournal(run, journal);
      return events.next(deadline, Date.now());
    },
    loadRecords: async () => {
      const write = riding();
      const records = await journal.database.loadRecords({
        memberId: input.memberId,
        eventId: input.trigger.eventId,
        needs: plan.needs,
        zone: plan.community.timezone,
        ...(write === undefined ? {} : { journal: write }),
      });
      journal.buffer.written(write?.entries);
      return records;
    },
    deliver: (request) => deliverOnce(input, run, request, journal),
    updateMember: (request) => {
      // The compiler refuses update_member in a community playbook, whose run has no member to write to.
      if (input.memberId === null) {
        throw ApplicationFailure.nonRetryable(
          `${plan.id}: a community playbook's run has no member to update`,
        );
      }
      return updateMember({ memberId: input.memberId, request });
    },
    introduce: (request) => introduce({ run, request }),
    report: publish,
    journal: (note) => journal.buffer.add(note),
  };
}

/** Writes the notes not yet written (and, when the run closes, its run record's end). */
export async function flushJournal(run: RunRef, journal: RunJournal, closing?: RunClosing): Promise<void> {
  if (!journal.buffer.enabled) return;
  const write = journalWrite(run, journal);
  if (write === undefined && closing === undefined) return;
  const input: RecordJournalInput = {
    run,
    sequence: journal.sequence,
    entries: write?.entries ?? [],
    ...(closing === undefined ? {} : { closing }),
  };
  await journal.database.recordJournal(input);
  journal.buffer.written(write?.entries);
}

function journalWrite(run: RunRef, journal: RunJournal): JournalWrite | undefined {
  const entries = journal.buffer.unwritten();
  return entries === undefined ? undefined : { run, sequence: journal.sequence, entries };
}

/**
 * One send, with the activity's retries spent. A send that still fails (a relay down for a day, an input the
 * activity refuses) is a `failed` step the run reports and goes on from, like a refused address: one email
 * must not end a member's journey. A cancelled run's send is no failure: the cancellation goes on up.
 */
async function deliverOnce(
  input: RunInput,
  run: RunRef,
  request: DeliveryRequest,
  journal: RunJournal,
): Promise<DeliveryOutcome> {
  const email = emailBundle(input.plan, request.template);
  if (email === null)
    return { status: 'failed', reason: `template "${request.template}" is not in the plan` };
  const write = journalWrite(run, journal);
  try {
    const outcome = await journal.send({
      run,
      request,
      email,
      community: input.plan.community,
      delivery: input.plan.delivery,
      trigger: input.trigger,
      needs: input.plan.needs,
      ...(write === undefined ? {} : { journal: write }),
    });
    journal.buffer.written(write?.entries);
    return outcome;
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    return { status: 'failed', reason: error.cause?.message ?? error.message };
  }
}
