// Run records keyed on `_id` (`runRecordId(runKey, sequence)`, db/runs.ts), against a real Temporal dev
// server and a real MongoDB-wire server (FerretDB, which serves only `{ _id }` filters from an index): every
// way a record is written (the claim, a duplicate, reentry, a fan-out page, the run's close, the recovery of
// a `starting` record) leaves it under its natural key with the right status, and records written before the
// keys (an ObjectId `_id`) go on working through the old filters.

import type { Client } from '@temporalio/client';
import mongoose, { mongo } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRecordJournal } from '../../activities/runs/recordJournal.js';
import { routeEvent } from '../../activities/runs/routeEvent.js';
import { runClaim, startRun, type StartRunRequest } from '../../activities/runs/startRun.js';
import { startRuns } from '../../activities/runs/startRuns.js';
import type { Plan } from '../../compiler/plan.js';
import type { RunClosing } from '../../contract/activityPayloads.js';
import {
  createModels,
  runKey,
  runRecordId,
  type Models,
  type RunDoc,
  type RunRecordStatus,
} from '../../db/index.js';
import { listRuns, parseRunCursor } from '../../domain/runs/listRuns.js';
import { runKeyOfWorkflowId, runWorkflowId } from '../../domain/runs/runIds.js';
import { latestRun, setRunStatus } from '../../domain/runs/runRecords.js';
import { useTestDatabase } from '../support/mongo.js';
import { useStandInWorker } from './support/standInWorker.js';
import { testEvent, testPlan } from './support/plans.js';

const db = useTestDatabase();
const worker = useStandInWorker(db, 'run-record-ids');
const { taskQueue } = worker;
let models: Models;
let client: Client;
let memberCounter = 0;

beforeAll(() => ({ models, client } = worker));

const newMember = () => `k${Date.now().toString(36)}${(memberCounter += 1)}`;

function request(plan: Plan, memberId: string): StartRunRequest {
  return { plan, memberId, key: null, trigger: testEvent({ type: 'member.approved', memberId }), taskQueue };
}

/** The member's records as stored: `_id`, sequence and status, by sequence. */
async function stored(plan: Plan, memberId: string) {
  const records = await models.runs
    .find({ runKey: runKey(plan.id, memberId, null) })
    .sort({ sequence: 1 })
    .lean()
    .exec();
  return records.map((record) => ({ _id: record._id, sequence: record.sequence, status: record.status }));
}

/** Ends the stand-in run the way a member's exit event does, and waits until Temporal reports it closed. */
async function finishRun(plan: Plan, memberId: string): Promise<void> {
  const handle = client.workflow.getHandle(runWorkflowId(plan.id, memberId, null));
  await handle.signal('routeEvent', testEvent({ type: 'member.left', memberId }));
  await handle.result();
}

/** What the run's workflow writes when it closes (recordJournal with `closing`). */
async function closeAsTheRunDoes(
  plan: Plan,
  memberId: string,
  sequence: number,
  closing: RunClosing,
  at: number,
  through: Models = models,
): Promise<void> {
  const recordJournal = createRecordJournal({ models: through, clock: () => at });
  await recordJournal({
    run: {
      workflowId: runWorkflowId(plan.id, memberId, null),
      playbook: plan.id,
      version: plan.version,
      memberId,
      key: null,
      startedAt: at,
    },
    sequence,
    entries: [],
    closing,
  });
}

/** A record as Tend wrote it before the keys: an ObjectId `_id`, inserted past the schema. */
async function insertLegacy(
  plan: Plan,
  memberId: string,
  sequence: number,
  status: RunRecordStatus,
): Promise<mongo.ObjectId> {
  const _id = new mongo.ObjectId();
  const fields: Omit<RunDoc, '_id'> = {
    runKey: runKey(plan.id, memberId, null),
    sequence,
    playbook: plan.id,
    version: plan.version,
    memberId,
    key: null,
    workflowId: runWorkflowId(plan.id, memberId, null),
    triggerId: `legacy-${memberId}-${sequence}`,
    status,
    startedAt: new Date(Date.now() - 3_600_000),
    closedAt: status === 'completed' ? new Date() : null,
  };
  await models.runs.collection.insertOne({ _id, ...fields });
  return _id;
}

