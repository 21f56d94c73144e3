// A manager's first hour with `tend preview` and `tend --help`, through the real CLI: the "first event nudge"
// of docs/examples previewed with three real upcoming events, scripted RSVPs moving member.activity, every
// made-up record named, and the exact messages for the mistakes a newcomer makes.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = path.join(ROOT, 'docs/examples/first-event-nudge');
const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function tend(args: string[]): Promise<CliResult> {
  const { MONGODB_URI: _ignored, ...env } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/tend.js', ...args], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (typeof error !== 'object' || error === null) throw error;
    return {
      code: 'code' in error && typeof error.code === 'number' ? error.code : -1,
      stdout: 'stdout' in error && typeof error.stdout === 'string' ? error.stdout : '',
      stderr: 'stderr' in error && typeof error.stderr === 'string' ? error.stderr : '',
    };
  }
}

/** The timeline lines of a preview, with runs of spaces made one. */
const timelineOf = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((line) => /^\w{3} \d{2} \w{3} 2025/.test(line))
    .map((line) => line.replace(/\s+/g, ' '));

let work = '';
let dir = '';
const file = (name: string) => path.join(work, name);
const START = '2025-03-03T11:00:00Z';

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tend-first-hour-'));
  // The shipped folder with the example copied in, as its comment tells a manager to do.
  dir = file('playbooks');
  await cp(path.join(ROOT, 'playbooks'), dir, { recursive: true });
  await cp(path.join(EXAMPLE, 'first-event-nudge.yaml'), path.join(dir, 'first-event-nudge.yaml'));
  for (const template of await readdir(path.join(EXAMPLE, 'templates'))) {
    await cp(path.join(EXAMPLE, 'templates', template), path.join(dir, 'templates', template));
  }
  const ada = {
    email: 'ada@example.org',
    name: 'Ada Lovelace',
    firstName: 'Ada',
    timezone: 'America/New_York',
  };
  await writeFile(file('ada.json'), JSON.stringify(ada));
  await writeFile(file('kenji.json'), JSON.stringify({ ...ada, name: 'Kenji Sato', timezone: 'Asia/Tokyo' }));
  await writeFile(
    file('three-events.json'),
    JSON.stringify([
      {
        _id: 'ev-hills',
        title: 'Hill repeats',
        startsAt: '2025-03-12T18:30:00Z',
        location: 'Parliament Hill',
      },
      { _id: 'ev-10k', title: 'Riverside 10k', startsAt: '2025-03-15T09:00:00Z' },
      { _id: 'ev-track', title: 'Track night', startsAt: '2025-03-19T19:00:00Z' },
    ]),
  );
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the first event nudge', () => {
  it('validates', async () => {
    const result = await tend(['validate', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('first-event-nudge');
  });

  it('previews with three real upcoming events: the invite at 10:00 their time lists all three', async () => {
    const out = file('nudge-emails');
    const args = ['--member', file('ada.json'), '--event', file('three-events.json'), '--start', START];
    const result = await tend(['preview', 'first-event-nudge', '--dir', dir, ...args, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('made up');
    expect(result.stdout).toContain(
      'member.activity at the start: rsvps 0, attended 0, surveys 0, introductions 0, emails7d 0.',
    );
    expect(timelineOf(result.stdout)).toEqual([
      'Sat 08 Mar 2025 06:00 EST steps.0 waited until Sat 08 Mar 2025 06:00 EST',
      'Sat 08 Mar 2025 10:00 EST ten-am waited until 10:00 in America/New_York',
      'Sat 08 Mar 2025 10:00 EST no-rsvp-yet condition holds: then',
      'Sat 08 Mar 2025 10:00 EST first-event-invite email "Come along to your first Riverside Running Club event" to ada@example.org',
      'Sat 15 Mar 2025 11:00 EDT steps.3 waited until Sat 15 Mar 2025 11:00 EDT',
      'Sat 15 Mar 2025 11:00 EDT still-no-rsvp condition holds: then',
      'Sat 15 Mar 2025 11:00 EDT tell-organisers email "Ada Lovelace hasn\'t RSVP\'d to an event yet" to organisers@riverside.example',
    ]);
    expect(result.stdout).toContain(`Wrote 2 emails as 6 files to ${out}`);
    const invite = await readFile(path.join(out, '01-first-event-invite.txt'), 'utf8');
    for (const title of ['Hill repeats', 'Riverside 10k', 'Track night']) expect(invite).toContain(title);
  });

  it('sends nothing to a member whose scripted RSVP moves member.activity, and names the event it made up', async () => {
    const result = await tend([
      ...['preview', 'first-event-nudge', '--dir', dir, '--member', file('ada.json')],
      ...['--start', START, '--events', 'rsvp.created@2d'],
    ]);
    expect(result.stderr).toBe('');
    expect(timelineOf(result.stdout)).toEqual([
      'Mon 03 Mar 2025 06:00 EST made up for this preview: upcoming_events, one event: "Riverside 5k social run" (preview-event, Thu 13 Mar 18:30 GMT); pass --event events.json with a list for yours',
      'Mon 03 Mar 2025 06:00 EST made up for this preview: the event the --events RSVPs and responses are about "Riverside 5k social run" (preview-event, Thu 13 Mar 18:30 GMT); the playbook itself has none',
      'Wed 05 Mar 2025 06:00 EST rsvp.created moves member.activity: rsvps 0 -> 1, lastRsvpAt (none) -> Wed 05 Mar 2025 06:00 EST',
      'Wed 05 Mar 2025 06:00 EST steps.0 rsvp.created arrived: ignored',
      'Sat 08 Mar 2025 06:00 EST steps.0 waited until Sat 08 Mar 2025 06:00 EST',
      'Sat 08 Mar 2025 10:00 EST ten-am waited until 10:00 in America/New_York',
      'Sat 08 Mar 2025 10:00 EST no-rsvp-yet condition does not hold: no else, the run goes on',
      'Sat 15 Mar 2025 11:00 EDT steps.3 waited until Sat 15 Mar 2025 11:00 EDT',
      'Sat 15 Mar 2025 11:00 EDT still-no-rsvp condition does not hold: no else, the run goes on',
    ]);
    expect(result.stdout).toContain('0 emails.');
  });

  it("shows the organisers' email held by quiet hours in the community's zone, not the member's", async () => {
    const args = ['--member', file('kenji.json'), '--event', file('three-events.json'), '--start', START];
    const result = await tend(['preview', 'first-event-nudge', '--dir', dir, ...args]);
    // 10:00 in Tokyo is 01:00 in London: inside the organisers' quiet hours (21:00-08:00 community time).
    expect(timelineOf(result.stdout)).toContain(
      "Sun 16 Mar 2025 10:00 GMT+9 tell-organisers first-event-no-rsvp held by quiet hours until Sun 16 Mar 2025 08:00 GMT (the organisers' time, Europe/London)",
    );
  });
});

describe('what a newcomer gets wrong, told exactly', () => {
  it('names the field of the event that is wrong in a list of events', async () => {
    await writeFile(
      file('bad-events.json'),
      JSON.stringify([
        { title: 'Hills', startsAt: 'next Tuesday' },
        { title: 'Track', status: 'open' },
      ]),
    );
    const args = ['--member', file('ada.json'), '--event', file('bad-events.json')];
    const result = await tend(['preview', 'first-event-nudge', '--dir', dir, ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${file('bad-events.json')}: [0].startsAt must be an ISO 8601 date and time, e.g. 2025-06-01T18:30:00Z (found "next Tuesday")`,
      `${file('bad-events.json')}: [1].status must be one of: draft, published, cancelled, ended (found "open")`,
    ]);
  });

  it.each([[{ events: true }], ['events']])(
    'says what unsubscribed takes (given %j)',
    async (unsubscribed) => {
      await writeFile(file('unsubscribed.json'), JSON.stringify({ email: 'ada@example.org', unsubscribed }));
      const result = await tend(['preview', 'onboarding', '--member', file('unsubscribed.json')]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `${file('unsubscribed.json')}: unsubscribed must be a list of the categories the member has unsubscribed from, like ["events"] (events, community, surveys) (found ${JSON.stringify(unsubscribed)})`,
      );
    },
  );

  it.each([['validate'], ['preview'], ['runs'], ['schema'], ['stats']])(
    'tend %s --help says how to use it',
    async (command) => {
      const result = await tend([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`^usage: tend ${command} `));
    },
  );

  it('tend --help lists the commands and points at their help', async () => {
    const result = await tend(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(
      'tend <command> --help says more about one command.',
    );
  });
});
