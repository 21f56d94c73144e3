// `tend preview <playbook> --member <email | id | file.json> [--event <file.json | id>] [--start ISO]
//   [--events "member.active@3d,..."] [--peers file.json] [--out DIR] [--dir playbooks]`
//
// Shows what one member's run of a playbook will do, day by day, in the member's local time, without a
// server: the same interpreter core as a real run over a virtual clock, the real delivery policy and the
// real templates. With `--out`, every email is written as .eml, .html and .txt. A member (and an event) named
// by id or email is read from MongoDB when MONGODB_URI is set; nothing is ever written there.

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compilePlaybooks, formatDiagnostic, readPlaybooksDir } from '../compiler/index.js';
import { closestName } from '../compiler/didYouMean.js';
import type { Plan } from '../compiler/plan.js';
import type { EventRecord, MemberRecord, RsvpRecord } from '../compiler/records.js';
import { PreviewInputError } from '../preview/previewInputError.js';
import { previewRun, type PreviewResult } from '../preview/previewRun.js';
import { previewReport } from '../preview/previewReport.js';
import { parseScriptedEvents } from '../preview/scriptedEvents.js';
import { readDatabaseRecords } from './preview/databaseRecords.js';
import { writeEmailFiles } from './preview/emailFiles.js';
import { readEventsFile, readMemberFile, readPeersFile } from './preview/previewFiles.js';

const USAGE = `usage: tend preview <playbook> --member <email | id | file.json> [--event <file.json | id>]
         [--start ISO] [--events "member.active@3d,rsvp.cancelled@5d"] [--peers file.json]
         [--out DIR] [--dir playbooks]`;

export const HELP = `${USAGE}

Shows what one member's run of a playbook will do, day by day, at the member's local time, with the real
templates and delivery rules. Nothing is sent and nothing is written to the database.

  <playbook>            a playbook's name (onboarding), or its file (playbooks/onboarding.yaml)
  --member              the member: a JSON file, or with MONGODB_URI set, an id or an email
  --event               a JSON file with the run's event, or with a list of events: the upcoming events,
                        the first of which is the run's event; with MONGODB_URI set, an event id
  --start               when the run starts, like 2025-03-03T09:00:00Z (default: now)
  --events              events that reach the run, each type@duration or type@time with key=value data,
                        like "rsvp.created@3d,event.updated@5d startsAt=2025-04-02T18:30:00Z"
  --peers               a JSON file with a list of members an introduction may pick
  --out                 a folder to write every email to, as .eml, .html and .txt
  --dir                 the playbooks folder (default: PLAYBOOKS_DIR, else ./playbooks)

Records the preview needs and was not given (an event, an RSVP, upcoming events, a peer) are made up, and
the timeline names each one.`;

interface PreviewArgs {
  playbook: string;
  dir: string;
  member: string;
  event: string | null;
  peers: string | null;
  start: number;
  events: string;
  out: string | null;
}

export async function previewCommand(args: string[]): Promise<number> {
  const parsed = parsePreviewArgs(args, process.env);
  if ('error' in parsed) {
    console.error(`${parsed.error}\n${USAGE}`);
    return 2;
  }
  try {
    const plan = await compiledPlan(parsed.dir, parsed.playbook);
    if (typeof plan === 'string') {
      console.error(plan);
      return 1;
    }
    const records = await previewRecords(parsed, plan, process.env.MONGODB_URI ?? null);
    const result = await previewRun({
      plan,
      start: parsed.start,
      ...records,
      events: parseScriptedEvents(parsed.events, parsed.start),
    });
    console.log(report(plan, records.member, parsed, result).join('\n'));
    if (parsed.out !== null) {
      const files = await writeEmailFiles(parsed.out, result.emails);
      console.log(
        `Wrote ${count(result.emails.length, 'email')} as ${count(files.length, 'file')} to ${parsed.out}`,
      );
    }
    return 0;
  } catch (error) {
    if (!(error instanceof PreviewInputError)) throw error;
    console.error(error.message);
    return 1;
  }
}

