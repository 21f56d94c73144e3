// Compiled plans by version, as the worker's playbook registry stored them in the `plans` collection. A
// fan-out names its plan by playbook and version only, so that its history stays small however many pages
// it runs; the plan itself is read here. A version's plan never changes, so it is cached for good.

import type { Plan } from '../../compiler/plan.js';
import type { Models } from '../../db/index.js';

export type PlanModels = Pick<Models, 'plans'>;

export class PlanVersionNotFoundError extends Error {
  override name = 'PlanVersionNotFoundError';
}

export function createPlanVersions(models: PlanModels): (playbook: string, version: string) => Promise<Plan> {
  const cache = new Map<string, Promise<Plan>>();
  return (playbook, version) => {
    const cacheKey = `${playbook}@${version}`;
    let plan = cache.get(cacheKey);
    if (!plan) {
      plan = readPlanVersion(models, playbook, version);
      // A failed read (the record is not there yet, the server is down) must be retried, not remembered.
      plan.catch(() => cache.delete(cacheKey));
      cache.set(cacheKey, plan);
    }
    return plan;
  };
}

export async function readPlanVersion(models: PlanModels, playbook: string, version: string): Promise<Plan> {
  const record = await models.plans.findOne({ playbook, version }).lean().exec();
  if (!record?.planJson)
    throw new PlanVersionNotFoundError(`playbook ${playbook} has no stored version ${version}`);
  const plan: unknown = JSON.parse(record.planJson);
  if (!isPlanOf(plan, playbook, version)) {
    throw new PlanVersionNotFoundError(`the stored version ${version} of playbook ${playbook} is not a plan`);
  }
  return plan;
}

/**
 * The registry wrote this text from a compiled Plan; the check guards against a record written by another
 * release of Tend or by hand, which would otherwise fail deep inside a run.
 */
function isPlanOf(value: unknown, playbook: string, version: string): value is Plan {
  if (typeof value !== 'object' || value === null) return false;
  const { id, version: planVersion, steps, trigger, reentry } = value as Record<string, unknown>;
  return (
    id === playbook &&
    planVersion === version &&
    Array.isArray(steps) &&
    typeof trigger === 'object' &&
    trigger !== null &&
    typeof reentry === 'object' &&
    reentry !== null
  );
}
