// Counts the round trips Tend makes to its servers: every MongoDB command (from the driver's command
// monitoring), labelled by what it does and whether FerretDB can serve it from an index, and the Temporal tasks
// a workflow's history records (each workflow task and each activity task is a poll and a completion).

import type { Client } from '@temporalio/client';
import type { Connection as MongoConnection } from 'mongoose';

/** One kind of MongoDB command: `find members by email`, with whether the filter is an `_id` equality. */
export interface CommandKind {
  label: string;
  /** Whether FerretDB 1.24 serves it from an index (`isIdEquality`); anything else scans the collection. */
  keyed: boolean;
  count: number;
}

export interface CommandCounter {
  /** Forgets what was counted so far. */
  reset(): void;
  /** The kinds counted since the last reset, most frequent first. */
  kinds(): CommandKind[];
  total(): number;
  stop(): void;
}

const FILTER_FIELDS: Record<string, (command: Record<string, unknown>) => unknown> = {
  find: (command) => command.filter,
  count: (command) => command.query,
  aggregate: (command) => (Array.isArray(command.pipeline) ? firstMatch(command.pipeline) : undefined),
  findAndModify: (command) => command.query,
  update: (command) => firstOf(command.updates, 'q'),
  delete: (command) => firstOf(command.deletes, 'q'),
};

/** Counts the commands the connection's client sends, from now on (the client must monitor commands). */
export function countCommands(database: MongoConnection): CommandCounter {
  const kinds = new Map<string, CommandKind>();
  const client = database.getClient();
  const listener = (event: { commandName: string; command: Record<string, unknown> }) => {
    const { commandName, command } = event;
    const collection = command[commandName];
    if (typeof collection !== 'string') return; // hello, ping, endSessions: connection upkeep
    const filter = FILTER_FIELDS[commandName]?.(command);
    const keys = isRecord(filter) ? Object.keys(filter).sort() : [];
    const keyed = commandName === 'insert' || (isRecord(filter) && isIdEquality(filter));
    const label = `${commandName} ${collection}${keys.length > 0 ? ` by ${keys.join(', ')}` : ''}`;
    const kind = kinds.get(label) ?? { label, keyed, count: 0 };
    kind.count += 1;
    kinds.set(label, kind);
  };
  client.on('commandStarted', listener);
  return {
    reset: () => kinds.clear(),
    kinds: () => [...kinds.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
    total: () => [...kinds.values()].reduce((sum, kind) => sum + kind.count, 0),
    stop: () => client.off('commandStarted', listener),
  };
}

/** Workflow tasks and activity tasks in the histories of these workflows. */
export async function temporalTasks(
  client: Client,
  workflowIds: readonly string[],
): Promise<{ workflowTasks: number; activityTasks: number; signals: number }> {
  const totals = { workflowTasks: 0, activityTasks: 0, signals: 0 };
  for (const workflowId of workflowIds) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    for (const event of events) {
      if (event.workflowTaskCompletedEventAttributes) totals.workflowTasks += 1;
      if (event.activityTaskScheduledEventAttributes) totals.activityTasks += 1;
      if (event.workflowExecutionSignaledEventAttributes) totals.signals += 1;
    }
  }
  return totals;
}

/**
 * FerretDB 1.24 on SQLite reads from an index only when the filter is exactly `{ _id: <string or ObjectId> }`
 * (its sqlite backend's Query): a second key, even beside `_id`, makes it read the whole collection.
 */
function isIdEquality(filter: Record<string, unknown>): boolean {
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return false;
  const id = filter._id;
  return (
    typeof id === 'string' || (typeof id === 'object' && id !== null && !Object.keys(id).some(isOperator))
  );
}

const isOperator = (key: string): boolean => key.startsWith('$');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstOf(list: unknown, field: string): unknown {
  return Array.isArray(list) && isRecord(list[0]) ? list[0][field] : undefined;
}

function firstMatch(pipeline: unknown[]): unknown {
  const stage = pipeline[0];
  return isRecord(stage) ? stage.$match : undefined;
}
