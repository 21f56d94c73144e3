// The Runtime of a real run: workflow time, events from the `routeEvent` signal, side effects through
// activities. The interpreter core (core/interpreter.ts) sees only the Runtime seam, so `tend preview` runs the
// same core over a virtual clock.

import { ActivityFailure, isCancellation } from '@temporalio/workflow';
import type { RunRef } from '../contract/activityPayloads.js';
import type { DeliveryOutcome, DeliveryRequest, RunInput, RunState, Runtime } from '../contract/runtime.js';
import { emailBundle } from '../contract/emailBundle.js';
import type { RoutedEventQueue } from './routedEventQueue.js';
import { deliver, introduce, loadRecords, updateMember } from './runActivities.js';

export function temporalRuntime(
  input: RunInput,
  run: RunRef,
  events: RoutedEventQueue,
  publish: (state: RunState) => void,
): Runtime {
  const { plan } = input;
  return {
    // Inside a workflow Date.now() is the time of the current workflow task: deterministic on replay.
    now: () => Date.now(),
    next: (deadline) => events.next(deadline, Date.now()),
    loadRecords: () =>
      loadRecords({
        memberId: input.memberId,
        eventId: input.trigger.eventId,
        needs: plan.needs,
        zone: plan.community.timezone,
      }),
    deliver: (request) => deliverOnce(input, run, request),
    updateMember: (request) => updateMember({ memberId: input.memberId, request }),
    introduce: (request) => introduce({ run, request }),
    report: publish,
  };
}

/**
 * One send, with the activity's retries spent. A send that still fails (a relay down for a day, an input the
 * activity refuses) is a `failed` step the run reports and goes on from, like a refused address: one email
 * must not end a member's journey. A cancelled run's send is no failure: the cancellation goes on up.
 */
async function deliverOnce(input: RunInput, run: RunRef, request: DeliveryRequest): Promise<DeliveryOutcome> {
  const email = emailBundle(input.plan, request.template);
  if (email === null)
    return { status: 'failed', reason: `template "${request.template}" is not in the plan` };
  try {
    return await deliver({
      run,
      request,
      email,
      community: input.plan.community,
      delivery: input.plan.delivery,
      trigger: input.trigger,
      readsReport: input.plan.needs.report === true,
    });
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    return { status: 'failed', reason: error.cause?.message ?? error.message };
  }
}
