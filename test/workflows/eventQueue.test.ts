// The eventQueue workflow's plumbing, fast, on the real time-skipping server with a stand-in ingest
// activity: a batch is ingested inside the queue's workflow task, and a batch whose attempt there fails goes
// to an activity task, which retries it. The API's tests (test/api) run it over the real ingestion.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { IngestQueuedEventsInput, QueuedEvent } from '../../contract/events.js';
import { EVENT_QUEUE_WORKFLOW, eventsAcceptedSignal } from '../../contract/workflows.js';
import type { eventQueue } from '../../workflows/eventQueue.js';
import { useWorkflowWorld } from './support/workflowWorld.js';

const world = useWorkflowWorld();

function queued(id: string): QueuedEvent {
  return {
    acceptanceId: `accept:${id}`,
    accepted: {
      event: { id, type: 'member.approved', memberId: 'm-ada' },
      hash: id,
      receivedAt: new Date(0).toISOString(),
    },
  };
}

interface Attempt {
  ids: string[];
  local: boolean;
}

/** Queues `events` as the API does and waits for the queue to finish; `failInTask`: its first attempt fails. */
async function runQueue(events: QueuedEvent[], failInTask: boolean) {
  const attempts: Attempt[] = [];
  const activities = {
    ingestQueuedEvents(input: IngestQueuedEventsInput): Promise<{ done: number[] }> {
      const local = Context.current().info.isLocal;
      attempts.push({ ids: input.queued.map((item) => item.accepted.event.id), local });
      if (failInTask && local) return Promise.reject(ApplicationFailure.create({ message: 'database away' }));
      return Promise.resolve({ done: input.queued.map((_, index) => index) });
    },
  };
  return world.withWorker('queue', activities, async (taskQueue) => {
    const handle = await world.env.client.workflow.signalWithStart<typeof eventQueue, [QueuedEvent[]]>(
      EVENT_QUEUE_WORKFLOW,
      {
        workflowId: `events:test:${taskQueue}`,
        taskQueue,
        args: [{ queued: [] }],
        signal: eventsAcceptedSignal,
        signalArgs: [events],
      },
    );
    await handle.result();
    const history = (await handle.fetchHistory()).events ?? [];
    const activityTasks = history.filter((event) => event.activityTaskScheduledEventAttributes).length;
    return { attempts, activityTasks };
  });
}

describe('eventQueue', () => {
  it('ingests a batch inside its workflow task: no activity task', async () => {
    const { attempts, activityTasks } = await runQueue([queued('e1'), queued('e2')], false);
    expect(attempts).toEqual([{ ids: ['e1', 'e2'], local: true }]);
    expect(activityTasks).toBe(0);
  });

  it('hands a batch whose attempt in the task failed to an activity task, which ingests it', async () => {
    const { attempts, activityTasks } = await runQueue([queued('e3')], true);
    expect(attempts).toEqual([
      { ids: ['e3'], local: true },
      { ids: ['e3'], local: false },
    ]);
    expect(activityTasks).toBe(1);
  });
});
