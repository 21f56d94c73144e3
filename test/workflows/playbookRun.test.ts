// The playbookRun workflow's plumbing, fast: waits in workflow time, the status query, exits and cancellation
// in the middle of a wait, search attributes, and continue-as-new, on the real time-skipping server with
// stand-in activities. The end-to-end tests (test/e2e) run the shipped playbooks over the real activities.
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan } from '../../compiler/plan.js';
import type { MemberRecord } from '../../compiler/records.js';
import {
  PLAYBOOK_RUN,
  routeEventSignal,
  statusQuery,
  TEND_KEY,
  TEND_MEMBER,
  TEND_PLAYBOOK,
} from '../../contract/workflows.js';
import {
  HISTORY_EVENTS_BEFORE_CONTINUING,
  JOURNAL_RECORDS_SENDS_PATCH,
  type playbookRun,
} from '../../workflows/playbookRun.js';
import { DATABASE_HANDS_OVER_PATCH } from '../../workflows/runActivities.js';
import { fakeActivities, UNRECORDED, UNRENDERABLE, type FakeOptions } from './support/fakeActivities.js';
import { DAY_MS, planOf, send, wait } from './support/plans.js';
import { useWorkflowWorld } from './support/workflowWorld.js';

const member: MemberRecord = { _id: 'm-ada', email: 'ada@example.org', name: 'Ada', status: 'active' };

const world = useWorkflowWorld();

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/** The patches a history's markers name (each marker's details: `{ id, deprecated }` as JSON). */
function patchesIn(events: HistoryEvent[]): string[] {
  return events.flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
  });
}

function event(type: string, id: string): RoutedEvent {
  return { id, type, memberId: member._id, eventId: null, data: {}, occurredAt: new Date(0).toISOString() };
}

/** Runs `body` with a worker of stand-in activities polling a queue of its own. */
async function withRun<T>(
  plan: Plan,
  body: (run: {
    handle: WorkflowHandleWithFirstExecutionRunId<typeof playbookRun>;
    sends: ReturnType<typeof fakeActivities>['sends'];
    handedOver: ReturnType<typeof fakeActivities>['handedOver'];
    reads: ReturnType<typeof fakeActivities>['reads'];
  }) => Promise<T>,
  options: FakeOptions = {},
): Promise<T> {
  const { activities, sends, handedOver, reads } = fakeActivities(
    member,
    () => world.env.currentTimeMs(),
    options,
  );
  return world.withWorker('run', activities, async (taskQueue) => {
    const handle = await world.env.client.workflow.start<typeof playbookRun>(PLAYBOOK_RUN, {
      taskQueue,
      workflowId: `run:${plan.id}:${member._id}:${taskQueue}`,
      args: [{ plan, memberId: member._id, key: null, trigger: event('member.approved', 'trigger') }],
    });
    return body({ handle, sends, handedOver, reads });
  });
}

const twoSends = planOf({
  id: 'two-sends',
  exit: { events: ['member.left'], conditions: [] },
  steps: [send('welcome'), wait('pause', 7 * DAY_MS), send('later')],
});

