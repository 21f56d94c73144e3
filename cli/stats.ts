// `tend stats <playbook> [--version v] [--from iso] [--to iso] [--json | --csv]`: a playbook's funnel
// (domain/journal/funnel.ts, the figures docs/reports.md defines) as a table in plan order, nested steps indented
// under their parent; `--json` prints what GET /v1/playbooks/:id/stats answers, `--csv` one row per step.

import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { loadConfig } from '../contract/config.js';
import { createModels } from '../db/index.js';
import {
  playbookFunnel,
  UnknownPlaybookError,
  type Counted,
  type FunnelQuery,
  type PlaybookFunnel,
  type StepFunnel,
} from '../domain/journal/funnel.js';

export const STATS_USAGE = [
  'usage: tend stats <playbook> [--version v] [--from iso-time] [--to iso-time] [--json | --csv]',
  '',
  "  Shows a playbook's funnel: per step, how many runs entered, went then/else, wait there now, were",
  '  sent, held, skipped and failed (by reason), and exited there (by reason), and who clicked in the email',
  '  (members with a human click of members sent to, then the raw clicks of scanners); the runs started,',
  "  completed, exited, failed and in flight; the members apart from re-entries; the goal's conversions.",
  '',
  '  --version v    one version (all versions, summed, by default)',
  '  --from, --to   only runs started in [from, to)',
  '  --json         the figures as JSON (as GET /v1/playbooks/:id/stats answers)',
  '  --csv          one row per step, for a spreadsheet',
].join('\n');

export type StatsFormat = 'table' | 'json' | 'csv';
export type StatsArgs = { help: true } | { help: false; query: FunnelQuery; format: StatsFormat };

/** Parses the arguments after `stats`; a message for the user instead when they are wrong. */
export function parseStatsArgs(args: string[]): StatsArgs | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        version: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    return { error: `${error instanceof Error ? error.message : String(error)}\n${STATS_USAGE}` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [playbook, ...extra] = positionals;
  if (playbook === undefined || extra.length > 0) return { error: `name one playbook\n${STATS_USAGE}` };
  if (values.json && values.csv) return { error: `--json or --csv, not both\n${STATS_USAGE}` };
  const from = parseTime('--from', values.from);
  const to = parseTime('--to', values.to);
  if ('error' in from) return from;
  if ('error' in to) return to;
  return {
    help: false,
    format: values.json ? 'json' : values.csv ? 'csv' : 'table',
    query: { playbook, version: values.version ?? null, from: from.date, to: to.date },
  };
}

function parseTime(flag: string, value: string | undefined): { date: Date | null } | { error: string } {
  if (value === undefined) return { date: null };
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? { error: `${flag} must be a time like 2026-11-01 or 2026-11-01T09:00Z, not "${value}"` }
    : { date };
}

const COLUMNS = [
  'STEP',
  'ENTERED',
  'THEN/ELSE',
  'WAITING',
  'SENT',
  'HELD',
  'SKIPPED',
  'FAILED',
  'EXITED',
  'CLICKED',
  'RAW',
];

