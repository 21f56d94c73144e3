// Starting many members' runs of one plan at once, for the audience fan-out. Each run is started exactly as
// `startRun` would start it, but the claims of a whole page of first runs are inserted in one write instead
// of one per member: the database, not Temporal, is what limits a fan-out. Each claim is then confirmed as
// `startRun` confirms one, by its `_id` (FerretDB serves nothing else from an index: one update of the page's
// records by `runKey` would decode the whole collection). A member who already had a run of the playbook
// is handed to `startRun`, which weighs `reentry`.

import type { Client } from '@temporalio/client';
import { mongo } from 'mongoose';
import type { RunDoc } from '../../db/index.js';
import { mapWithConcurrency } from '../../domain/runs/boundedConcurrency.js';
import { enterForMembers, type IndexEntries } from '../../domain/memberIndex/enter.js';
import {
  runClaim,
  start,
  startRun,
  type StartRunModels,
  type StartRunRequest,
  type StartRunResult,
} from './startRun.js';

const DUPLICATE_KEY = 11000;

export async function startRuns(
  client: Client,
  models: StartRunModels,
  requests: readonly StartRunRequest[],
  options: { concurrency: number; onEach?: () => void },
): Promise<StartRunResult[]> {
  const claimed = await claimFirstRuns(models, requests);
  return mapWithConcurrency([...requests.entries()], options.concurrency, async ([index, request]) => {
    const result = claimed[index]
      ? await start(client, models, request, 0)
      : await startRun(client, models, request);
    options.onEach?.();
    return result;
  });
}

/**
 * Claims every member's first run in one write; false for members who already have a first run. The claims
 * won are entered in the members' indexes, 50 members to a command (a claimant that dies before that is
 * recovered by `startRun`, which enters the record then).
 */
async function claimFirstRuns(
  models: StartRunModels,
  requests: readonly StartRunRequest[],
): Promise<boolean[]> {
  if (requests.length === 0) return [];
  const claims = requests.map((request) => runClaim(request, 0));
  const won = await insertClaims(models, claims);
  const entries = new Map<string, IndexEntries>();
  claims.forEach((claim, index) => {
    if (won[index] && claim.memberId !== null)
      entries.set(claim.memberId, { runs: [{ id: claim._id, at: claim.startedAt }] });
  });
  await enterForMembers(models, entries);
  return won;
}

async function insertClaims(models: StartRunModels, claims: RunDoc[]): Promise<boolean[]> {
  try {
    await models.runs.insertMany(claims, { ordered: false, lean: true });
    return claims.map(() => true);
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    const failures = [error.writeErrors].flat();
    const other = failures.find((failure) => failure.code !== DUPLICATE_KEY);
    if (other) throw error;
    const taken = new Set(failures.map((failure) => failure.index));
    return claims.map((_, index) => !taken.has(index));
  }
}
