// What a compiled plan holds: normalised steps with stable ids, durations in ms, defaults filled in, merged
// delivery settings, exactly the templates it sends, and the records a run must load.

import { describe, expect, it } from 'vitest';
import { compilePlaybooks, readPlaybooksDir } from '../../compiler/index.js';
import type { Plan, Step } from '../../compiler/plan.js';
import { BASE_FILES, dedent, sourcesFrom } from './sources.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

async function fixturePlan(id: string): Promise<Plan> {
  const result = compilePlaybooks(await readPlaybooksDir('test/fixtures/playbooks'));
  const plan = result.plans.find((candidate) => candidate.id === id);
  if (!plan) throw new Error(`no plan ${id}`);
  return plan;
}

function planOf(files: Record<string, string>, id = 'onboarding'): Plan {
  const result = compilePlaybooks(sourcesFrom({ ...BASE_FILES, ...files }));
  const plan = result.plans.find((candidate) => candidate.id === id);
  if (!plan) throw new Error(`no plan ${id}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return plan;
}

const ids = (steps: readonly Step[]): string[] => steps.map((step) => step.id);

describe('steps', () => {
  it('keep authored ids and derive the others from their place', async () => {
    const plan = await fixturePlan('onboarding');
    expect(ids(plan.steps)).toEqual([
      'welcome',
      'steps.1',
      'profile-nudge',
      'steps.3',
      'first-introduction',
      'first-week',
      'steps.6',
      'thirty-day-survey',
    ]);
    expect(plan.steps.map((step) => step.authoredId)).toEqual([
      true,
      false,
      true,
      false,
      true,
      true,
      false,
      true,
    ]);
    const nudge = plan.steps[2];
    expect(nudge?.kind === 'if' && ids(nudge.then)).toEqual(['profile-nudge.then.0']);
    const firstWeek = plan.steps[5];
    expect(firstWeek?.kind === 'wait_for' && ids(firstWeek.onTimeout)).toEqual(['first-week.on_timeout.0']);
  });

  it('keep the id a manager wrote on an on handler step, and derive the ids inside it from it', async () => {
    // The language page now gives the handler's step an id of its own (time-changed).
    const plan = await fixturePlan('event-reminders');
    const handler = plan.on['event.updated'] ?? [];
    expect(ids(handler)).toEqual(['time-changed']);
    const branch = handler[0];
    expect(branch?.kind === 'if' && ids(branch.then)).toEqual(['time-changed.then.0']);
  });

  it('fill in defaults and turn durations into milliseconds', async () => {
    const plan = await fixturePlan('onboarding');
    expect(plan.steps[0]).toEqual({
      id: 'welcome',
      authoredId: true,
      kind: 'send_email',
      template: 'welcome',
      to: { kind: 'member' },
      category: 'community',
      quietHours: true,
    });
    expect(plan.steps[1]).toEqual({ id: 'steps.1', authoredId: false, kind: 'wait', ms: 2 * DAY });
    expect(plan.steps[4]).toEqual({
      id: 'first-introduction',
      authoredId: true,
      kind: 'introduce',
      match: { same: ['interests'], within: null },
      template: 'peer-introduction',
    });
    expect(plan.steps[5]).toMatchObject({
      kind: 'wait_for',
      events: ['member.active'],
      timeoutMs: 7 * DAY,
      onEvent: [],
    });
  });

  it('read at offsets, if_past and quiet_hours: false', async () => {
    const plan = await fixturePlan('event-reminders');
    expect(
      plan.steps.map((step) => (step.kind === 'at' ? [step.time, step.offsetMs, step.ifPast] : null)),
    ).toEqual([
      null,
      ['event.startsAt', -7 * DAY, 'skip'],
      ['event.startsAt', -DAY, 'skip'],
      ['event.startsAt', -HOUR, 'skip'],
    ]);
    const hourBefore = plan.steps[3];
    expect(hourBefore?.kind === 'at' && hourBefore.do[0]).toMatchObject({
      template: 'event-starting-soon',
      category: 'transactional',
      quietHours: false,
    });
  });

  it('wait for any of a list of events, and nest a wait in on_timeout', async () => {
    const plan = await fixturePlan('application-review');
    const decision = plan.steps[2];
    expect(decision).toMatchObject({
      id: 'decision',
      kind: 'wait_for',
      events: ['member.approved', 'member.declined'],
      timeoutMs: 2 * DAY,
    });
    expect(decision?.kind === 'wait_for' && decision.onTimeout[1]).toMatchObject({
      id: 'decision.on_timeout.1',
      kind: 'wait_for',
      timeoutMs: 28 * DAY,
    });
    expect(plan.steps[1]).toMatchObject({ to: { kind: 'manager' } });
  });

  it('write fields that are not the member record under attributes', () => {
    const plan = planOf({
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - update_member:
              set: { onboarded: true, subgroup: north, profile.level: 2 }
              add_tags: [new]
      `,
    });
    expect(plan.steps[0]).toEqual({
      id: 'steps.0',
      authoredId: false,
      kind: 'update_member',
      set: { 'attributes.onboarded': true, subgroup: 'north', 'profile.level': 2 },
      addTags: ['new'],
      removeTags: [],
    });
  });
});

