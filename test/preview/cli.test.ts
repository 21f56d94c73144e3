// `tend preview` as a manager runs it: the real CLI in a child process, over the shipped playbooks, with the
// member from a JSON file or (MONGODB_URI set) from a real MongoDB-wire server.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModels } from '../../db/index.js';
import { useTestDatabase } from '../support/mongo.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tend <args>` from the repository root, as `npx tend` does. DATA_DIR names a folder with no dev
 * settings in it, so a dev stack run in this checkout (.data/dev-settings.json) lends the CLI no MONGODB_URI.
 */
async function tend(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { MONGODB_URI: _ignored, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/tend.js', ...args], {
      cwd: ROOT,
      env: { ...inherited, DATA_DIR: path.join(tmpdir(), 'tend-preview-no-dev-settings'), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    // execFile rejects on a non-zero exit, with the exit code and the output on the error.
    if (typeof error !== 'object' || error === null) throw error;
    return {
      code: 'code' in error && typeof error.code === 'number' ? error.code : -1,
      stdout: 'stdout' in error && typeof error.stdout === 'string' ? error.stdout : '',
      stderr: 'stderr' in error && typeof error.stderr === 'string' ? error.stderr : '',
    };
  }
}

let work = '';
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tend-preview-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

// 11:00 UTC is 06:00 in New York: inside quiet hours (21:00-08:00 in community.yaml).
const START = '2025-03-03T11:00:00Z';

describe('tend preview onboarding --member file.json', () => {
  let result: CliResult;
  let out = '';
  beforeAll(async () => {
    const member = path.join(work, 'ada.json');
    out = path.join(work, 'emails');
    await writeFile(
      member,
      JSON.stringify({
        _id: 'm-ada',
        email: 'ada@example.org',
        name: 'Ada Lovelace',
        firstName: 'Ada',
        timezone: 'America/New_York',
        interests: ['hills'],
      }),
    );
    result = await tend(['preview', 'onboarding', '--member', member, '--start', START, '--out', out]);
  });

  it('prints the month-long timeline at the member’s local times', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      expect.stringMatching(
        /^New member onboarding \(onboarding, version [0-9a-f]{12}\) for Ada Lovelace <ada@example.org>$/,
      ),
      "Times are in America/New_York, the member's time zone.",
      'Starts Mon 03 Mar 2025 06:00 EST.',
    ]);
    const timeline = lines
      .filter((line) => /^\w{3} \d{2} \w{3} 2025/.test(line))
      .map((line) => line.replace(/\s+/g, ' '));
    expect(timeline).toEqual([
      'Mon 03 Mar 2025 06:00 EST made up for this preview: upcoming_events, one event: "Riverside 5k social run" (preview-event, Thu 13 Mar 18:30 GMT); pass --event events.json with a list for yours',
      'Mon 03 Mar 2025 06:00 EST welcome welcome held by quiet hours until Mon 03 Mar 2025 08:00 EST',
      'Mon 03 Mar 2025 08:00 EST welcome email "Welcome to Riverside Running Club" to ada@example.org',
      'Wed 05 Mar 2025 08:00 EST steps.1 waited until Wed 05 Mar 2025 08:00 EST',
      'Wed 05 Mar 2025 08:00 EST profile-nudge condition holds: then',
      'Wed 05 Mar 2025 08:00 EST profile-nudge.then.0 email "Tell the club a little about yourself" to ada@example.org',
      'Sat 08 Mar 2025 08:00 EST steps.3 waited until Sat 08 Mar 2025 08:00 EST',
      'Sat 08 Mar 2025 08:00 EST first-introduction introduces Sam Rivers <sam.rivers@example.org> (a synthetic peer; pass --peers file.json for real members)',
      'Sat 08 Mar 2025 08:00 EST first-introduction email "Introducing Sam from Riverside Running Club" to ada@example.org',
      'Sat 08 Mar 2025 08:00 EST first-introduction email "Introducing Ada from Riverside Running Club" to sam.rivers@example.org',
      // New York moved its clocks on 9 March: seven days later is 09:00 local.
      'Sat 15 Mar 2025 09:00 EDT first-week timed out: no member.active by Sat 15 Mar 2025 09:00 EDT',
      'Sat 15 Mar 2025 09:00 EDT first-week.on_timeout.0 email "How\'s your first week been?" to ada@example.org',
      'Mon 07 Apr 2025 09:00 EDT steps.6 waited until Mon 07 Apr 2025 09:00 EDT',
      'Mon 07 Apr 2025 09:00 EDT thirty-day-survey email "One month in – how are we doing?" to ada@example.org',
    ]);
    expect(lines).toContain(
      'The run completes Mon 07 Apr 2025 09:00 EDT, 35 days after the start: 6 emails.',
    );
  });

  it('writes every email as .eml, .html and .txt with the right content', async () => {
    const files = (await readdir(out)).sort();
    expect(files).toHaveLength(18);
    expect(files.filter((file) => file.endsWith('.eml'))).toEqual([
      '01-welcome.eml',
      '02-complete-profile.eml',
      '03-peer-introduction.eml',
      '04-peer-introduction-peer.eml',
      '05-first-week-checkin.eml',
      '06-thirty-day-survey.eml',
    ]);
    const welcome = await simpleParser(await readFile(path.join(out, '01-welcome.eml')));
    expect(welcome.subject).toBe('Welcome to Riverside Running Club');
    expect(welcome.to && !Array.isArray(welcome.to) ? welcome.to.value : []).toEqual([
      { name: '', address: 'ada@example.org' },
    ]);
    expect(welcome.date?.toISOString()).toBe('2025-03-03T13:00:00.000Z');
    expect(welcome.replyTo?.text).toBe('organisers@riverside.example');
    expect(welcome.text).toContain('Hi Ada,');
    const html = await readFile(path.join(out, '01-welcome.html'), 'utf8');
    expect(html).toContain('<p>Hi Ada,</p>');
    expect(html).toContain('1 Park Lane, London');
    const text = await readFile(path.join(out, '01-welcome.txt'), 'utf8');
    expect(text).toContain('welcome to Riverside Running Club!');
    const peerCopy = await simpleParser(await readFile(path.join(out, '04-peer-introduction-peer.eml')));
    expect(peerCopy.subject).toBe('Introducing Ada from Riverside Running Club');
    expect(peerCopy.text).toContain('Hi Sam,');
  });
});

