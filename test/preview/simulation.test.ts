// The preview's simulation: the real interpreter core over a virtual clock, with the real delivery policy,
// rendering and message building, and the files `--out` writes.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import type { EmailTemplate, Plan, Step } from '../../compiler/plan.js';
import type { MemberRecord } from '../../compiler/records.js';
import { writeEmailFiles } from '../../cli/preview/emailFiles.js';
import { previewRun, type PreviewRequest } from '../../preview/previewRun.js';
import { parseScriptedEvents } from '../../preview/scriptedEvents.js';
import { formatTimeline } from '../../preview/timeline.js';
import { at, plan, send, wait } from '../core/plans.js';

const DAY = 24 * 3600_000;
const HOUR = 3600_000;

const template = (name: string, subject: string, html: string): EmailTemplate => ({
  name,
  subject,
  preheader: null,
  html,
  layout: null,
});

const templates = {
  emails: {
    welcome: template(
      'welcome',
      'Welcome to {{community.name}}, {{member.firstName}}',
      '<p>Hello {{member.firstName}}!</p><p><a href="{{links.unsubscribe}}">Unsubscribe</a></p>',
    ),
    news: template('news', 'News for {{member.firstName}}', '<p>News</p>'),
    receipt: template('receipt', 'Your RSVP', '<p>See you at {{event.title}}</p>'),
    reminder: template('reminder', '{{event.title}} starts soon', '<p>Soon: {{event.title}}</p>'),
    intro: template(
      'intro',
      'Meet {{peer.firstName}}',
      '<p>{{member.firstName}}, meet {{peer.firstName}}.</p>',
    ),
  },
  layouts: {},
  partials: {},
};

const ada: MemberRecord = {
  _id: 'm-ada',
  email: 'ada@example.org',
  firstName: 'Ada',
  name: 'Ada Lovelace',
  status: 'active',
  timezone: 'America/New_York',
  interests: ['hills', 'trails'],
};

function previewOf(steps: Step[], fields: Partial<PreviewRequest> = {}, planFields: Partial<Plan> = {}) {
  return previewRun({
    plan: plan({
      steps,
      templates,
      delivery: { quietHours: { start: '21:00', end: '08:00' }, frequencyCap: { max: 2, perMs: 7 * DAY } },
      ...planFields,
    }),
    // 06:00 in New York (EST, UTC-5)
    start: Date.parse('2025-03-03T11:00:00.000Z'),
    member: ada,
    event: null,
    rsvp: null,
    upcomingEvents: null,
    peers: null,
    events: [],
    ...fields,
  });
}

