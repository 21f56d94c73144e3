// `tend report [--from d] [--to d] [--subgroup s] [--json | --csv]`: the community health report
// (domain/reports/health, the same function as GET /v1/reports/health) over MONGODB_URI, in the zone of the
// community.yaml in PLAYBOOKS_DIR.

import { parseArgs } from 'node:util';
import { compilePlaybooks, readPlaybooksDir } from '../compiler/index.js';
import {
  healthReport,
  PeriodError,
  resolvePeriod,
  type HealthReport,
} from '../domain/reports/health/index.js';
import { MissingDatabase, withDatabase } from './database.js';
import { healthCsv } from './report/csv.js';
import { formatHealth } from './report/terminal.js';

export const REPORT_USAGE = `usage: tend report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--subgroup name] [--json | --csv]

Community health over a period (the last 90 days by default): 30/90-day retention by monthly cohort,
event attendance and no-shows, connection rate and introductions that took, NPS with response rate,
at-risk members and email pressure. Dates are days in the community's zone (community.yaml); an ISO 8601
date-time is accepted too. Reads MONGODB_URI and PLAYBOOKS_DIR (./playbooks). Definitions: docs/reports.md.`;

export interface ReportArgs {
  from?: string;
  to?: string;
  subgroup: string | null;
  output: 'terminal' | 'json' | 'csv';
}

export function parseReportArgs(args: string[]): ReportArgs | { help: true } | { error: string } {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        subgroup: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { error: `${error instanceof Error ? error.message : String(error)}\n\n${REPORT_USAGE}` };
  }
  if (values.help === true) return { help: true };
  if (values.json === true && values.csv === true)
    return { error: `--json and --csv: choose one\n\n${REPORT_USAGE}` };
  return {
    ...(values.from === undefined ? {} : { from: values.from }),
    ...(values.to === undefined ? {} : { to: values.to }),
    subgroup: values.subgroup ?? null,
    output: values.json === true ? 'json' : values.csv === true ? 'csv' : 'terminal',
  };
}

export function renderReport(report: HealthReport, output: ReportArgs['output']): string {
  if (output === 'json') return JSON.stringify(report, null, 2);
  if (output === 'csv') return healthCsv(report);
  return formatHealth(report);
}

export async function reportCommand(args: string[], env = process.env, now = new Date()): Promise<number> {
  const parsed = parseReportArgs(args);
  if ('help' in parsed) {
    console.log(REPORT_USAGE);
    return 0;
  }
  if ('error' in parsed) {
    console.error(parsed.error);
    return 2;
  }
  try {
    const zone = await communityZone(env.PLAYBOOKS_DIR ?? './playbooks');
    const period = resolvePeriod(parsed, zone, now);
    const report = await withDatabase(env, (models) =>
      healthReport(models, { ...period, subgroup: parsed.subgroup, now, zone }),
    );
    console.log(renderReport(report, parsed.output));
    return 0;
  } catch (error) {
    if (
      error instanceof PeriodError ||
      error instanceof MissingDatabase ||
      error instanceof CommunityUnreadable
    ) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

class CommunityUnreadable extends Error {
  override name = 'CommunityUnreadable';
}

/** Cohorts are the community's calendar months: its zone comes from community.yaml. */
async function communityZone(dir: string): Promise<string> {
  const community = compilePlaybooks(await readPlaybooksDir(dir)).community;
  if (community === null) {
    throw new CommunityUnreadable(`${dir}/community.yaml does not compile: run \`tend validate\` to see why`);
  }
  return community.settings.timezone;
}