describe('triggers, audiences, exits and reentry', () => {
  it('turn $before and $within into milliseconds and leave the rest of a condition as written', async () => {
    const plan = await fixturePlan('re-engagement');
    expect(plan.audience).toEqual({
      source: 'members',
      where: { status: 'active', lastActiveAt: { $before: 30 * DAY } },
    });
    expect(plan.reentry).toEqual({ kind: 'after', ms: 90 * DAY });
    expect(plan.exit).toEqual({ events: ['member.active', 'member.left'], conditions: [] });
  });

  it("give a schedule the community's time zone unless it names one", async () => {
    expect((await fixturePlan('re-engagement')).trigger).toEqual({
      kind: 'schedule',
      cron: '0 10 * * *',
      timezone: 'Europe/London',
    });
    const own = planOf(
      {
        'digest.yaml': dedent`
          name: Digest
          trigger: { schedule: "0 9 * * MON", timezone: America/New_York }
          audience: { members: { joinedAt: { $within: 1w } } }
          steps:
            - id: welcome
              send_email: welcome
        `,
      },
      'digest',
    );
    expect(own.trigger).toEqual({ kind: 'schedule', cron: '0 9 * * MON', timezone: 'America/New_York' });
    expect(own.audience?.where).toEqual({ joinedAt: { $within: 7 * DAY } });
  });

  it('keep event triggers, keys, rsvps audiences and exit conditions', async () => {
    const feedback = await fixturePlan('event-feedback');
    expect(feedback.trigger).toEqual({ kind: 'event', event: 'event.ended', key: 'eventId' });
    expect(feedback.audience).toEqual({ source: 'rsvps', where: { attended: true } });
    const onboarding = await fixturePlan('onboarding');
    expect(onboarding.exit).toEqual({
      events: ['member.left'],
      conditions: [{ 'member.status': { $in: ['left', 'banned'] } }],
    });
    expect(onboarding.reentry).toEqual({ kind: 'once' });
    expect(onboarding.enabled).toBe(true);
  });
});

