// The compiler's cost, against the least it could cost: compiling 200 generated playbooks that send 400
// templates, per playbook, next to parsing the same YAML alone (yaml's parseDocument) in the same run; and the
// cold start of `tend validate` on the shipped folder, as a manager or CI feels it. Measures; never asserts.

import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { buildTemplateLibrary } from '../compiler/emails/library.js';
import { readFolderFacts } from '../compiler/playbook/folderFacts.js';
import { compilePlaybooks, readPlaybooksDir } from '../compiler/index.js';
import { measuredOn, recordResult } from './engine/support/results.js';

const PLAYBOOKS = 200;
const ROUNDS = 5;
const COLD_STARTS = 5;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

function playbook(index: number): string {
  const first = `email-${2 * index}`;
  const second = `email-${2 * index + 1}`;
  const eventRun = index % 2 === 1;
  return [
    `name: Generated playbook ${index}`,
    `description: Sends ${first} and ${second}, with a condition, a wait for an event and a reminder.`,
    eventRun ? 'trigger: { event: rsvp.created, key: eventId }' : 'trigger: { event: member.approved }',
    'exit:',
    '  - event: member.left',
    '  - if: { member.status: { $in: [left, banned] } }',
    'steps:',
    '  - id: first',
    `    send_email: ${first}`,
    '  - wait: 2d',
    '  - id: nudge',
    '    if: { $or: [ { member.profile.bio: { $exists: false } }, { member.joinedAt: { $before: 14d } } ] }',
    '    then:',
    `      - send_email: { template: ${second}, category: community }`,
    '  - id: answer',
    '    wait_for: { event: member.active, timeout: 7d }',
    '    on_timeout:',
    '      - update_member: { add_tags: [quiet] }',
    eventRun
      ? '  - id: before\n    at: { time: event.startsAt, offset: -1d }\n    do:\n      - exit: reminded'
      : '  - exit: done',
    '',
  ].join('\n');
}

function template(index: number): string {
  return [
    '---',
    `subject: "Hello {{member.firstName}}, message ${index} from {{community.name}}"`,
    'preheader: A generated email',
    '---',
    '{{> greeting}}',
    `<p>This is email ${index}. You joined {{formatDate member.joinedAt}}.</p>`,
    '{{#if member.interests}}<p>You like {{#each member.interests}}{{this}} {{/each}}</p>{{/if}}',
    '{{#each upcoming_events}}<p>{{title}}, {{formatDateTime startsAt}}</p>{{/each}}',
    '',
  ].join('\n');
}

async function generateFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tend-compile-bench-'));
  await mkdir(path.join(dir, 'templates', 'layouts'), { recursive: true });
  await mkdir(path.join(dir, 'templates', 'partials'), { recursive: true });
  const community = [
    'name: Bench Club',
    'timezone: Europe/London',
    'from: "Bench Club <hello@bench.example>"',
    'postal_address: "1 Bench Street"',
    'delivery: { quiet_hours: { start: "21:00", end: "08:00" }, frequency_cap: { max: 3, per: 7d } }',
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'community.yaml'), community);
  await writeFile(
    path.join(dir, 'templates', 'layouts', 'default.hbs'),
    '<html><body>{{{body}}}{{> footer}}</body></html>\n',
  );
  await writeFile(
    path.join(dir, 'templates', 'partials', 'greeting.hbs'),
    '<p>Hi {{default member.firstName "there"}},</p>\n',
  );
  await writeFile(
    path.join(dir, 'templates', 'partials', 'footer.hbs'),
    '<p><a href="{{links.unsubscribe}}">Unsubscribe</a> {{community.postal_address}}</p>\n',
  );
  await Promise.all(
    Array.from({ length: PLAYBOOKS }, (_, index) =>
      writeFile(path.join(dir, `playbook-${index}.yaml`), playbook(index)),
    ),
  );
  await Promise.all(
    Array.from({ length: 2 * PLAYBOOKS }, (_, index) =>
      writeFile(path.join(dir, 'templates', `email-${index}.hbs`), template(index)),
    ),
  );
  return dir;
}

interface ProcessTime {
  /** Wall clock, ms. */
  wall: number;
  /** User + system CPU, ms: what the process itself cost, whatever else the machine is doing. */
  cpu: number;
}