describe('delivery in a preview', () => {
  it('holds a 06:00 welcome to 08:00 in the member’s own zone, and renders it', async () => {
    const result = await previewOf([send('welcome')]);
    expect(result.emails).toHaveLength(1);
    const [welcome] = result.emails;
    expect(welcome?.at).toBe(Date.parse('2025-03-03T13:00:00.000Z'));
    expect(welcome?.subject).toBe('Welcome to Riverside Running Club, Ada');
    expect(welcome?.to).toEqual(['ada@example.org']);
    expect(welcome?.html).toContain('<a href="http://localhost:3000/l/unsubscribe?t');
    expect(result.zone).toBe('America/New_York');
    expect(result.zoneOwner).toBe('member');
    expect(formatTimeline(result.timeline, result.zone)).toEqual([
      'Mon 03 Mar 2025 06:00 EST  welcome  welcome held by quiet hours until Mon 03 Mar 2025 08:00 EST',
      'Mon 03 Mar 2025 08:00 EST  welcome  email "Welcome to Riverside Running Club, Ada" to ada@example.org',
    ]);
    expect(result.end).toEqual({
      kind: 'completed',
      at: Date.parse('2025-03-03T13:00:00.000Z'),
      reason: null,
    });
  });

  it('uses the community’s zone for a member without one', async () => {
    const { timezone: _zone, ...noZone } = ada;
    const result = await previewOf([send('welcome')], { member: noZone });
    expect(result.zone).toBe('Europe/London');
    expect(result.zoneOwner).toBe('community');
    // 11:00 in London is outside quiet hours: sent at once.
    expect(result.emails[0]?.at).toBe(Date.parse('2025-03-03T11:00:00.000Z'));
  });

  it('holds by the frequency cap across the run’s sends, and lets transactional email through', async () => {
    const start = Date.parse('2025-03-03T15:00:00.000Z');
    const steps = [
      send('news'),
      send('welcome'),
      send('receipt', { category: 'transactional' }),
      send('news2', { template: 'news' }),
    ];
    const result = await previewOf(steps, { start });
    expect(result.emails.map((email) => [email.stepId, new Date(email.at).toISOString()])).toEqual([
      ['news', '2025-03-03T15:00:00.000Z'],
      ['welcome', '2025-03-03T15:00:00.000Z'],
      ['receipt', '2025-03-03T15:00:00.000Z'],
      ['news2', '2025-03-10T15:00:00.000Z'],
    ]);
    expect(result.timeline).toContainEqual(
      expect.objectContaining({
        kind: 'held',
        stepId: 'news2',
        reason: 'frequency_cap',
        until: Date.parse('2025-03-10T15:00:00.000Z'),
      }),
    );
  });

  it('counts the run’s own emails into member.activity.emails7d only for a plan that reads it', async () => {
    const count = template('count', 'So far', '<p>{{member.activity.emails7d}} so far</p>');
    const counting = { ...templates, emails: { ...templates.emails, count } };
    const steps = [send('welcome'), send('count')];
    const start = Date.parse('2025-03-03T15:00:00.000Z');
    const needs = (emails7d: boolean) => ({ event: false, rsvp: false, upcomingEvents: false, emails7d });
    const reads = await previewOf(steps, { start }, { templates: counting, needs: needs(true) });
    expect(reads.emails.map((email) => email.html)).toContain('<p>1 so far</p>');
    // A plan the compiler found cannot read it is not counted for: a read shows nothing, never a made-up 0.
    const cannot = await previewOf(steps, { start }, { templates: counting, needs: needs(false) });
    expect(cannot.emails.map((email) => email.html)).toContain('<p> so far</p>');
  });

  it('skips email of a category the member unsubscribed from, with the reason', async () => {
    const result = await previewOf([send('news')], { member: { ...ada, unsubscribed: ['community'] } });
    expect(result.emails).toEqual([]);
    expect(formatTimeline(result.timeline, result.zone)).toEqual([
      'Mon 03 Mar 2025 06:00 EST  news  skipped: news to member: unsubscribed from community',
    ]);
  });

  it('skips a reminder that quiet hours would hold past the start of the event', async () => {
    // The event starts at 07:30 in New York; an hour before is inside quiet hours, which end at 08:00.
    const event = {
      _id: 'e1',
      title: 'Dawn run',
      startsAt: '2025-03-05T12:30:00.000Z',
      status: 'published' as const,
    };
    const steps = [at('hour-before', { time: 'event.startsAt', offsetMs: -HOUR, do: [send('reminder')] })];
    const result = await previewOf(
      steps,
      { event },
      { needs: { event: true, rsvp: false, upcomingEvents: false } },
    );
    expect(result.emails).toEqual([]);
    expect(formatTimeline(result.timeline, result.zone)).toEqual([
      'Wed 05 Mar 2025 06:30 EST  hour-before  waited at event.startsAt - 1h',
      'Wed 05 Mar 2025 06:30 EST  reminder     skipped: reminder to member: too late',
    ]);
  });

  it('introduces a synthetic peer and says so, sending to both', async () => {
    const steps: Step[] = [
      {
        id: 'intro',
        authoredId: true,
        kind: 'introduce',
        match: { same: ['interests'], within: null },
        template: 'intro',
      },
    ];
    const result = await previewOf(steps, { start: Date.parse('2025-03-03T15:00:00.000Z') });
    expect(result.emails.map((email) => [email.recipientKind, email.to[0], email.subject])).toEqual([
      ['member', 'ada@example.org', 'Meet Sam'],
      ['peer', 'sam.rivers@example.org', 'Meet Ada'],
    ]);
    expect(formatTimeline(result.timeline, result.zone)[0]).toBe(
      'Mon 03 Mar 2025 10:00 EST  intro  introduces Sam Rivers <sam.rivers@example.org> ' +
        '(a synthetic peer; pass --peers file.json for real members)',
    );
  });

  it('introduces a member from --peers who shares an interest, or says nobody fits', async () => {
    const steps: Step[] = [
      {
        id: 'intro',
        authoredId: true,
        kind: 'introduce',
        match: { same: ['interests'], within: null },
        template: 'intro',
      },
    ];
    const peer = (
      id: string,
      interests: string[],
      status: MemberRecord['status'] = 'active',
    ): MemberRecord => ({
      _id: id,
      email: `${id}@example.org`,
      firstName: id,
      status,
      interests,
    });
    const start = Date.parse('2025-03-03T15:00:00.000Z');
    const found = await previewOf(steps, {
      start,
      peers: [peer('Bob', ['swimming']), peer('Dee', ['trails'], 'left'), peer('Cleo', ['trails'])],
    });
    expect(found.emails.map((email) => email.to[0])).toEqual(['ada@example.org', 'Cleo@example.org']);
    expect(formatTimeline(found.timeline, found.zone)[0]).toContain(
      'introduces Cleo <Cleo@example.org> (from --peers)',
    );

    const none = await previewOf(steps, { start, peers: [peer('Bob', ['swimming'])] });
    expect(none.emails).toEqual([]);
    expect(formatTimeline(none.timeline, none.zone)).toEqual([
      'Mon 03 Mar 2025 10:00 EST  intro  skipped: no active member shares interests',
    ]);
  });

  it('makes up an event when the playbook needs one and none was given, and says so', async () => {
    const result = await previewOf(
      [send('receipt', { category: 'transactional' })],
      {},
      {
        needs: { event: true, rsvp: true, upcomingEvents: false },
        trigger: { kind: 'event', event: 'rsvp.created', key: 'eventId' },
      },
    );
    expect(result.synthetic).toEqual(['event', 'rsvp']);
    expect(result.emails[0]?.html).toContain('Riverside 5k social run');
  });
});

