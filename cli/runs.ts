// `tend runs [--member id] [--playbook id] [--status running|closed] [--limit n]`: the runs Tend has started,
// newest first, with what each is doing now (current step, next wake-up) as the run itself reports it.
//
// The list comes from the runs collection (every run is recorded there before it starts); each open run is
// then asked for its state with the `status` query. A record that says open but whose workflow has closed is
// corrected on the way, so `--status` filters on the truth.

import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { listRuns as listRunRecords } from '../domain/runs/listRuns.js';
import { isOpen, type RunRecord } from '../domain/runs/runRecords.js';
import { loadConfig } from '../contract/config.js';
import { createModels, type Models, type RunRecordStatus } from '../db/index.js';
import type { RunState } from '../contract/runtime.js';
import { statusQuery } from '../contract/workflows.js';
import { connectDatabase, connectTemporal } from './servers.js';
import { formatTable } from './table.js';

export interface RunFilter {
  memberId?: string;
  playbook?: string;
  status?: 'running' | 'closed';
  limit: number;
}

export interface RunListing {
  workflowId: string;
  playbook: string;
  version: string;
  /** Null for a community playbook's run. */
  memberId: string | null;
  status: RunRecordStatus;
  startedAt: Date;
  /** From the run's `status` query; null when the run is closed or did not answer in time. */
  currentStep: string | null;
  nextWakeAt: number | null;
}

/** A run that does not answer within this (no worker is running) is listed without its live state. */
const QUERY_DEADLINE_MS = 3_000;

export async function listRuns(
  deps: { client: Client; models: Pick<Models, 'runs'> },
  filter: RunFilter,
): Promise<RunListing[]> {
  const status = filter.status === 'running' ? 'open' : filter.status;
  const { runs } = await listRunRecords(deps, { ...filter, status });
  return Promise.all(runs.map((record) => listing(deps, record)));
}

async function listing(deps: { client: Client }, record: RunRecord): Promise<RunListing> {
  const base: RunListing = {
    workflowId: record.workflowId,
    playbook: record.playbook,
    version: record.version,
    memberId: record.memberId,
    status: record.status,
    startedAt: record.startedAt,
    currentStep: null,
    nextWakeAt: null,
  };
  if (!isOpen(record.status) || record.status === 'starting') return base;
  const state = await liveState(deps.client, record.workflowId);
  return state === null
    ? base
    : { ...base, status: state.status, currentStep: state.currentStep, nextWakeAt: state.nextWakeAt };
}

async function liveState(client: Client, workflowId: string): Promise<RunState | null> {
  try {
    return await client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
      client.workflow.getHandle(workflowId).query(statusQuery),
    );
  } catch {
    // No worker answered in time (none is running, or it is busy): the list still shows what the record says.
    return null;
  }
}

export const USAGE = 'usage: tend runs [--member id] [--playbook id] [--status running|closed] [--limit n]';

/** Parses the arguments after `runs`; a message for the user instead of a filter when they are wrong. */
export function parseRunsArgs(args: string[]): RunFilter | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        member: { type: 'string' },
        playbook: { type: 'string' },
        status: { type: 'string' },
        limit: { type: 'string', default: '50' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { error: `${error instanceof Error ? error.message : String(error)}\n${USAGE}` };
  }
  const { member, playbook, status, limit } = parsed;
  if (status !== undefined && status !== 'running' && status !== 'closed') {
    return { error: `--status must be running or closed, not "${status}"\n${USAGE}` };
  }
  const count = Number(limit);
  if (!Number.isInteger(count) || count < 1) return { error: `--limit must be a positive number\n${USAGE}` };
  return {
    limit: count,
    ...(member === undefined ? {} : { memberId: member }),
    ...(playbook === undefined ? {} : { playbook }),
    ...(status === undefined ? {} : { status }),
  };
}

/** One line per run, in columns; times in UTC ISO 8601 to the minute. */
export function formatRuns(runs: readonly RunListing[]): string {
  if (runs.length === 0) return 'no runs';
  const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const rows = [
    ['RUN', 'STATUS', 'STEP', 'NEXT WAKE-UP', 'STARTED', 'VERSION'],
    ...runs.map((run) => [
      run.workflowId,
      run.status,
      run.currentStep ?? '-',
      run.nextWakeAt === null ? '-' : minute(run.nextWakeAt),
      minute(run.startedAt.getTime()),
      run.version.slice(0, 8),
    ]),
  ];
  return formatTable(rows);
}

/** The `tend runs` command: prints the runs and returns the process exit code. */
export async function runsCommand(args: string[]): Promise<number> {
  const filter = parseRunsArgs(args);
  if ('error' in filter) {
    console.error(filter.error);
    return 2;
  }
  const config = loadConfig();
  const database = await connectDatabase(config.mongodbUri);
  const connection = await connectTemporal(config.temporal.address).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    console.log(formatRuns(await listRuns({ client, models: createModels(database) }, filter)));
    return 0;
  } finally {
    await Promise.all([connection.close(), database.close()]);
  }
}
