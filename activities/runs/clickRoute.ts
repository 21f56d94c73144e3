// Where an `email.clicked` goes: to the run that sent the email, and to no other run (a click on a newsletter
// must not end another journey's wait; goals of every playbook still see it at ingestion). The event names
// the run by its workflow id and its start (domain/clicks/recordClick.ts). With `reentry` a member's later
// run of the playbook reuses the workflow id, so the run in flight under that id is the sender only when its
// journal (db/journal.ts) gives the same start; a run older than the journal has none, and is taken at its word.

import { Value } from '@sinclair/typebox/value';
import type { RoutedEvent } from '../../compiler/events.js';
import type { Plan } from '../../compiler/plan.js';
import { journalEntryId, type JournalDoc, type Models } from '../../db/index.js';
import { ClickData } from '../../domain/events/knownEvents.js';
import { isOpen, latestRun } from '../../domain/runs/runRecords.js';
import { runKeyOfWorkflowId } from '../../domain/runs/runIds.js';
import { caresAbout } from './interest.js';

export type ClickRouteModels = Pick<Models, 'runs' | 'journal'>;

/** The workflow id of the sending run when it is in flight and acts on clicks; otherwise none. */
export async function clickTarget(
  models: ClickRouteModels,
  plans: readonly Plan[],
  event: RoutedEvent,
): Promise<string[]> {
  if (event.memberId === null || !Value.Check(ClickData, event.data)) return [];
  const { playbook, runId, runStartedAt } = event.data;
  if (playbook === undefined || runId === undefined || runStartedAt === undefined) return [];
  const plan = plans.find((candidate) => candidate.id === playbook);
  if (plan === undefined || !caresAbout(plan, event.type)) return [];
  // Only the latest record of the workflow's run key can be open (read by `_id`: domain/runs/runRecords.ts).
  const runKey = runKeyOfWorkflowId(String(runId));
  const run = runKey === null ? null : await latestRun(models, runKey);
  if (run === null || !isOpen(run.status) || run.memberId !== event.memberId) return [];
  const first = await models.journal
    .findById(journalEntryId(run.workflowId, run.sequence, 0))
    .select({ runStartedAt: 1 })
    .lean<Pick<JournalDoc, 'runStartedAt'>>()
    .exec();
  if (first !== null && first.runStartedAt.getTime() !== Date.parse(runStartedAt)) return [];
  return [run.workflowId];
}
