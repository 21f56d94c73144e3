// A playbook's funnel, as ../shared/docs/reports.md defines it (docs/reports.md writes down the choices it
// leaves open): per step in plan order, how many runs entered, went each way, wait there now, were sent,
// held, skipped and failed, exited there; for the playbook, runs started, completed, exited, failed and in
// flight, members apart from re-entries, and the goal's conversions. Runs are the run records (those started
// in the window, of the version asked for); what they did is their journal (db/journal.ts); the clicks on
// their emails are the click rows (db/clicks.ts), human first and raw beside.
//
// `playbookFunnel` reads the records; `summariseFunnel` is the arithmetic over them, kept apart so that the
// console, the API and the CLI show one computation and a test can check it against hand-made records.

import type { Goal, Plan } from '../../compiler/plan.js';
import type { ClickDoc, JournalDoc, Models, RunDoc } from '../../db/index.js';
import { readPlanVersion } from '../../domain/plans/planStore.js';
import { planStepRows, type PlanStepRow } from './planSteps.js';

export type FunnelModels = Pick<Models, 'runs' | 'journal' | 'plans' | 'clicks'>;

export interface FunnelQuery {
  playbook: string;
  /** null: every version, summed. */
  version: string | null;
  /** Runs started at or after `from` and before `to` (either may be null: no bound). */
  from: Date | null;
  to: Date | null;
}

export interface Counted {
  total: number;
  /** The total split by reason (skips, exits) or by the SMTP reply (failures). */
  byReason: Record<string, number>;
}

export interface StepFunnel {
  stepId: string;
  kind: PlanStepRow['kind'] | 'run';
  depth: number;
  template: string | null;
  /** Runs that reached the step. */
  entered: number;
  /** For `if`: how many went each way; null for other steps. */
  branches: { then: number; else: number } | null;
  /** Runs parked at this step now, and when the next of them wakes (null: only an event wakes them). */
  waiting: { runs: number; nextWakeAt: string | null };
  sent: number;
  /** Sends held at least once (each counted once), and the time they spent held in all. */
  held: { sends: number; totalHeldMs: number };
  skipped: Counted;
  failed: Counted;
  exited: Counted;
  clicks: StepClicks;
}

/**
 * Clicks on a step's email by the run's own member (../shared/docs/reports.md, "Clicks"): members with a human
 * click ÷ members it was sent to, and beside them the click requests themselves, human and raw (scanners).
 */
export interface StepClicks {
  /** Members with at least one human click. */
  members: number;
  /** Members the step's email was sent to. */
  sentTo: number;
  /** members ÷ sentTo; null when it went to nobody. */
  rate: number | null;
  human: number;
  raw: number;
}

export interface GoalFunnel {
  name: string;
  event: string;
  withinMs: number;
  conversions: number;
  /** Runs whose window has closed or that converted: the rate's denominator. */
  decided: number;
  /** conversions ÷ decided, or null while no run is decided. */
  rate: number | null;
  medianTimeToConvertMs: number | null;
  /** The last email each converted member got from the run before converting (`none`: no email yet). */
  lastEmail: { stepId: string; template: string | null; conversions: number }[];
}

export interface PlaybookFunnel {
  playbook: string;
  version: string | null;
  /** The versions whose runs are counted, oldest first. */
  versions: string[];
  from: string | null;
  to: string | null;
  runs: {
    started: number;
    completed: number;
    exited: number;
    failed: number;
    inFlight: number;
    /** Different members among the runs; `reentries` = their runs − members (community runs have none). */
    members: number;
    reentries: number;
  };
  goal: GoalFunnel | null;
  steps: StepFunnel[];
}

export class UnknownPlaybookError extends Error {
  override name = 'UnknownPlaybookError';
}

type RunRow = Pick<RunDoc, 'workflowId' | 'sequence' | 'memberId' | 'version' | 'startedAt'>;
type EntryRow = Omit<JournalDoc, 'playbook'>;
type ClickRow = Pick<ClickDoc, 'workflowId' | 'runStartedAt' | 'memberId' | 'stepId' | 'human'>;