describe('playbookRun', () => {
  it('waits in workflow time and shows where it stands to the status query', async () => {
    await withRun(twoSends, async ({ handle, sends }) => {
      await world.env.sleep('1d');
      const waiting = await handle.query(statusQuery);
      const welcomeAt = sends[0]?.at ?? Number.NaN;
      expect(waiting).toMatchObject({
        playbook: 'two-sends',
        version: 'v-two-sends',
        memberId: member._id,
        key: null,
        status: 'waiting',
        currentStep: 'pause',
        exitReason: null,
      });
      // The week is counted from the workflow task that sent the welcome (the send runs inside it).
      expect(waiting.nextWakeAt).toBeGreaterThan(welcomeAt + 7 * DAY_MS - 60_000);
      expect(waiting.nextWakeAt).toBeLessThan(welcomeAt + 7 * DAY_MS + 60_000);
      expect(waiting.steps.map((step) => [step.stepId, step.outcome])).toEqual([['welcome', 'sent']]);

      const outcome = await handle.result();
      expect(outcome.kind).toBe('completed');
      expect(sends.map((sent) => sent.template)).toEqual(['welcome', 'later']);
      expect(sends[1]?.at ?? 0).toBeGreaterThanOrEqual(waiting.nextWakeAt ?? Number.NaN);
      const done = await handle.query(statusQuery);
      expect(done.status).toBe('completed');
      expect(done.steps.map((step) => [step.stepId, step.outcome])).toEqual([
        ['welcome', 'sent'],
        ['pause', 'waited'],
        ['later', 'sent'],
      ]);
    });
  });

  it('labels the run with its playbook and member for listing', async () => {
    await withRun(twoSends, async ({ handle }) => {
      await handle.result();
      const { typedSearchAttributes } = await handle.describe();
      expect(typedSearchAttributes.get(TEND_PLAYBOOK)).toBe('two-sends');
      expect(typedSearchAttributes.get(TEND_MEMBER)).toBe(member._id);
      expect(typedSearchAttributes.get(TEND_KEY)).toBeUndefined();
    });
  });

  it('ends at once when an exit event arrives in the middle of a 7-day wait', async () => {
    await withRun(twoSends, async ({ handle, sends }) => {
      await world.env.sleep('2d');
      await handle.signal(routeEventSignal, event('member.left', 'left-1'));
      const outcome = await handle.result();
      expect(outcome.kind).toBe('exited');
      expect(outcome.state.status).toBe('exited');
      expect(sends.map((sent) => sent.template)).toEqual(['welcome']);
      const { startTime, closeTime } = await handle.describe();
      expect((closeTime?.getTime() ?? Infinity) - startTime.getTime()).toBeLessThan(3 * DAY_MS);
    });
  });

  it('turns a cancellation into an exit with the reason "cancelled"', async () => {
    await withRun(twoSends, async ({ handle, sends }) => {
      await world.env.sleep('2d');
      await handle.cancel();
      const outcome = await handle.result();
      expect(outcome).toMatchObject({ kind: 'exited', reason: 'cancelled' });
      expect(sends.map((sent) => sent.template)).toEqual(['welcome']);
      const { status } = await handle.describe();
      expect(status.name).toBe('COMPLETED');
      const state = await handle.query(statusQuery);
      expect(state).toMatchObject({ status: 'exited', exitReason: 'cancelled', nextWakeAt: null });
      expect(state.steps.at(-1)).toMatchObject({ stepId: 'pause', outcome: 'exited', detail: 'cancelled' });
    });
  });

  it('records a send the activity refuses as failed, and goes on', async () => {
    const plan = planOf({ id: 'refused', steps: [send('broken', UNRENDERABLE), send('after')] });
    await withRun(plan, async ({ handle, sends }) => {
      const outcome = await handle.result();
      expect(outcome.kind).toBe('completed');
      expect(sends.map((sent) => sent.template)).toEqual(['after']);
      expect(outcome.state.steps.map((step) => [step.stepId, step.outcome, step.detail])).toEqual([
        ['broken', 'failed', 'unrenderable to member: cannot render'],
        ['after', 'sent', 'after to member'],
      ]);
      // The refused first attempt, in the workflow task, handed over to one activity task, refused too.
      const events = (await handle.fetchHistory()).events ?? [];
      const scheduled = events.flatMap(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
      );
      expect(scheduled).toEqual(['deliver']);
    });
  });

  it('hands what the relay took to the next attempt when the first could not record it', async () => {
    const plan = planOf({ id: 'unrecorded', steps: [send('welcome', UNRECORDED)] });
    await withRun(plan, async ({ handle, sends, handedOver }) => {
      const outcome = await handle.result();
      expect(outcome.state.steps.map((step) => [step.stepId, step.outcome])).toEqual([['welcome', 'sent']]);
      expect(sends.map((sent) => sent.template)).toEqual([UNRECORDED]);
      expect(handedOver).toEqual([{ messageId: '<welcome#1@test>', sentAt: 1 }]);
    });
  });

  it('reads its records, writes its journal and sends inside its workflow tasks: no activity task', async () => {
    await withRun(twoSends, async ({ handle, sends }) => {
      await world.env.sleep('8d');
      expect((await handle.result()).kind).toBe('completed');
      expect(sends.map((sent) => sent.template)).toEqual(['welcome', 'later']);
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
      const markers = events.flatMap((e) => e.markerRecordedEventAttributes?.markerName ?? []);
      // Local activities are markers in the history: records before each of the three steps and the close at
      // least, the two sends, and the journal's writes before the week's wait and at the close.
      expect(markers.filter((name) => name === 'core_local_activity').length).toBeGreaterThanOrEqual(7);
    });
  });

  it('hands a read that failed in the workflow task to an activity task, and marks only that run', async () => {
    await withRun(
      twoSends,
      async ({ handle, sends, reads }) => {
        await world.env.sleep('8d');
        expect((await handle.result()).kind).toBe('completed');
        expect(sends.map((sent) => sent.template)).toEqual(['welcome', 'later']);
        // The first read failed in the task and was read again as an activity task; the rest in the task.
        expect(reads.slice(0, 3)).toEqual(['local', 'activity task', 'local']);
        expect(reads.filter((read) => read === 'activity task')).toHaveLength(1);
        const events = (await handle.fetchHistory()).events ?? [];
        const scheduled = events.flatMap(
          (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
        );
        expect(scheduled).toEqual(['loadRecords']);
        expect(patchesIn(events)).toContain(DATABASE_HANDS_OVER_PATCH);
      },
      { readsFailingInTask: 1 },
    );
    // A run whose reads all go well records no marker for the hand-over.
    await withRun(twoSends, async ({ handle }) => {
      await world.env.sleep('8d');
      await handle.result();
      const patches = patchesIn((await handle.fetchHistory()).events ?? []);
      // One marker for the run's paths, and none for the hand-over it did not need.
      expect(patches).toEqual([JOURNAL_RECORDS_SENDS_PATCH]);
    });
  });

  it('continues as new once its history is long, and sends nothing twice', async () => {
    // Each send is two markers (its records read and the send's first attempt, both inside the workflow
    // task) and, in a long task, the task's own events now and then: this many sends pass the threshold
    // well before the end, most of them in one task, whose markers the run must count before they are in
    // the history Temporal reports (workflows/taskHistory.ts).
    const count = Math.ceil(HISTORY_EVENTS_BEFORE_CONTINUING / 1.5);
    const steps = Array.from({ length: count }, (_, index) => send(`note-${index}`, 'note'));
    await withRun(planOf({ id: 'long-playbook', steps }), async ({ handle, sends }) => {
      const outcome = await handle.result();
      expect(outcome.kind).toBe('completed');
      expect(sends.map((sent) => sent.stepId)).toEqual(steps.map((step) => step.id));
      expect(outcome.state.steps.at(-1)).toMatchObject({ stepId: `note-${count - 1}`, outcome: 'sent' });

      const firstRun = world.env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
      const firstHistory = await firstRun.fetchHistory();
      expect(firstHistory.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      expect(firstHistory.events?.length).toBeLessThan(HISTORY_EVENTS_BEFORE_CONTINUING + 50);
      const latest = await world.env.client.workflow.getHandle(handle.workflowId).describe();
      expect(latest.runId).not.toBe(handle.firstExecutionRunId);
      expect(latest.typedSearchAttributes.get(TEND_PLAYBOOK)).toBe('long-playbook');
    });
  });
});
