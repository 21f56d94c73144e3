// The current plans as routing reads them, on a real MongoDB-wire server: kept while the plans' stamp stands,
// read again the moment any writer of the plans moves it, and read every time while there is no stamp.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { createCurrentPlans, retireRemoved, storeInvalid, storeValid } from '../../domain/plans/planStore.js';
import { useTestDatabase } from '../support/mongo.js';
import type { Plan } from '../../compiler/plan.js';
import { planDefaults } from '../support/plans.js';

const db = useTestDatabase();
let models: Models;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
});

beforeEach(async () => {
  await Promise.all([models.plans.deleteMany({}), models.planChanges.deleteMany({})]);
});

const testPlan = (id: string): Plan => ({ ...planDefaults(), id, version: `${id}-v1`, steps: [] });

const ids = async (current: ReturnType<typeof createCurrentPlans>) =>
  (await current()).all.map((plan) => `${plan.id}@${plan.version}`).sort();

/** Writes the plans as no writer of Tend does: without moving their stamp. */
const unstamped = {
  retire: (playbook: string) => models.plans.updateOne({ playbook }, { $set: { current: false } }).exec(),
  store: (plan: Plan) =>
    models.plans.create({
      playbook: plan.id,
      version: plan.version,
      planJson: JSON.stringify(plan),
      enabled: true,
      valid: true,
      diagnostics: [],
      current: true,
      compiledAt: new Date(),
      updatedAt: new Date(),
    }),
};

describe('the current plans', () => {
  it('are kept while the stamp stands, and read again after each kind of write', async () => {
    const [welcome, survey, other] = [testPlan('welcome'), testPlan('survey'), testPlan('other')];
    await storeValid(models, welcome, []);
    const current = createCurrentPlans(models);
    expect(await ids(current)).toEqual(['welcome@welcome-v1']);

    // Kept: a write that does not move the stamp is not seen.
    await unstamped.retire('welcome');
    expect(await ids(current)).toEqual(['welcome@welcome-v1']);

    // Storing a version moves it: read again, the unstamped write with it.
    await storeValid(models, survey, []);
    expect(await ids(current)).toEqual(['survey@survey-v1']);

    await storeValid(models, welcome, []);
    await retireRemoved(models, new Set(['welcome']));
    expect(await ids(current)).toEqual(['welcome@welcome-v1']);

    // A file that stops compiling keeps its last good version in service, and moves the stamp too.
    await unstamped.store(other);
    expect(await ids(current)).toEqual(['welcome@welcome-v1']);
    await storeInvalid(models, 'welcome', welcome.version, ['playbooks/welcome.yaml:1:1  broken']);
    expect(await ids(current)).toEqual(['other@other-v1', 'welcome@welcome-v1']);
  });

  it('are read every time while no writer has stamped them', async () => {
    await storeValid(models, testPlan('welcome'), []);
    await models.planChanges.deleteMany({});
    const current = createCurrentPlans(models);
    expect(await ids(current)).toEqual(['welcome@welcome-v1']);

    await unstamped.retire('welcome');
    expect(await ids(current)).toEqual([]);
  });

  it('are stored by workers that start together, each store succeeding once the first has inserted', async () => {
    // Every worker compiles the folder when it starts; the loser of the insert race updates the winner's record.
    const welcome = testPlan('welcome');
    for (let round = 0; round < 20; round += 1) {
      await Promise.all([models.plans.deleteMany({}), models.planChanges.deleteMany({})]);
      await Promise.all(Array.from({ length: 12 }, () => storeValid(models, welcome, [])));
      expect(await models.plans.countDocuments({ playbook: 'welcome' }).exec()).toBe(1);
      expect(await models.planChanges.countDocuments({}).exec()).toBe(1);
    }
    await Promise.all(Array.from({ length: 6 }, () => storeInvalid(models, 'survey', null, ['broken'])));
    expect(await models.plans.countDocuments({ playbook: 'survey' }).exec()).toBe(1);
  });
});