/** The funnel as a terminal table, then the reasons behind skips, failures and exits, then the goal. */
export function formatFunnel(funnel: PlaybookFunnel): string {
  const { runs } = funnel;
  const head = [
    `${funnel.playbook}  ${funnel.version === null ? `all versions (${funnel.versions.length})` : `version ${funnel.version}`}`,
    `runs: ${runs.started} started, ${runs.completed} completed, ${runs.exited} exited, ${runs.failed} failed, ` +
      `${runs.inFlight} in flight; ${runs.members} members, ${runs.reentries} re-entries`,
  ];
  const rows = [COLUMNS, ...funnel.steps.map(tableRow)];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const table = rows.map((row) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
  return [...head, '', ...table, ...reasonLines(funnel.steps), ...goalLines(funnel)].join('\n');
}

function tableRow(step: StepFunnel): string[] {
  const waiting =
    step.waiting.runs === 0
      ? '-'
      : `${step.waiting.runs}${step.waiting.nextWakeAt === null ? '' : ` (next ${minute(step.waiting.nextWakeAt)})`}`;
  return [
    `${'  '.repeat(step.depth)}${step.stepId}`,
    String(step.entered),
    step.branches === null ? '-' : `${step.branches.then}/${step.branches.else}`,
    waiting,
    String(step.sent),
    step.held.sends === 0 ? '0' : `${step.held.sends} (${hours(step.held.totalHeldMs)})`,
    String(step.skipped.total),
    String(step.failed.total),
    String(step.exited.total),
    ...clickCells(step),
  ];
}

/** Human first (members who clicked of members sent to, and the share), raw clicks beside; `-` off sends. */
function clickCells({ clicks }: StepFunnel): [string, string] {
  if (clicks.sentTo === 0 && clicks.human === 0 && clicks.raw === 0) return ['-', '-'];
  const rate = clicks.rate === null ? '' : ` (${Math.round(clicks.rate * 100)}%)`;
  return [`${clicks.members}/${clicks.sentTo}${rate}`, String(clicks.raw)];
}

function reasonLines(steps: readonly StepFunnel[]): string[] {
  const lines: string[] = [];
  for (const step of steps) {
    for (const [what, counted] of [
      ['skipped', step.skipped],
      ['failed', step.failed],
      ['exited', step.exited],
    ] as const) {
      if (counted.total > 0) lines.push(`  ${step.stepId} ${what}: ${reasonText(counted)}`);
    }
  }
  return lines.length === 0 ? [] : ['', 'why:', ...lines];
}

function goalLines(funnel: PlaybookFunnel): string[] {
  const { goal } = funnel;
  if (goal === null) return [];
  const rate = goal.rate === null ? 'no run decided yet' : `${(goal.rate * 100).toFixed(1)}%`;
  const median = goal.medianTimeToConvertMs === null ? '-' : hours(goal.medianTimeToConvertMs);
  return [
    '',
    `goal: ${goal.name} (${goal.event})`,
    `  ${goal.conversions} converted of ${goal.decided} decided: ${rate}; median time to convert ${median}`,
    ...goal.lastEmail.map(
      (row) =>
        `  last email before converting: ${row.template ?? 'none'} (${row.stepId}): ${row.conversions}`,
    ),
  ];
}

function reasonText(counted: Counted): string {
  return Object.entries(counted.byReason)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
}

const CSV_HEADER = [
  'step',
  'depth',
  'template',
  'entered',
  'then',
  'else',
  'waiting',
  'next_wake_at',
  'sent',
  'held',
  'held_ms',
  'skipped',
  'skipped_reasons',
  'failed',
  'failed_replies',
  'exited',
  'exit_reasons',
  'clicked_members',
  'sent_to_members',
  'human_clicks',
  'raw_clicks',
];

/** One row per step (RFC 4180 quoting); reasons as `reason=count` joined by `; `. */
export function funnelCsv(funnel: PlaybookFunnel): string {
  const rows = funnel.steps.map((step) => [
    step.stepId,
    String(step.depth),
    step.template ?? '',
    String(step.entered),
    step.branches === null ? '' : String(step.branches.then),
    step.branches === null ? '' : String(step.branches.else),
    String(step.waiting.runs),
    step.waiting.nextWakeAt ?? '',
    String(step.sent),
    String(step.held.sends),
    String(step.held.totalHeldMs),
    String(step.skipped.total),
    csvReasons(step.skipped),
    String(step.failed.total),
    csvReasons(step.failed),
    String(step.exited.total),
    csvReasons(step.exited),
    String(step.clicks.members),
    String(step.clicks.sentTo),
    String(step.clicks.human),
    String(step.clicks.raw),
  ]);
  return [CSV_HEADER, ...rows].map((row) => row.map(csvCell).join(',')).join('\n');
}

function csvReasons(counted: Counted): string {
  return Object.entries(counted.byReason)
    .map(([reason, count]) => `${reason}=${count}`)
    .join('; ');
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function minute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function hours(ms: number): string {
  return `${(ms / 3_600_000).toFixed(1)}h`;
}

/** The `tend stats` command: prints the funnel and returns the process exit code. */
export async function statsCommand(args: string[]): Promise<number> {
  const parsed = parseStatsArgs(args);
  if ('error' in parsed) {
    console.error(parsed.error);
    return 2;
  }
  if (parsed.help) {
    console.log(STATS_USAGE);
    return 0;
  }
  const config = loadConfig();
  const database = await mongoose.createConnection(config.mongodbUri, { autoIndex: false }).asPromise();
  try {
    const funnel = await playbookFunnel(createModels(database), parsed.query, Date.now());
    const print = {
      table: formatFunnel,
      json: (f: PlaybookFunnel) => JSON.stringify(f, null, 2),
      csv: funnelCsv,
    };
    console.log(print[parsed.format](funnel));
    return 0;
  } catch (error) {
    if (!(error instanceof UnknownPlaybookError)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    await database.close();
  }
}
