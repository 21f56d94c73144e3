// A plan's steps in the order a manager reads them: the top-level steps, each followed by the steps nested
// in it (indented one level deeper), then the `on` handlers' steps. The funnel lists its rows in this order.

import type { Plan, Step, StepKind } from '../../compiler/plan.js';

export interface PlanStepRow {
  stepId: string;
  kind: StepKind;
  /** 0 for a top-level step (or a handler's), one more for each block it is nested in. */
  depth: number;
  /** The email a send or an introduction sends; null for other steps. */
  template: string | null;
}

export function planStepRows(plan: Pick<Plan, 'steps' | 'on'>): PlanStepRow[] {
  const rows: PlanStepRow[] = [];
  const walk = (steps: readonly Step[], depth: number): void => {
    for (const step of steps) {
      rows.push({ stepId: step.id, kind: step.kind, depth, template: templateOf(step) });
      for (const block of nestedBlocks(step)) walk(block, depth + 1);
    }
  };
  walk(plan.steps, 0);
  for (const steps of Object.values(plan.on)) walk(steps, 0);
  return rows;
}

function nestedBlocks(step: Step): Step[][] {
  switch (step.kind) {
    case 'if':
      return [step.then, step.else];
    case 'at':
      return [step.do];
    case 'wait_for':
      return [step.onEvent, step.onTimeout];
    default:
      return [];
  }
}

function templateOf(step: Step): string | null {
  return step.kind === 'send_email' || step.kind === 'introduce' ? step.template : null;
}