/** The funnel of one playbook (one version, or all), from the run records and the journal. */
export async function playbookFunnel(
  models: FunnelModels,
  query: FunnelQuery,
  now: number,
): Promise<PlaybookFunnel> {
  const playbook = String(query.playbook);
  const versions = await storedVersions(models, playbook);
  if (versions.length === 0) throw new UnknownPlaybookError(`no playbook ${playbook}`);
  if (query.version !== null && !versions.some((v) => v.version === query.version))
    throw new UnknownPlaybookError(`playbook ${playbook} has no version ${query.version}`);
  const runFilter = {
    playbook,
    ...(query.version === null ? {} : { version: String(query.version) }),
    ...startedWithin(query),
  };
  const ofVersion = { playbook, ...(query.version === null ? {} : { version: String(query.version) }) };
  const [runs, entries, clicks] = await Promise.all([
    models.runs.find(runFilter).select(RUN_FIELDS).lean<RunRow[]>().exec(),
    models.journal.find(ofVersion).select({ playbook: 0 }).lean<EntryRow[]>().exec(),
    models.clicks.find(ofVersion).select(CLICK_FIELDS).lean<ClickRow[]>().exec(),
  ]);
  const shown = query.version ?? versions.find((v) => v.current)?.version ?? versions.at(-1)?.version;
  const plans = await Promise.all(
    versions
      .filter((v) => query.version === null || v.version === query.version)
      .map((v) => readPlanVersion(models, playbook, v.version)),
  );
  const main = plans.find((plan) => plan.version === shown) ?? plans[0];
  return summariseFunnel({ query, plans, main, runs, entries, clicks, now });
}

const RUN_FIELDS = { workflowId: 1, sequence: 1, memberId: 1, version: 1, startedAt: 1 } as const;
const CLICK_FIELDS = { workflowId: 1, runStartedAt: 1, memberId: 1, stepId: 1, human: 1 } as const;

function startedWithin(query: FunnelQuery): { startedAt?: { $gte?: Date; $lt?: Date } } {
  if (query.from === null && query.to === null) return {};
  return {
    startedAt: {
      ...(query.from === null ? {} : { $gte: query.from }),
      ...(query.to === null ? {} : { $lt: query.to }),
    },
  };
}

/** The playbook's compiled versions, oldest first. */
async function storedVersions(
  models: FunnelModels,
  playbook: string,
): Promise<{ version: string; current: boolean }[]> {
  const records = await models.plans
    .find({ playbook, version: { $ne: null } })
    .select({ version: 1, current: 1, compiledAt: 1 })
    .sort({ compiledAt: 1 })
    .lean()
    .exec();
  return records.flatMap((record) =>
    record.version === null ? [] : [{ version: record.version, current: record.current }],
  );
}

export interface FunnelRecords {
  query: FunnelQuery;
  /** The plans of the versions counted; `main` gives the order of the rows. */
  plans: readonly Plan[];
  main: Plan | undefined;
  runs: readonly RunRow[];
  entries: readonly EntryRow[];
  clicks: readonly ClickRow[];
  now: number;
}

/** The funnel's arithmetic over the records (see the file's header). */
export function summariseFunnel(records: FunnelRecords): PlaybookFunnel {
  const { query, plans, main, now } = records;
  const runIds = new Set(records.runs.map((run) => runName(run)));
  const byRun = new Map<string, EntryRow[]>();
  for (const entry of records.entries) {
    const name = runName(entry);
    if (!runIds.has(name)) continue;
    const list = byRun.get(name);
    if (list) list.push(entry);
    else byRun.set(name, [entry]);
  }
  for (const list of byRun.values()) list.sort((a, b) => a.seq - b.seq);

  const rows = new StepRows(rowOrder(main, plans));
  const closed = { completed: 0, exited: 0, failed: 0 };
  const conversions: EntryRow[] = [];
  for (const entries of byRun.values()) {
    const ending = countRun(entries, rows, now);
    if (ending !== null) closed[ending] += 1;
    const conversion = entries.find((entry) => entry.kind === 'converted');
    if (conversion) conversions.push(conversion);
  }
  countClicks(byRun, records.clicks, rows);
  const started = records.runs.length;
  // A community playbook's runs are about no member: each is its own firing, never a re-entry.
  const memberRuns = records.runs.filter((run) => run.memberId !== null);
  const members = new Set(memberRuns.map((run) => run.memberId)).size;
  const goal = main?.goal ?? null;
  return {
    playbook: query.playbook,
    version: query.version,
    versions: plans.map((plan) => plan.version),
    from: query.from?.toISOString() ?? null,
    to: query.to?.toISOString() ?? null,
    runs: {
      started,
      ...closed,
      inFlight: started - closed.completed - closed.exited - closed.failed,
      members,
      reentries: memberRuns.length - members,
    },
    goal: goal === null ? null : goalFunnel(goal, records.runs, byRun, conversions, now),
    steps: rows.all(),
  };
}

