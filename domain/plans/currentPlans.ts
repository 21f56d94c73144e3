// The plans in service, as the worker's playbook registry keeps them in the `plans` collection: the current
// version of every playbook. Routing needs all of them (disabling a playbook stops new runs, not the ones in
// flight); starting runs needs the enabled ones.

import type { Plan } from '../../compiler/plan.js';
import type { Models } from '../../db/index.js';
import { createPlanVersions } from './planStore.js';

export interface CurrentPlans {
  all: Plan[];
  enabled: Plan[];
}

export function createCurrentPlans(models: Pick<Models, 'plans'>): () => Promise<CurrentPlans> {
  const planVersion = createPlanVersions(models);
  return async () => {
    const records = await models.plans
      .find({ current: true, version: { $ne: null } }, { playbook: 1, version: 1, enabled: 1 })
      .lean()
      .exec();
    const inService = await Promise.all(
      records.flatMap((record) =>
        record.version === null
          ? []
          : [planVersion(record.playbook, record.version).then((plan) => ({ plan, record }))],
      ),
    );
    return {
      all: inService.map(({ plan }) => plan),
      enabled: inService.filter(({ record }) => record.enabled).map(({ plan }) => plan),
    };
  };
}
