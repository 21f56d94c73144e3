// Starting the fan-out of an event over a playbook's audience (event-feedback: `event.ended` -> attendees).
//
//   startAudienceFanOut(client, plan, trigger, taskQueue): Promise<FanOutStart>
//     -> { status: 'started' | 'duplicate', workflowId }
//
// Used by the API when an event matches a playbook that has an `audience`. The fan-out's id is
// `fanout:<playbook>:<eventId>` (the event's id when it names no event), and Temporal refuses a second
// workflow under it while it remembers the first; past that, every member's run is still guarded by its own
// run record, so a trigger repeated weeks later starts nobody twice.

import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan } from '../../compiler/plan.js';
import { FAN_OUT_WORKFLOW } from '../../contract/workflows.js';
import type { fanOut } from '../../workflows/fanOut.js';
import { fanOutWorkflowId } from '../../domain/runs/runIds.js';

export interface FanOutStart {
  status: 'started' | 'duplicate';
  workflowId: string;
}

export async function startAudienceFanOut(
  client: Client,
  plan: Plan,
  trigger: RoutedEvent,
  taskQueue: string,
): Promise<FanOutStart> {
  if (plan.audience === null) throw new Error(`playbook ${plan.id} has no audience to fan out over`);
  const workflowId = fanOutWorkflowId(plan.id, trigger.eventId ?? trigger.id);
  try {
    await client.workflow.start<typeof fanOut>(FAN_OUT_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [{ playbook: plan.id, version: plan.version, audience: plan.audience, trigger }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return { status: 'started', workflowId };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { status: 'duplicate', workflowId };
    throw error;
  }
}
