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
import { readDatabaseRecords } from './preview/databaseRecords.js';
import { writeEmailFiles } from './preview/emailFiles.js';
import { PreviewInputError, readEventFile, readMemberFile, readPeersFile } from './preview/previewFiles.js';
import { previewRun, type PreviewResult } from './preview/previewRun.js';
import { parseScriptedEvents } from './preview/scriptedEvents.js';
import { formatTimeline, localTime } from './preview/timeline.js';

const USAGE = `usage: tend preview <playbook> --member <email | id | file.json> [--event <file.json | id>]
         [--start ISO] [--events "member.active@3d,rsvp.cancelled@5d"] [--peers file.json]
         [--out DIR] [--dir playbooks]`;

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
      console.log(`Wrote ${files.length} files (${result.emails.length} emails) to ${parsed.out}`);
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
  const eventFile =
    args.event !== null && (await isFile(args.event)) ? await readEventFile(args.event) : null;
  if (await isFile(args.member)) {
    if (args.event !== null && eventFile === null) {
      throw new PreviewInputError(
        `--event ${args.event}: no such file (an event id needs --member from the database)`,
      );
    }
    // Someone who has just applied is not a member yet: a file that does not say is previewed as such.
    const applying = plan.trigger.kind === 'event' && plan.trigger.event === 'member.applied';
    return {
      member: await readMemberFile(args.member, applying ? 'applied' : 'active'),
      event: eventFile,
      rsvp: null,
      upcomingEvents: null,
      peers,
    };
  }
  if (args.member.endsWith('.json')) throw new PreviewInputError(`--member ${args.member}: no such file`);
  if (mongodbUri === null) {
    throw new PreviewInputError(
      `--member ${args.member}: no such file. To preview a member from the database by id or email, set MONGODB_URI`,
    );
  }
  const eventId = args.event === null || eventFile !== null ? null : args.event;
  const stored = await readDatabaseRecords(mongodbUri, {
    member: args.member,
    eventId,
    needs: { event: true, rsvp: true, upcomingEvents: plan.needs.upcomingEvents },
    now: args.start,
    zone: plan.community.timezone,
  });
  return {
    member: stored.member,
    event: eventFile ?? stored.event,
    rsvp: stored.rsvp,
    upcomingEvents: plan.needs.upcomingEvents ? stored.upcomingEvents : null,
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
  const { zone, end } = result;
  const who = member.name ?? member.firstName ?? member._id;
  const lines = [
    `${plan.name} (${plan.id}, version ${plan.version.slice(0, 12)}) for ${who} <${member.email}>`,
    `Times are in ${zone}, ${result.zoneOwner === 'member' ? "the member's time zone" : "the community's time zone (the member has none)"}.`,
    `Starts ${localTime(args.start, zone)}.`,
  ];
  if (!result.inAudience) {
    lines.push("Note: the playbook's audience would not select this member now; previewed all the same.");
  }
  if (result.synthetic.length > 0) {
    lines.push(
      `Made up for this preview: ${result.synthetic.join(' and ')} (pass --event file.json to use your own).`,
    );
  }
  lines.push('', ...formatTimeline(result.timeline, zone), '');
  const days = Math.round((end.at - args.start) / (24 * 3600_000));
  const when = `${localTime(end.at, zone)}, ${days} day${days === 1 ? '' : 's'} after the start`;
  const emails = `${result.emails.length} email${result.emails.length === 1 ? '' : 's'}`;
  switch (end.kind) {
    case 'completed':
      lines.push(`The run completes ${when}: ${emails}.`);
      break;
    case 'exited':
      lines.push(`The run ends ${when} (${end.reason ?? 'exit'}): ${emails}.`);
      break;
    case 'stopped':
      lines.push(`The preview stops ${when}: ${end.reason ?? ''}. ${emails} until then.`);
      break;
  }
  return lines;
}
