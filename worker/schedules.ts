// Temporal Schedules kept in step with the playbooks: one schedule per enabled schedule-triggered playbook
// (`schedule:<playbook>`), whose action starts the audience fan-out with the playbook's id and version. A
// community playbook (no audience) gets one too: its fan-out starts the firing's one run about the community.
// A schedule is created, updated to the playbook's latest version, cron and time zone, and deleted when the
// playbook is disabled or removed. Several workers may sync at once: creating a schedule that another
// worker just created updates it instead, and deleting one already gone is nothing.

import type { Client } from '@temporalio/client';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Plan } from '../compiler/plan.js';
import { FAN_OUT_WORKFLOW } from '../contract/workflows.js';
import { fanOutWorkflowId, SCHEDULE_ID_PREFIX, scheduleId } from '../domain/runs/runIds.js';
import type { fanOut } from '../workflows/fanOut.js';

export interface ScheduleSyncOptions {
  client: Client;
  /** The task queue of the fan-out workers; schedules are Tend's when their memo names this queue. */
  taskQueue: string;
  logger: Logger;
}

export interface ScheduleSyncReport {
  upserted: string[];
  deleted: string[];
}

/** A schedule-triggered playbook that should have a schedule. */
type ScheduledPlan = Plan & { trigger: { kind: 'schedule' } };

function isScheduled(plan: Plan): plan is ScheduledPlan {
  return plan.enabled && plan.trigger.kind === 'schedule';
}

export type ScheduleSync = (plans: readonly Plan[]) => Promise<ScheduleSyncReport>;

/**
 * A function that makes the namespace's schedules match the registry's current plans. It remembers the
 * schedules it made, so that a playbook disabled or removed a moment ago loses its schedule even before
 * Temporal's (eventually consistent) schedule list shows that schedule.
 */
export function createScheduleSync(options: ScheduleSyncOptions): ScheduleSync {
  let made = new Set<string>();
  return async (plans) => {
    const wanted = plans.filter(isScheduled);
    const wantedIds = new Set(wanted.map((plan) => scheduleId(plan.id)));
    for (const plan of wanted) await upsertSchedule(options, plan);
    const deleted: string[] = [];
    for (const id of new Set([...made, ...(await listOwnSchedules(options))])) {
      if (!wantedIds.has(id) && (await deleteSchedule(options.client, id))) deleted.push(id);
    }
    for (const id of deleted) options.logger.info({ schedule: id }, 'schedule deleted');
    made = wantedIds;
    return { upserted: [...wantedIds], deleted };
  };
}

async function upsertSchedule(options: ScheduleSyncOptions, plan: ScheduledPlan): Promise<void> {
  const { client, taskQueue, logger } = options;
  const id = scheduleId(plan.id);
  const definition = scheduleDefinition(plan, taskQueue);
  try {
    await client.schedule.create({ scheduleId: id, ...definition, memo: { taskQueue } });
    logger.info({ schedule: id, version: plan.version }, 'schedule created');
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(id)
      .update<typeof fanOut>((previous) => ({ ...definition, state: previous.state }));
    logger.debug({ schedule: id, version: plan.version }, 'schedule updated');
  }
}

function scheduleDefinition(plan: ScheduledPlan, taskQueue: string) {
  const args: Parameters<typeof fanOut> = [
    { playbook: plan.id, version: plan.version, audience: plan.audience, trigger: null },
  ];
  return {
    spec: { cronExpressions: [plan.trigger.cron], timezone: plan.trigger.timezone },
    action: {
      type: 'startWorkflow' as const,
      workflowType: FAN_OUT_WORKFLOW,
      // Temporal appends the firing's time: `fanout:<playbook>-2025-01-06T10:00:00Z`.
      workflowId: fanOutWorkflowId(plan.id, null),
      taskQueue,
      args,
    },
    // A firing that finds the previous fan-out still paging is skipped: the next one selects the same members.
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  };
}

/** Tend's schedules for this task queue, as Temporal's schedule list (eventually consistent) shows them. */
async function listOwnSchedules(options: ScheduleSyncOptions): Promise<string[]> {
  const ids: string[] = [];
  for await (const summary of options.client.schedule.list()) {
    if (summary.scheduleId.startsWith(SCHEDULE_ID_PREFIX) && summary.memo?.taskQueue === options.taskQueue) {
      ids.push(summary.scheduleId);
    }
  }
  return ids;
}

async function deleteSchedule(client: Client, id: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(id).delete();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}
