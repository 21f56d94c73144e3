// Stores a plan version the way the worker's playbook registry does, for tests that start fan-outs without
// running the registry.

import type { Plan } from '../../../compiler/plan.js';
import type { Models } from '../../../db/index.js';
import { markPlansChanged } from '../../../domain/plans/planStore.js';

export async function storePlan(models: Pick<Models, 'plans' | 'planChanges'>, plan: Plan): Promise<void> {
  const now = new Date();
  await models.plans.create({
    playbook: plan.id,
    version: plan.version,
    planJson: JSON.stringify(plan),
    enabled: plan.enabled,
    valid: true,
    diagnostics: [],
    current: true,
    compiledAt: now,
    updatedAt: now,
  });
  await markPlansChanged(models);
}