export function parsePreviewArgs(
  args: string[],
  env: Record<string, string | undefined>,
): PreviewArgs | { error: string } {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        member: { type: 'string' },
        event: { type: 'string' },
        peers: { type: 'string' },
        start: { type: 'string' },
        events: { type: 'string' },
        out: { type: 'string' },
        dir: { type: 'string' },
      },
    }));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const [target, ...extra] = positionals;
  if (target === undefined) return { error: 'name the playbook to preview, e.g. tend preview onboarding' };
  if (extra.length > 0) return { error: `one playbook at a time (got ${positionals.join(', ')})` };
  if (values.member === undefined)
    return { error: '--member is required: an email, a member id or a file.json' };
  const start = values.start === undefined ? Date.now() : Date.parse(values.start);
  if (Number.isNaN(start))
    return { error: `--start "${values.start}" is not a date: write 2025-03-03T09:00:00Z` };
  // `tend preview playbooks/onboarding.yaml` names the folder and the playbook at once.
  const named = /\.ya?ml$/.test(target);
  return {
    playbook: path.basename(target).replace(/\.ya?ml$/, ''),
    dir: values.dir ?? (named ? path.dirname(target) : (env.PLAYBOOKS_DIR ?? './playbooks')),
    member: values.member,
    event: values.event ?? null,
    peers: values.peers ?? null,
    start,
    events: values.events ?? '',
    out: values.out ?? null,
  };
}

/** The playbook's plan, or the message that says why there is none (every error of its files). */
async function compiledPlan(dir: string, playbook: string): Promise<Plan | string> {
  const sources = await readPlaybooksDir(dir);
  const { plans, diagnostics } = compilePlaybooks(sources);
  const plan = plans.find((candidate) => candidate.id === playbook);
  if (plan) return plan;
  const ids = sources.playbooks.map((file) => path.posix.basename(file.path).replace(/\.ya?ml$/, ''));
  if (!ids.includes(playbook)) {
    const close = closestName(playbook, ids);
    return `no playbook "${playbook}" in ${sources.root}${close === null ? '' : ` (did you mean "${close}"?)`}`;
  }
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map(formatDiagnostic);
  return [`${playbook} does not compile:`, ...errors].join('\n');
}

interface Records {
  member: MemberRecord;
  event: EventRecord | null;
  rsvp: RsvpRecord | null;
  upcomingEvents: EventRecord[] | null;
  peers: MemberRecord[] | null;
}

async function previewRecords(args: PreviewArgs, plan: Plan, mongodbUri: string | null): Promise<Records> {
  const peers = args.peers === null ? null : await readPeersFile(args.peers);
  const eventsFile =
    args.event !== null && (await isFile(args.event)) ? await readEventsFile(args.event) : null;
  // One event is the run's event and the only one upcoming; a list is the upcoming events, the first the run's.
  const fromFile = eventsFile === null ? null : { event: eventsFile[0] ?? null, upcoming: eventsFile };
  if (await isFile(args.member)) {
    if (args.event !== null && eventsFile === null) {
      throw new PreviewInputError(
        `--event ${args.event}: no such file (an event id needs --member from the database)`,
      );
    }
    // Someone who has just applied is not a member yet: a file that does not say is previewed as such.
    const applying = plan.trigger.kind === 'event' && plan.trigger.event === 'member.applied';
    return {
      member: await readMemberFile(args.member, applying ? 'applied' : 'active'),
      event: fromFile?.event ?? null,
      rsvp: null,
      upcomingEvents: fromFile?.upcoming ?? null,
      peers,
    };
  }
  if (args.member.endsWith('.json')) throw new PreviewInputError(`--member ${args.member}: no such file`);
  if (mongodbUri === null) {
    throw new PreviewInputError(
      `--member ${args.member}: no such file. To preview a member from the database by id or email, set MONGODB_URI`,
    );
  }
  const eventId = args.event === null || eventsFile !== null ? null : args.event;
  const stored = await readDatabaseRecords(mongodbUri, {
    member: args.member,
    eventId,
    // emails7d is counted (a scan of the member's deliveries on FerretDB) only when the plan can read it.
    needs: { event: true, rsvp: true, upcomingEvents: true, emails7d: plan.needs.emails7d },
    now: args.start,
    zone: plan.community.timezone,
  });
  return {
    member: stored.member,
    event: fromFile?.event ?? stored.event,
    rsvp: stored.rsvp,
    upcomingEvents: fromFile?.upcoming ?? stored.upcomingEvents,
    peers,
  };
}

async function isFile(value: string): Promise<boolean> {
  try {
    return (await stat(value)).isFile();
  } catch {
    return false;
  }
}

function report(plan: Plan, member: MemberRecord, args: PreviewArgs, result: PreviewResult): string[] {
  const { title, notes, timeline, end } = previewReport(
    plan,
    member,
    args.start,
    result,
    ' (each named below)',
  );
  return [title, ...notes, '', ...timeline, '', end];
}

/** `1 email`, `3 files`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