describe('tend preview with MONGODB_URI', () => {
  const db = useTestDatabase();

  beforeAll(async () => {
    const models = createModels(db.connection);
    await models.members.create({
      _id: 'm-grace',
      email: 'grace@example.org',
      firstName: 'Grace',
      name: 'Grace Hopper',
      status: 'active',
      timezone: 'Europe/Paris',
    });
    await models.events.create({
      _id: 'ev-hills',
      title: 'Hill repeats at dawn',
      startsAt: new Date('2025-03-20T18:00:00Z'),
      status: 'published',
    });
    await models.rsvps.create({ eventId: 'ev-hills', memberId: 'm-grace', status: 'going' });
  });

  it('reads the member by email and the event by id, and previews their reminders', async () => {
    const result = await tend(
      [
        'preview',
        'event-reminders',
        '--member',
        'GRACE@example.org',
        '--event',
        'ev-hills',
        '--start',
        '2025-03-03T09:00:00Z',
      ],
      { MONGODB_URI: db.uri },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').map((line) => line.replace(/\s+/g, ' '));
    expect(lines[0]).toMatch(/for Grace Hopper <grace@example.org>$/);
    expect(lines).toContain("Times are in Europe/Paris, the member's time zone.");
    expect(lines.some((line) => line.startsWith('Made up for this preview'))).toBe(false);
    expect(lines).toContain(
      'Thu 13 Mar 2025 19:00 GMT+1 week-before.do.0 email "Reminder: Hill repeats at dawn on Thursday 20 March" to grace@example.org',
    );
    expect(lines).toContain(
      'Thu 20 Mar 2025 18:00 GMT+1 hour-before.do.0 email "Hill repeats at dawn starts at 19:00" to grace@example.org',
    );
  });
});

describe('tend preview with MONGODB_URI: the upcoming events', () => {
  const db = useTestDatabase();

  beforeAll(async () => {
    const models = createModels(db.connection);
    await models.members.create({ _id: 'm-lin', email: 'lin@example.org', name: 'Lin Wu', status: 'active' });
    await models.events.create([
      { _id: 'ev-a', title: 'Hill repeats', startsAt: new Date('2025-03-12T18:30:00Z'), status: 'published' },
      { _id: 'ev-b', title: 'Track night', startsAt: new Date('2025-03-19T19:00:00Z'), status: 'published' },
    ]);
  });

  it('are the real ones from the database, and nothing is made up', async () => {
    const out = path.join(work, 'lin-emails');
    const args = ['--member', 'm-lin', '--start', '2025-03-03T09:00:00Z', '--out', out];
    const result = await tend(['preview', 'onboarding', ...args], { MONGODB_URI: db.uri });
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('made up');
    expect(result.stdout).not.toContain('Made up');
    const emails = await Promise.all(
      (await readdir(out))
        .filter((name) => name.endsWith('.txt'))
        .map((name) => readFile(path.join(out, name), 'utf8')),
    );
    expect(emails.some((text) => text.includes('Hill repeats') && text.includes('Track night'))).toBe(true);
  });
});

describe('tend preview, told what it cannot do', () => {
  it('names a playbook that does not exist and suggests the closest', async () => {
    const result = await tend(['preview', 'onbaording', '--member', 'nobody.json']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('no playbook "onbaording" in playbooks (did you mean "onboarding"?)');
  });

  it('needs MONGODB_URI to find a member by email', async () => {
    const result = await tend(['preview', 'onboarding', '--member', 'ada@example.org']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      '--member ada@example.org: no such file. To preview a member from the database by id or email, set MONGODB_URI',
    );
  });
});