/** COLD_STARTS new Node processes with these arguments, one after another, timed by bash's `time`. */
async function timedRuns(args: string[]): Promise<ProcessTime[]> {
  const run = promisify(execFile);
  const command = `TIMEFORMAT='%3R %3U %3S'; time "${process.execPath}" ${args.join(' ')} > /dev/null`;
  const times: ProcessTime[] = [];
  for (let round = 0; round < COLD_STARTS; round += 1) {
    const { stderr } = await run('bash', ['-c', command]);
    const [wall = 0, user = 0, system = 0] = (stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    times.push({ wall: wall * 1000, cpu: (user + system) * 1000 });
  }
  return times;
}

const dir = await generateFolder();
try {
  const sources = await readPlaybooksDir(dir);
  const texts = sources.playbooks.map((file) => file.text);
  const check = compilePlaybooks(sources);
  if (!check.ok || check.plans.length !== PLAYBOOKS) {
    throw new Error(
      `the generated folder does not compile: ${check.diagnostics.map((d) => d.message).join('; ')}`,
    );
  }
  const compileMs: number[] = [];
  const parseMs: number[] = [];
  const templatesMs: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    let started = performance.now();
    for (const text of texts) parseDocument(text);
    parseMs.push(performance.now() - started);
    started = performance.now();
    compilePlaybooks(sources);
    compileMs.push(performance.now() - started);
    started = performance.now();
    buildTemplateLibrary(sources, readFolderFacts(sources.playbooks));
    templatesMs.push(performance.now() - started);
  }
  const shipped = await readPlaybooksDir('playbooks');
  const runs = await timedRuns(['bin/tend.js', 'validate', 'playbooks']);
  const cold = runs.map((time) => time.wall);
  const coldCpu = median(runs.map((time) => time.cpu));
  const bareNode = median((await timedRuns(['-e', '0'])).map((time) => time.wall));
  const templateShare = Math.round((100 * median(templatesMs)) / median(compileMs));
  const perPlaybook = median(compileMs) / PLAYBOOKS;
  const perParse = median(parseMs) / PLAYBOOKS;
  const load = loadavg()[0] ?? 0;
  const figures = {
    compileFolderMs: median(compileMs),
    compilePerPlaybookMs: perPlaybook,
    parsePerPlaybookMs: perParse,
    ratio: perPlaybook / perParse,
    coldStartMedianMs: median(cold),
    coldStartCpuMedianMs: coldCpu,
    coldStartsMs: cold,
  };
  console.log(JSON.stringify(figures, null, 2));
  await recordResult(
    'Compile',
    'compile-playbooks',
    `### Compiling playbooks

${PLAYBOOKS} generated playbooks sending ${2 * PLAYBOOKS} templates (with a layout and two partials), compiled
${ROUNDS} times in one process after a first compile; the median. The baseline is yaml's \`parseDocument\` of the same
${PLAYBOOKS} files in the same rounds. ${measuredOn()} ${availableParallelism()} cores, load average ${load.toFixed(1)}
when it ran (the machine is shared: figures are relative to the baseline beside them).

| | per playbook (ms) | whole folder (ms) |
|---|---:|---:|
| \`parseDocument\` alone (baseline) | ${perParse.toFixed(2)} | ${median(parseMs).toFixed(0)} |
| \`compilePlaybooks\` (parse, schema, normalise, validate, templates, plan, version) | ${perPlaybook.toFixed(2)} | ${median(compileMs).toFixed(0)} |
| of which the ${2 * PLAYBOOKS} templates alone (Handlebars parse, name check, precompile) | ${(median(templatesMs) / PLAYBOOKS).toFixed(2)} | ${median(templatesMs).toFixed(0)} |

Ratio compile / parse: **${figures.ratio.toFixed(1)}**. The templates are ${templateShare}% of the compile: each is
parsed, walked for the names it reads and precompiled with Handlebars once per compile. The rest is the
playbooks: the YAML parse, the JSON Schema check, normalising, and each email walked again for what the step
that sends it can see.

### \`tend validate\` cold start

\`node bin/tend.js validate playbooks\` on the shipped folder (${shipped.playbooks.length} playbooks, ${shipped.templates.length} templates, ${shipped.layouts.length} layout(s), ${shipped.partials.length} partials),
${COLD_STARTS} runs one after another, each a new process (tsx loads the TypeScript sources): median
**${figures.coldStartMedianMs.toFixed(0)} ms**, fastest ${Math.min(...cold).toFixed(0)} ms (runs: ${cold.map((ms) => ms.toFixed(0)).join(', ')} ms).
The CPU each run used itself (user + system, median), which the load on a shared machine hardly changes:
**${coldCpu.toFixed(0)} ms**. A bare \`node -e 0\` took ${bareNode.toFixed(0)} ms (median of ${COLD_STARTS}) in the same minute.`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