describe('the key', () => {
  it('is the runKey and a zero-padded sequence, sorting as the sequences do', () => {
    expect(runRecordId('welcome:m-1', 2)).toBe('welcome:m-1#0000000002');
    const ids = [0, 9, 10, 100, 2].map((sequence) => runRecordId('a:b', sequence));
    expect([...ids].sort()).toEqual([0, 2, 9, 10, 100].map((sequence) => runRecordId('a:b', sequence)));
  });

  it("is what a run's workflow id names, so one is read from the other", () => {
    expect(runKeyOfWorkflowId(runWorkflowId('welcome', 'm-1', 'evt-9'))).toBe(
      runKey('welcome', 'm-1', 'evt-9'),
    );
    expect(runKeyOfWorkflowId(runWorkflowId('digest', null, '2026-12-07'))).toBe(
      runKey('digest', null, '2026-12-07'),
    );
    expect(runKeyOfWorkflowId('fanout:welcome:evt-1')).toBeNull();
  });
});

describe('records written under their key', () => {
  const plan = testPlan({ id: 'keyed', reentry: { kind: 'always' } });

  it('claims a run under its key and marks it running', async () => {
    const memberId = newMember();
    expect((await startRun(client, models, request(plan, memberId))).status).toBe('started');
    expect(await stored(plan, memberId)).toEqual([
      { _id: `keyed:${memberId}#0000000000`, sequence: 0, status: 'running' },
    ]);
  });

  it('answers a duplicate trigger with the trigger of the run in its way, writing nothing', async () => {
    const memberId = newMember();
    const delivery = request(plan, memberId);
    await startRun(client, models, delivery);
    const again = await startRun(client, models, delivery);
    expect(again).toMatchObject({ status: 'duplicate', foundTriggerId: delivery.trigger.id });
    const other = await startRun(client, models, request(plan, memberId));
    expect(other.status).toBe('duplicate');
    expect(other.foundTriggerId).toBe(delivery.trigger.id);
    expect(await stored(plan, memberId)).toEqual([
      { _id: runRecordId(`keyed:${memberId}`, 0), sequence: 0, status: 'running' },
    ]);
  });

  it('keys each reentry by its sequence, and finds the latest by key', async () => {
    const memberId = newMember();
    for (let run = 0; run < 3; run++) {
      expect((await startRun(client, models, request(plan, memberId))).status).toBe('started');
      if (run < 2) await finishRun(plan, memberId);
    }
    const journey = runKey(plan.id, memberId, null);
    expect(await stored(plan, memberId)).toEqual([
      { _id: runRecordId(journey, 0), sequence: 0, status: 'completed' },
      { _id: runRecordId(journey, 1), sequence: 1, status: 'completed' },
      { _id: runRecordId(journey, 2), sequence: 2, status: 'running' },
    ]);
    expect((await latestRun(models, journey))?._id).toBe(runRecordId(journey, 2));
  });

  it('finds the latest of many runs by key', async () => {
    const memberId = newMember();
    const journey = runKey(plan.id, memberId, null);
    const trigger = testEvent({ type: 'member.approved', memberId });
    // Thirteen closed runs, each claimed as startRun claims it and closed by an earlier trigger.
    await models.runs.insertMany(
      Array.from({ length: 13 }, (_, sequence) => ({
        ...runClaim({ ...request(plan, memberId), trigger }, sequence),
        triggerId: `${trigger.id}-${sequence}`,
        status: 'completed' as const,
        closedAt: new Date(),
      })),
    );
    expect((await latestRun(models, journey))?.sequence).toBe(12);
    expect((await startRun(client, models, { ...request(plan, memberId), trigger })).status).toBe('started');
    expect((await latestRun(models, journey))?._id).toBe(runRecordId(journey, 13));
  });

  it('claims and confirms a fan-out page under the keys', async () => {
    const members = [newMember(), newMember(), newMember()];
    const trigger = testEvent({ type: 'community.meeting' });
    const page = members.map((memberId) => ({ plan, memberId, key: null, trigger, taskQueue }));
    const results = await startRuns(client, models, page, { concurrency: 2 });
    expect(results.map((result) => result.status)).toEqual(['started', 'started', 'started']);
    for (const memberId of members) {
      expect(await stored(plan, memberId)).toEqual([
        { _id: runRecordId(`keyed:${memberId}`, 0), sequence: 0, status: 'running' },
      ]);
    }
    const again = await startRuns(client, models, page, { concurrency: 2 });
    expect(again.map((result) => result.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('closes the record when the run closes, and the first close stays', async () => {
    const memberId = newMember();
    await startRun(client, models, request(plan, memberId));
    const closedAt = Date.parse('2026-11-30T09:00:00Z');
    await closeAsTheRunDoes(plan, memberId, 0, 'exited', closedAt);
    await closeAsTheRunDoes(plan, memberId, 0, 'completed', closedAt + 1000);
    const record = await models.runs
      .findById(runRecordId(`keyed:${memberId}`, 0))
      .lean()
      .exec();
    expect(record?.status).toBe('exited');
    expect(record?.closedAt?.getTime()).toBe(closedAt);
  });

  it('leaves a closed record closed, with its time, when the start is confirmed after the close', async () => {
    const memberId = newMember();
    await startRun(client, models, request(plan, memberId));
    const ref = { runKey: runKey(plan.id, memberId, null), sequence: 0 };
    const closedAt = Date.parse('2026-11-30T09:00:00Z');
    await closeAsTheRunDoes(plan, memberId, 0, 'exited', closedAt);
    // What the claimant's confirmation does when the run closed before it got there (one write, which
    // sees the close and puts it back).
    await setRunStatus(models, ref, ['starting'], { status: 'running', closedAt: null });
    expect(await stored(plan, memberId)).toEqual([
      { _id: runRecordId(ref.runKey, 0), sequence: 0, status: 'exited' },
    ]);
    const record = await models.runs.findById(runRecordId(ref.runKey, 0)).lean().exec();
    expect(record?.closedAt?.getTime()).toBe(closedAt);
  });

  it('recovers a run left `starting` under its key', async () => {
    const memberId = newMember();
    const delivery = request(plan, memberId);
    const journey = runKey(plan.id, memberId, null);
    await models.runs.create(runClaim(delivery, 0));
    const redelivered = await startRun(client, models, delivery);
    expect(redelivered).toMatchObject({ status: 'duplicate', foundTriggerId: delivery.trigger.id });
    expect(await stored(plan, memberId)).toEqual([
      { _id: runRecordId(journey, 0), sequence: 0, status: 'running' },
    ]);
    const description = await client.workflow.getHandle(redelivered.workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.memo?.sequence).toBe(0);
  });
});

/** Whether a filter is exactly `{ _id: <string> }`. */
function isIdEquality(filter: unknown): boolean {
  return (
    typeof filter === 'object' &&
    filter !== null &&
    Object.keys(filter).length === 1 &&
    '_id' in filter &&
    typeof filter._id === 'string'
  );
}

describe("FerretDB's index", () => {
  it('serves every read and write of run records in a claim, a fan-out page, a close, a reentry and routing', async () => {
    const plan = testPlan({ id: 'indexed', reentry: { kind: 'always' } });
    const watched = await mongoose
      .createConnection(db.uri, { autoIndex: false, monitorCommands: true })
      .asPromise();
    try {
      // The filter of every command on the runs collection (none for an insert: a claim is keyed by nature).
      const filters: unknown[] = [];
      watched.getClient().on('commandStarted', ({ commandName, command }) => {
        if (command[commandName] !== 'runs') return;
        if (commandName === 'find') filters.push(command.filter);
        if (commandName === 'findAndModify') filters.push(command.query);
        if (commandName === 'update' || commandName === 'delete') {
          const statements: unknown[] = [command.updates ?? command.deletes].flat();
          for (const statement of statements)
            filters.push(
              typeof statement === 'object' && statement !== null && 'q' in statement ? statement.q : null,
            );
        }
      });
      const seen = createModels(watched);
      const [memberId, ...page] = [newMember(), newMember(), newMember()];
      expect((await startRun(client, seen, request(plan, memberId))).status).toBe('started');
      await finishRun(plan, memberId);
      await closeAsTheRunDoes(plan, memberId, 0, 'completed', Date.now(), seen);
      expect((await startRun(client, seen, request(plan, memberId))).status).toBe('started');
      const trigger = testEvent({ type: 'community.meeting' });
      await startRuns(
        client,
        seen,
        page.map((member) => ({ plan, memberId: member, key: null, trigger, taskQueue })),
        { concurrency: 2 },
      );
      // An exit event about a member who never ran the playbook: Temporal has no such run, and the records
      // say so by key.
      const stranger = testEvent({ type: 'member.left', memberId: newMember() });
      expect(await routeEvent(client, seen, [plan], stranger)).toEqual([]);
      // FerretDB 1.24 reads from an index only for a filter of exactly `{ _id: <string> }`.
      expect(filters.length).toBeGreaterThan(5);
      expect(filters.filter((filter) => !isIdEquality(filter))).toEqual([]);
      expect(await stored(plan, memberId)).toEqual([
        { _id: runRecordId(`indexed:${memberId}`, 0), sequence: 0, status: 'completed' },
        { _id: runRecordId(`indexed:${memberId}`, 1), sequence: 1, status: 'running' },
      ]);
    } finally {
      await watched.close();
    }
  });
});

describe('records written before the keys (an ObjectId `_id`)', () => {
  const plan = testPlan({ id: 'legacy', reentry: { kind: 'always' } });

  it("are closed by the run's close", async () => {
    const memberId = newMember();
    const _id = await insertLegacy(plan, memberId, 0, 'running');
    await closeAsTheRunDoes(plan, memberId, 0, 'exited', Date.now());
    expect(await stored(plan, memberId)).toEqual([{ _id, sequence: 0, status: 'exited' }]);
  });

  it('are recovered when left `starting`', async () => {
    const memberId = newMember();
    const _id = await insertLegacy(plan, memberId, 0, 'starting');
    const result = await startRun(client, models, request(plan, memberId));
    expect(result.status).toBe('duplicate');
    expect(await stored(plan, memberId)).toEqual([{ _id, sequence: 0, status: 'running' }]);
    const description = await client.workflow.getHandle(result.workflowId).describe();
    expect(description.memo?.sequence).toBe(0);
  });

  it('count toward reentry: the next run is claimed after them, under its key', async () => {
    const memberId = newMember();
    const first = await insertLegacy(plan, memberId, 0, 'completed');
    const second = await insertLegacy(plan, memberId, 1, 'completed');
    expect((await startRun(client, models, request(plan, memberId))).status).toBe('started');
    const journey = runKey(plan.id, memberId, null);
    expect(await stored(plan, memberId)).toEqual([
      { _id: first, sequence: 0, status: 'completed' },
      { _id: second, sequence: 1, status: 'completed' },
      { _id: runRecordId(journey, 2), sequence: 2, status: 'running' },
    ]);
    expect((await latestRun(models, journey))?.sequence).toBe(2);
  });
});

describe('listing runs newest first', () => {
  it('pages through runs started in the same millisecond, each once', async () => {
    const plan = testPlan({ id: 'same-moment' });
    const startedAt = new Date();
    const members = [newMember(), newMember(), newMember()];
    await models.runs.insertMany(
      members.map((memberId, index) => ({
        ...runClaim(request(plan, memberId), 0),
        triggerId: `t-${index}`,
        status: 'completed' as const,
        startedAt,
        closedAt: startedAt,
      })),
    );
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const cursor = before === null ? undefined : (parseRunCursor(before) ?? undefined);
      const page = await listRuns(
        { client, models },
        { playbook: plan.id, limit: 1, ...(cursor === undefined ? {} : { before: cursor }) },
      );
      seen.push(...page.runs.map((run) => String(run.memberId)));
      before = page.next;
    } while (before !== null);
    expect([...seen].sort()).toEqual([...members].sort());
    expect(seen).toHaveLength(3);
    expect(parseRunCursor('not a cursor')).toBeNull();
  });
});