describe('what a plan carries', () => {
  it('merges delivery settings: the community, then the playbook', async () => {
    expect((await fixturePlan('onboarding')).delivery).toEqual({
      quietHours: { start: '21:00', end: '08:00' },
      frequencyCap: { max: 3, perMs: 7 * DAY },
    });
    const own = planOf({
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        delivery: { quiet_hours: false, frequency_cap: { max: 1, per: 1d } }
        steps:
          - id: welcome
            send_email: welcome
      `,
    });
    expect(own.delivery).toEqual({ quietHours: null, frequencyCap: { max: 1, perMs: DAY } });
  });

  it('holds the community settings under the names of the Plan', async () => {
    expect((await fixturePlan('onboarding')).community).toEqual({
      name: 'Riverside Running Club',
      timezone: 'Europe/London',
      from: 'Riverside RC <hello@riverside.example>',
      replyTo: 'organisers@riverside.example',
      managers: ['organisers@riverside.example'],
      postalAddress: '1 Park Lane, London',
    });
  });

  it('says which records a run must load', async () => {
    expect((await fixturePlan('onboarding')).needs).toEqual({
      event: false,
      rsvp: false,
      upcomingEvents: true,
      report: false,
      emails7d: false,
    });
    expect((await fixturePlan('event-reminders')).needs).toEqual({
      event: true,
      rsvp: true,
      upcomingEvents: false,
      report: false,
      emails7d: false,
    });
    const named = planOf({
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: survey.responded }
        steps:
          - id: thanks
            if: { rsvp.attended: true }
            then:
              - send_email: event-reminder
      `,
    });
    expect(named.needs).toEqual({
      event: true,
      rsvp: true,
      upcomingEvents: false,
      report: false,
      emails7d: false,
    });
    const community = planOf(
      {
        'templates/digest.hbs': '---\nsubject: Week\n---\n<p>NPS {{report.figures.nps.value}}</p>\n',
        'digest.yaml': dedent`
        name: Digest
        trigger: { schedule: "0 9 * * MON" }
        steps:
          - id: digest
            send_email: { template: digest, to: manager }
      `,
      },
      'digest',
    );
    expect(community.needs).toEqual({
      event: false,
      rsvp: false,
      upcomingEvents: false,
      report: true,
      emails7d: false,
    });
  });

  it('holds exactly the templates, layouts and partials it sends, partials of partials included', () => {
    const plan = planOf({
      'templates/layouts/default.hbs': '<html>{{{body}}}{{> footer}}</html>\n',
      'templates/partials/footer.hbs': '<p>{{> address}}</p>\n',
      'templates/partials/address.hbs': '{{community.postal_address}}\n',
      'templates/partials/unused.hbs': '<p>never sent</p>\n',
      'templates/plain.hbs': '---\nsubject: Plain\nlayout: none\n---\n<p>{{> greeting}}</p>\n',
      'templates/partials/greeting.hbs': 'Hi {{member.firstName}}\n',
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
            send_email: welcome
          - id: plain
            send_email: { template: plain, category: transactional }
      `,
    });
    expect(plan.templates).toEqual({
      emails: {
        welcome: {
          name: 'welcome',
          subject: 'Welcome to {{community.name}}',
          preheader: null,
          html: '<p>Hi {{default member.firstName "there"}}!</p>\n<p><a href="{{links.unsubscribe}}">Unsubscribe</a></p>\n',
          layout: 'default',
        },
        plain: {
          name: 'plain',
          subject: 'Plain',
          preheader: null,
          html: '<p>{{> greeting}}</p>\n',
          layout: null,
        },
      },
      layouts: { default: '<html>{{{body}}}{{> footer}}</html>\n' },
      partials: {
        footer: '<p>{{> address}}</p>\n',
        address: '{{community.postal_address}}\n',
        greeting: 'Hi {{member.firstName}}\n',
      },
    });
  });

  it('is plain JSON: it survives a round trip unchanged', async () => {
    const plan = await fixturePlan('event-reminders');
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});

describe('community.yaml', () => {
  it('gives the API its forms and webhooks', async () => {
    const result = compilePlaybooks(await readPlaybooksDir('test/fixtures/playbooks'));
    expect(result.community?.forms).toEqual({
      join: {
        event: 'member.applied',
        member: { email: 'email', name: 'name', interests: 'interests' },
        redirect: 'https://riverside.example/thanks',
      },
    });
    expect(result.community?.webhooks).toEqual({
      tally: {
        secretEnv: 'TALLY_WEBHOOK_SECRET',
        event: 'survey.responded',
        map: {
          email: 'data.respondent.email',
          eventId: 'data.hidden.event_id',
          'data.score': 'data.answers.nps',
        },
      },
    });
  });
});