function runName(run: { workflowId: string; sequence: number }): string {
  return `${run.workflowId}#${run.sequence}`;
}

/**
 * Adds the clicks on the counted runs' emails to their steps. A click names its run by workflow id and start
 * (re-entries share the workflow id), which the journal gives each run; only the run's own member's clicks
 * count (the peer's copy of an introduction is not in `sentTo` either).
 */
function countClicks(
  byRun: ReadonlyMap<string, readonly EntryRow[]>,
  clicks: readonly ClickRow[],
  rows: StepRows,
): void {
  const sentTo = new Map<string, Set<string>>();
  const runs = new Map<string, string>();
  for (const entries of byRun.values()) {
    const first = entries[0];
    // A run of no member (a community-wide playbook's) sends no member email to click in.
    if (first === undefined || first.memberId === null) continue;
    const memberId = first.memberId;
    runs.set(`${first.workflowId}@${first.runStartedAt.getTime()}`, memberId);
    for (const entry of entries) if (entry.kind === 'sent') addTo(sentTo, entry.stepId, memberId);
  }
  const clickers = new Map<string, Set<string>>();
  for (const click of clicks) {
    if (runs.get(`${click.workflowId}@${click.runStartedAt.getTime()}`) !== click.memberId) continue;
    const counts = rows.get(click.stepId).clicks;
    if (!click.human) {
      counts.raw += 1;
      continue;
    }
    counts.human += 1;
    addTo(clickers, click.stepId, click.memberId);
  }
  for (const row of rows.all()) {
    row.clicks.sentTo = sentTo.get(row.stepId)?.size ?? 0;
    row.clicks.members = clickers.get(row.stepId)?.size ?? 0;
    row.clicks.rate = row.clicks.sentTo === 0 ? null : row.clicks.members / row.clicks.sentTo;
  }
}

function addTo(sets: Map<string, Set<string>>, key: string, value: string): void {
  const set = sets.get(key);
  if (set) set.add(value);
  else sets.set(key, new Set([value]));
}

/** The rows: the main version's steps, then steps only older versions have, in their own order. */
function rowOrder(main: Plan | undefined, plans: readonly Plan[]): PlanStepRow[] {
  const rows: PlanStepRow[] = [];
  const seen = new Set<string>();
  for (const plan of [main, ...plans]) {
    if (plan === undefined) continue;
    for (const row of planStepRows(plan)) {
      if (seen.has(row.stepId)) continue;
      seen.add(row.stepId);
      rows.push(row);
    }
  }
  return rows;
}

/**
 * Adds one run's entries to the rows; answers how the run ended, or null while it is in flight. A send is
 * named by its step and occurrence, so a send held three times counts as one held send.
 */
function countRun(entries: readonly EntryRow[], rows: StepRows, now: number): keyof ClosedCounts | null {
  const enteredSteps = new Set<string>();
  const heldSince = new Map<string, { stepId: string; at: number }>();
  let ending: keyof ClosedCounts | null = null;
  let last: EntryRow | undefined;
  for (const entry of entries) {
    if (entry.kind === 'converted') continue;
    last = entry;
    // The run's own notes (`completed`) name no step: only a note about a step makes its row.
    const row = (): StepFunnel => rows.get(entry.stepId);
    const send = `${entry.stepId}#${entry.occurrence ?? 0}`;
    switch (entry.kind) {
      case 'entered':
        if (!enteredSteps.has(entry.stepId)) row().entered += 1;
        enteredSteps.add(entry.stepId);
        break;
      case 'branch': {
        const branches = row().branches ?? { then: 0, else: 0 };
        branches[entry.branch === 'then' ? 'then' : 'else'] += 1;
        row().branches = branches;
        break;
      }
      case 'waiting':
        break;
      case 'held':
        if (!heldSince.has(send)) {
          heldSince.set(send, { stepId: entry.stepId, at: entry.at.getTime() });
          row().held.sends += 1;
        }
        break;
      case 'sent':
        row().sent += 1;
        endHold(heldSince, send, entry.at.getTime(), rows);
        break;
      case 'skipped':
        count(row().skipped, entry.reason ?? 'skipped');
        endHold(heldSince, send, entry.at.getTime(), rows);
        break;
      case 'failed':
        count(row().failed, entry.reason ?? 'failed');
        endHold(heldSince, send, entry.at.getTime(), rows);
        break;
      case 'exited':
        count(row().exited, entry.reason ?? 'exited');
        ending = 'exited';
        break;
      case 'completed':
        ending = 'completed';
        break;
      case 'run_failed':
        ending = 'failed';
        break;
    }
  }
  // Sends still held (the run is parked on them) have been held until now.
  for (const send of [...heldSince.keys()]) endHold(heldSince, send, now, rows);
  if (ending === null && last !== undefined && (last.kind === 'waiting' || last.kind === 'held')) {
    const row = rows.get(last.stepId);
    row.waiting.runs += 1;
    const wake = last.until?.getTime() ?? null;
    const next = row.waiting.nextWakeAt === null ? null : Date.parse(row.waiting.nextWakeAt);
    if (wake !== null && (next === null || wake < next))
      row.waiting.nextWakeAt = new Date(wake).toISOString();
  }
  return ending;
}

