// The plan store: the `plans` collection's one owner. The worker's playbook registry stores every compiled
// version here (and which one is current, with the file's errors); the activities read plans by version (a
// fan-out names its plan by playbook and version only, so that its history stays small however many pages it
// runs) and the current ones (to route events and start runs); the API reads the playbook reports. A
// version's plan never changes, so it is cached for good.

import { randomUUID } from 'node:crypto';
import type { Plan } from '../../compiler/plan.js';
import { PLANS_CHANGE_ID, upsertRacing, type Models } from '../../db/index.js';

export type PlanModels = Pick<Models, 'plans'>;
/** Writing plans, and reading the current ones, also takes their stamp (db/plans.ts). */
export type StampedPlanModels = Pick<Models, 'plans' | 'planChanges'>;

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

export interface CurrentPlans {
  all: Plan[];
  enabled: Plan[];
}

/**
 * The current plans, read again only when a write to the plans has moved their stamp (db/plans.ts): routing
 * an event then costs one keyed read. With no stamp yet (plans stored by an earlier release, before the
 * registry's first write here), they are read every time.
 */
export function createCurrentPlans(models: StampedPlanModels): () => Promise<CurrentPlans> {
  const planVersion = createPlanVersions(models);
  let kept: { stamp: string; plans: Promise<CurrentPlans> } | null = null;

  const read = async (): Promise<CurrentPlans> => {
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

  return async () => {
    // The stamp first, then the plans: a write that lands between the two leaves a newer stamp behind it,
    // so the next call reads again.
    const change = await models.planChanges.findById(PLANS_CHANGE_ID).lean().exec();
    if (change === null) return read();
    if (kept?.stamp !== change.stamp) {
      const plans = read();
      const entry = { stamp: change.stamp, plans };
      // A failed read (the server away) is tried again by the next call, not kept.
      plans.catch(() => {
        if (kept === entry) kept = null;
      });
      kept = entry;
    }
    return kept.plans;
  };
}

/** Moves the plans' stamp: every writer of the plans calls it after its writes. */
export async function markPlansChanged(models: Pick<Models, 'planChanges'>): Promise<void> {
  await upsertRacing(() =>
    models.planChanges
      .updateOne(
        { _id: PLANS_CHANGE_ID },
        { $set: { stamp: randomUUID(), at: new Date() } },
        { upsert: true },
      )
      .exec(),
  );
}

/** A playbook as `GET /v1/playbooks` reports it. */
export interface PlaybookReport {
  id: string;
  /** The version in service (the last good one when the file does not compile now); null if none ever did. */
  version: string | null;
  enabled: boolean;
  /** Whether the file, as it is now, compiles. */
  valid: boolean;
  /** Every problem, `file:line:col  message`. */
  errors: string[];
}

/** Every current playbook's report, by playbook id; empty while no worker has stored any. */
export async function playbookReports(models: PlanModels): Promise<PlaybookReport[]> {
  // Without the plans themselves (tens of KB each): a report needs only their standing.
  const records = await models.plans
    .find({ current: true }, { planJson: 0 })
    .sort({ playbook: 1 })
    .lean()
    .exec();
  return records.map((record) => ({
    id: record.playbook,
    version: record.version,
    enabled: record.enabled,
    valid: record.valid,
    errors: record.diagnostics,
  }));
}

/** Stores a compiled version as the playbook's current one, with the file's warnings. */
export async function storeValid(
  models: StampedPlanModels,
  plan: Plan,
  diagnostics: string[],
): Promise<void> {
  const now = new Date();
  // Every worker compiles the folder when it starts, so two may store the same version at once.
  await upsertRacing(() =>
    models.plans
      .updateOne(
        { playbook: plan.id, version: plan.version },
        {
          $set: {
            planJson: JSON.stringify(plan),
            enabled: plan.enabled,
            valid: true,
            diagnostics,
            current: true,
            updatedAt: now,
          },
          $setOnInsert: { compiledAt: now },
        },
        { upsert: true },
      )
      .exec(),
  );
  // Set the new version current before retiring the old one: readers may briefly see two, never none.
  await models.plans
    .updateMany(
      { playbook: plan.id, version: { $ne: plan.version }, current: true },
      { $set: { current: false, updatedAt: now } },
    )
    .exec();
  await markPlansChanged(models);
}

/**
 * Records that the playbook's file does not compile now: the last good version (null: none) stays current,
 * with every error.
 */
export async function storeInvalid(
  models: StampedPlanModels,
  playbook: string,
  version: string | null,
  diagnostics: string[],
): Promise<void> {
  const now = new Date();
  await upsertRacing(() =>
    models.plans
      .updateOne(
        { playbook, version },
        {
          $set: { valid: false, diagnostics, current: true, updatedAt: now },
          $setOnInsert: { planJson: null, enabled: false, compiledAt: now },
        },
        { upsert: true },
      )
      .exec(),
  );
  await markPlansChanged(models);
}

/** The version the store holds as current for a playbook, or null. */
export async function currentPlan(models: PlanModels, playbook: string): Promise<Plan | null> {
  const record = await models.plans
    .findOne({ playbook, current: true, version: { $ne: null } })
    .lean()
    .exec();
  return record?.version ? readPlanVersion(models, playbook, record.version) : null;
}

/** Playbooks whose file is gone are no longer current (their versions stay, for runs and fan-outs in flight). */
export async function retireRemoved(models: StampedPlanModels, present: ReadonlySet<string>): Promise<void> {
  await models.plans
    .updateMany(
      { current: true, playbook: { $nin: [...present] } },
      { $set: { current: false, updatedAt: new Date() } },
    )
    .exec();
  await markPlansChanged(models);
}