describe('scripted events in a preview', () => {
  it('ends the run when a scripted exit event comes during a wait', async () => {
    const start = Date.parse('2025-03-03T15:00:00.000Z');
    const result = await previewOf(
      [send('welcome'), wait('week', 7 * DAY), send('news')],
      {
        start,
        events: parseScriptedEvents('member.left@3d', start),
      },
      { exit: { events: ['member.left'], conditions: [] } },
    );
    expect(result.emails.map((email) => email.stepId)).toEqual(['welcome']);
    expect(result.end).toEqual({ kind: 'exited', at: start + 3 * DAY, reason: 'event member.left' });
  });

  it('shows where the goal is reached, and with exit: true ends the run there', async () => {
    const start = Date.parse('2025-03-03T15:00:00.000Z');
    const goal = { name: 'Came back', event: 'member.active', condition: null, withinMs: 14 * DAY };
    const steps = [send('welcome'), wait('week', 7 * DAY), send('news')];
    const events = parseScriptedEvents('member.active@3d', start);
    const ending = await previewOf(steps, { start, events }, { goal: { ...goal, exit: true } });
    expect(ending.emails.map((email) => email.stepId)).toEqual(['welcome']);
    expect(ending.end).toEqual({ kind: 'exited', at: start + 3 * DAY, reason: 'goal' });
    const notes = (result: typeof ending) =>
      result.timeline.flatMap((entry) => (entry.kind === 'note' ? [entry.text] : []));
    expect(notes(ending)).toContain(
      'goal "Came back" reached by member.active: the run converts: the run ends here (exit: true)',
    );

    const counting = await previewOf(steps, { start, events }, { goal: { ...goal, exit: false } });
    expect(counting.emails.map((email) => email.stepId)).toEqual(['welcome', 'news']);
    expect(notes(counting)).toContain('goal "Came back" reached by member.active: the run converts');
  });

  it('moves the event with event.updated data, and the reminder follows it', async () => {
    const start = Date.parse('2025-03-03T15:00:00.000Z');
    const event = {
      _id: 'e1',
      title: 'Hill repeats',
      startsAt: '2025-03-13T23:00:00.000Z',
      status: 'published' as const,
    };
    const result = await previewOf(
      [at('day-before', { time: 'event.startsAt', offsetMs: -DAY, do: [send('reminder')] })],
      { start, event, events: parseScriptedEvents('event.updated@1d startsAt=2025-03-15T23:00:00Z', start) },
      { needs: { event: true, rsvp: false, upcomingEvents: false }, on: { 'event.updated': [] } },
    );
    expect(result.emails.map((email) => new Date(email.at).toISOString())).toEqual([
      '2025-03-14T23:00:00.000Z',
    ]);
  });

  it('stops at an event no script sends, and says why', async () => {
    const result = await previewOf([
      {
        id: 'forever',
        authoredId: true,
        kind: 'wait_for',
        events: ['member.active'],
        timeoutMs: null,
        onEvent: [],
        onTimeout: [],
      },
    ]);
    expect(result.end).toMatchObject({
      kind: 'stopped',
      reason: 'the run waits for an event that no --events entry sends',
    });
  });

  it('parses durations, ISO times and typed data, and refuses what it cannot read', () => {
    const start = Date.parse('2025-03-03T00:00:00.000Z');
    expect(
      parseScriptedEvents(
        'rsvp.updated@1d12h attended=true, survey.responded@2025-03-04T10:00:00Z score=9 comment=great',
        start,
      ),
    ).toEqual([
      {
        type: 'survey.responded',
        at: Date.parse('2025-03-04T10:00:00Z'),
        data: { score: 9, comment: 'great' },
      },
      { type: 'rsvp.updated', at: start + 36 * HOUR, data: { attended: true } },
    ]);
    expect(() => parseScriptedEvents('member.active', start)).toThrow('needs a time');
    expect(() => parseScriptedEvents('member.active@3 days', start)).toThrow('is not a duration');
    expect(() => parseScriptedEvents('member.active@3d __proto__=1', start)).toThrow('is not data');
  });
});