type ClosedCounts = { completed: number; exited: number; failed: number };

function endHold(
  heldSince: Map<string, { stepId: string; at: number }>,
  send: string,
  at: number,
  rows: StepRows,
): void {
  const hold = heldSince.get(send);
  if (hold === undefined) return;
  rows.get(hold.stepId).held.totalHeldMs += Math.max(0, at - hold.at);
  heldSince.delete(send);
}

function count(counted: Counted, reason: string): void {
  counted.total += 1;
  counted.byReason[reason] = (counted.byReason[reason] ?? 0) + 1;
}

function goalFunnel(
  goal: Goal,
  runs: readonly RunRow[],
  byRun: ReadonlyMap<string, readonly EntryRow[]>,
  conversions: readonly EntryRow[],
  now: number,
): GoalFunnel {
  const converted = new Set(conversions.map((entry) => runName(entry)));
  // A run's window is measured from its own start (the journal's), else from its record's.
  const windowClosed = runs.filter((run) => {
    const start = byRun.get(runName(run))?.[0]?.runStartedAt ?? run.startedAt;
    return !converted.has(runName(run)) && start.getTime() + goal.withinMs <= now;
  }).length;
  const decided = windowClosed + conversions.length;
  const times = conversions.map((entry) => entry.at.getTime() - entry.runStartedAt.getTime());
  const lastEmail = new Map<string, GoalFunnel['lastEmail'][number]>();
  for (const entry of conversions) {
    const key = `${entry.stepId}\u0000${entry.template ?? ''}`;
    const row = lastEmail.get(key) ?? { stepId: entry.stepId, template: entry.template, conversions: 0 };
    row.conversions += 1;
    lastEmail.set(key, row);
  }
  return {
    name: goal.name,
    event: goal.event,
    withinMs: goal.withinMs,
    conversions: conversions.length,
    decided,
    rate: decided === 0 ? null : conversions.length / decided,
    medianTimeToConvertMs: median(times),
    lastEmail: [...lastEmail.values()].sort((a, b) => b.conversions - a.conversions),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

/** The rows by step id; a step no plan names (`run`: before the first step) gets a row at the end. */
class StepRows {
  private readonly rows = new Map<string, StepFunnel>();

  constructor(order: readonly PlanStepRow[]) {
    for (const row of order)
      this.rows.set(row.stepId, emptyRow(row.stepId, row.kind, row.depth, row.template));
  }

  get(stepId: string): StepFunnel {
    let row = this.rows.get(stepId);
    if (row === undefined) {
      row = emptyRow(stepId, 'run', 0, null);
      this.rows.set(stepId, row);
    }
    return row;
  }

  all(): StepFunnel[] {
    return [...this.rows.values()];
  }
}

function emptyRow(
  stepId: string,
  kind: StepFunnel['kind'],
  depth: number,
  template: string | null,
): StepFunnel {
  return {
    stepId,
    kind,
    depth,
    template,
    entered: 0,
    branches: kind === 'if' ? { then: 0, else: 0 } : null,
    waiting: { runs: 0, nextWakeAt: null },
    sent: 0,
    held: { sends: 0, totalHeldMs: 0 },
    skipped: { total: 0, byReason: {} },
    failed: { total: 0, byReason: {} },
    exited: { total: 0, byReason: {} },
    clicks: { members: 0, sentTo: 0, rate: null, human: 0, raw: 0 },
  };
}