describe('--out', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('writes each email as .eml, .html and .txt, with the headers the sender sets', async () => {
    const result = await previewOf([send('welcome')]);
    const dir = await mkdtemp(path.join(tmpdir(), 'tend-preview-'));
    dirs.push(dir);
    await writeEmailFiles(dir, result.emails);
    expect((await readdir(dir)).sort()).toEqual(['01-welcome.eml', '01-welcome.html', '01-welcome.txt']);
    const parsed = await simpleParser(await readFile(path.join(dir, '01-welcome.eml')));
    expect(parsed.subject).toBe('Welcome to Riverside Running Club, Ada');
    expect(parsed.from?.value).toEqual([{ name: 'Riverside RC', address: 'hello@riverside.example' }]);
    expect(parsed.date?.toISOString()).toBe('2025-03-03T13:00:00.000Z');
    expect(parsed.messageId).toMatch(/^<[0-9a-f]{32}@riverside\.example>$/);
    const header = (name: string) => parsed.headerLines.find((line) => line.key === name)?.line;
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toMatch(
      /^List-Unsubscribe:\s+<http:\/\/localhost:3000\/l\/unsubscribe\?t=[\w.-]+>$/,
    );
    expect(parsed.text).toContain('Hello Ada!');
    expect(await readFile(path.join(dir, '01-welcome.html'), 'utf8')).toContain('<p>Hello Ada!</p>');
    expect(await readFile(path.join(dir, '01-welcome.txt'), 'utf8')).toContain('Hello Ada!');
  });
});
