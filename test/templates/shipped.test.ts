// Every email that ships in playbooks/templates, compiled with the playbook that sends it and rendered as that
// playbook's runs would render it: with the records they have, once complete and once with the bare minimum.

import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { timezoneFor, type TemplateContext } from '../../compiler/templates/context.js';
import { renderEmail, type RenderLinks } from '../../compiler/templates/render.js';
import type { MemberRecord } from '../../compiler/records.js';
import { context, event, links, member, nextEvents, organiserLinks, peer } from './fixtures.js';
import { compileShipped, emailsOf } from './shippedTemplates.js';

const compiled = await compileShipped();
const sentWith = emailsOf(compiled);
const templatesOf = (name: string) => {
  const templates = sentWith.get(name);
  if (!templates) throw new Error(`no shipped playbook sends ${name}`);
  return templates;
};

const bareMember: MemberRecord = { _id: 'm-x', email: 'x@example.org', status: 'active' };
const barePeer: MemberRecord = { _id: 'm-y', email: 'y@example.org', status: 'active' };
const bareEvent = {
  _id: 'e-x',
  title: 'Club run',
  startsAt: '2026-03-14T09:30:00.000Z',
  status: 'published' as const,
};
const rsvp = { eventId: event._id, memberId: member._id, status: 'going' as const, attended: true };

type Records = 'full' | 'bare';
type Reader = 'member' | 'organisers';
interface Fixture {
  reader: Reader;
  build: (records: Records) => TemplateContext;
}
/** What each email's runs have, by the playbook that sends it, and who reads it. */
const fixtures: Record<string, Fixture> = {};
const sentBy = (names: string[], reader: Reader, build: Fixture['build']) => {
  for (const name of names) fixtures[name] = { reader, build };
};
const who = (records: Records) => (records === 'full' ? member : bareMember);
const onEvent = (records: Records) => ({
  member: who(records),
  event: records === 'full' ? event : bareEvent,
  rsvp: { ...rsvp, memberId: who(records)._id },
  trigger: { type: 'rsvp.created', data: {}, occurredAt: '2026-03-01T12:00:00.000Z' },
});

sentBy(['welcome', 'complete-profile', 'first-week-checkin', 'thirty-day-survey'], 'member', (records) =>
  context({ member: who(records), upcoming_events: records === 'full' ? nextEvents : [] }),
);
sentBy(['peer-introduction'], 'member', (records) =>
  context({ member: who(records), peer: records === 'full' ? peer : barePeer }),
);
sentBy(['rsvp-confirmation', 'event-reminder', 'event-starting-soon'], 'member', (records) =>
  context(onEvent(records)),
);
sentBy(['event-time-changed'], 'member', (records) =>
  context({
    ...onEvent(records),
    received: {
      type: 'event.updated',
      data: { changed: ['startsAt'] },
      occurredAt: '2026-03-10T08:00:00.000Z',
    },
  }),
);
sentBy(['event-survey', 'event-survey-reminder'], 'member', (records) =>
  context({
    ...onEvent(records),
    trigger: { type: 'event.ended', data: {}, occurredAt: '2026-03-14T11:30:00.000Z' },
  }),
);
const quiet = (records: Records) =>
  context({
    member: who(records),
    trigger: { type: 'schedule.fired', data: {}, occurredAt: '2026-03-20T10:00:00.000Z' },
    upcoming_events: records === 'full' ? nextEvents : [],
  });
sentBy(['we-miss-you', 'upcoming-events'], 'member', quiet);
sentBy(['quiet-member'], 'organisers', quiet);
const applied = (records: Records) =>
  context({
    member: { ...who(records), status: 'applied' as const },
    trigger: { type: 'member.applied', data: {}, occurredAt: '2026-02-01T08:45:00.000Z' },
  });
sentBy(['application-received'], 'member', applied);
sentBy(['review-application', 'review-application-reminder'], 'organisers', applied);
sentBy(['application-declined'], 'member', (records) => ({
  ...applied(records),
  received: {
    type: 'member.declined',
    data: records === 'full' ? { reason: 'The club is full until the spring.' } : {},
    occurredAt: '2026-02-02T10:00:00.000Z',
  },
}));
const noFigure = { value: null, previous: null, change: null };
sentBy(['weekly-digest'], 'organisers', (records) =>
  context({
    trigger: { type: 'schedule.fired', data: {}, occurredAt: '2026-03-16T09:00:00.000Z' },
    report: {
      from: '2026-03-09T09:00:00.000Z',
      to: '2026-03-16T09:00:00.000Z',
      figures:
        records === 'full'
          ? {
              retention_30: { value: 80, previous: 75, change: 5 },
              retention_90: { value: 0, previous: 50, change: -50 },
              attendance: { value: 64, previous: 70, change: -6 },
              connection_rate: { value: 100, previous: null, change: null },
              nps: { value: -20, previous: 10, change: -30 },
            }
          : {
              retention_30: noFigure,
              retention_90: noFigure,
              attendance: noFigure,
              connection_rate: noFigure,
              nps: noFigure,
            },
      at_risk:
        records === 'full'
          ? [
              { name: 'Ada Lovelace', email: 'ada@example.org', lastActivityAt: '2026-01-30T10:00:00.000Z' },
              { name: null, email: 'x@example.org', lastActivityAt: null },
            ]
          : [],
      events:
        records === 'full' ? [{ title: 'Club run', startsAt: '2026-03-18T18:30:00.000Z', going: 12 }] : [],
      applications: records === 'full' ? [{ name: null, email: 'new@example.org' }] : [],
    },
  }),
);

const SURVEY_EMAILS = ['event-survey', 'event-survey-reminder'];
const REVIEW_EMAILS = ['review-application', 'review-application-reminder'];

/** An href as it appears in the HTML: Handlebars escapes `=` and `&` in attribute values. */
const inHtml = (url: string) => Handlebars.escapeExpression(url);

/** The links the sender makes: organisers decide on applicants and have no member links to unsubscribe. */
function linksFor(name: string, reader: Reader): RenderLinks {
  if (reader === 'member') return links;
  return REVIEW_EMAILS.includes(name) ? organiserLinks : { ...organiserLinks, approve: null, decline: null };
}

describe('shipped templates', () => {
  it('compile without errors', () => {
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(compiled.plans.map((plan) => plan.id).sort()).toEqual([
      'application-review',
      'event-feedback',
      'event-reminders',
      'onboarding',
      're-engagement',
      'weekly-digest',
    ]);
  });

  it('the weekly digest shows each figure beside last week, the lists, and 0% as a figure', () => {
    const ctx = fixtures['weekly-digest']?.build('full') ?? context();
    const email = renderEmail(templatesOf('weekly-digest'), 'weekly-digest', ctx, {
      links: linksFor('weekly-digest', 'organisers'),
      timezone: 'Europe/London',
    });
    const text = email.text.replace(/\s+/g, ' ');
    expect(text).toContain('Still here after 30 days 80% 75% 5');
    expect(text).toContain('Still here after 90 days 0% 50% -50');
    expect(text).toContain('Net Promoter Score -20 10 -30');
    expect(text).toContain('Club run, Wednesday 18 March at 18:30: 12 going');
    expect(text).toContain('new@example.org');
    expect(text).toContain('Ada Lovelace');
  });

  it('every email a shipped playbook sends has a fixture, and every fixture such an email', () => {
    expect([...sentWith.keys()].sort()).toEqual(Object.keys(fixtures).sort());
    expect(sentWith.size).toBe(19);
  });

  describe.each(Object.keys(fixtures))('%s', (name) => {
    describe.each<Records>(['full', 'bare'])('with %s records', (records) => {
      const fixture = fixtures[name];
      if (!fixture) throw new Error(`no fixture for ${name}`);
      const ctx = fixture.build(records);
      const timezone =
        fixture.reader === 'member' ? timezoneFor(ctx.member, 'Europe/London') : 'Europe/London';
      const email = renderEmail(templatesOf(name), name, ctx, {
        links: linksFor(name, fixture.reader),
        timezone,
      });
      const everything = [email.subject, email.preheader ?? '', email.html, email.text].join('\n');

      it('has a subject and a preheader, plain text on one line', () => {
        expect(email.subject.length).toBeGreaterThan(5);
        expect(email.subject).not.toMatch(/[<>\n]|&[a-z#0-9]+;/);
        expect(email.preheader?.length).toBeGreaterThan(5);
      });

      it('says nothing a template did not mean', () => {
        expect(everything).not.toMatch(/undefined|\[object|NaN|Invalid DateTime|\{\{|\}\}/);
        expect(everything).not.toMatch(/Hi ,|Hi there there| [,.](\s|$)|<(?<tag>strong|p|li)>\s*<\/\k<tag>>/);
        expect(email.html).not.toMatch(/href=""/);
      });

      it('ends with why the reader gets it and the postal address', () => {
        expect(email.text).toMatch(/You get this email because/);
        expect(email.html).toContain('1 Park Lane, London');
        expect(email.text).toContain('1 Park Lane, London');
      });

      it(
        fixture.reader === 'member'
          ? 'carries the member’s unsubscribe and preferences links'
          : 'carries no unsubscribe link: organisers have none of their own',
        () => {
          if (fixture.reader === 'organisers') {
            expect(everything).not.toMatch(/Unsubscribe|\/l\/(unsubscribe|preferences)/);
            return;
          }
          expect(email.html).toContain(`href="${inHtml(links.unsubscribe)}"`);
          expect(email.html).toContain(`href="${inHtml(links.preferences)}"`);
          expect(email.text.replace(/\s+/g, ' ')).toContain(`Unsubscribe [${links.unsubscribe}]`);
          expect(email.text).toContain(`[${links.preferences}]`);
        },
      );

      it(
        SURVEY_EMAILS.includes(name) ? 'carries eleven score links, 0 to 10' : 'carries no survey link',
        () => {
          if (!SURVEY_EMAILS.includes(name)) {
            expect(everything).not.toContain('/l/survey');
            return;
          }
          const scores = (text: string, pattern: RegExp) =>
            [...text.matchAll(pattern)].map((match) => match[1]);
          const expected = Array.from({ length: 11 }, (_, score) => String(score));
          expect(scores(email.html, /survey\?t&#x3D;score(\d+)\.sig/g)).toEqual(expected);
          expect(scores(email.text, /survey\?t=score(\d+)\.sig/g)).toEqual(expected);
          expect(email.text).toMatch(/Not likely[\s\S]*Very likely/);
        },
      );

      it(
        REVIEW_EMAILS.includes(name) ? 'lets organisers approve or decline' : 'carries no decision link',
        () => {
          if (!REVIEW_EMAILS.includes(name)) {
            expect(everything).not.toMatch(/\/l\/(approve|decline)|Approve|Decline/);
            return;
          }
          expect(email.html).toContain(`href="${inHtml(organiserLinks.approve ?? '')}"`);
          expect(email.html).toContain(`href="${inHtml(organiserLinks.decline ?? '')}"`);
          expect(email.text).toMatch(
            /Approve\s*\[https:\/\/tend\.riverside\.example\/l\/approve\?t=approve\.sig\]/,
          );
          expect(email.text).toMatch(
            /Decline\s*\[https:\/\/tend\.riverside\.example\/l\/decline\?t=decline\.sig\]/,
          );
        },
      );
    });
  });
});

describe('what the shipped emails say', () => {
  const render = (name: string, ctx: TemplateContext, timezone = 'Europe/London') =>
    renderEmail(templatesOf(name), name, ctx, { links, timezone });

  it('greet the member by first name, or with "there"', () => {
    expect(render('welcome', context()).text).toContain('Hi Ada,');
    expect(render('welcome', context({ member: bareMember })).text).toContain('Hi there,');
  });

  it('show event times in the reader’s zone', () => {
    const ctx = context({ event, rsvp });
    expect(render('event-reminder', ctx).subject).toBe('Reminder: Riverside 10k on Saturday 14 March');
    expect(render('event-reminder', ctx).text).toContain('Saturday 14 March, 09:30–11:30');
    expect(render('event-reminder', ctx, 'America/New_York').text).toContain(
      'Saturday 14 March, 05:30–07:30',
    );
    expect(render('event-starting-soon', ctx).subject).toBe('Riverside 10k starts at 09:30');
  });

  it('introduce each side to the other, naming what they share', () => {
    const toAda = render('peer-introduction', context({ member, peer }));
    const toGrace = render('peer-introduction', context({ member: peer, peer: member }));
    expect(toAda.subject).toBe('Introducing Grace from Riverside Running Club');
    expect(toGrace.subject).toBe('Introducing Ada from Riverside Running Club');
    expect(toAda.text).toContain('grace@example.org');
    expect(toGrace.text).toContain('ada@example.org');
    expect(toAda.preheader).toBe('You both like trail running.');
    expect(toAda.text).toContain('Sunday long runs, always up for company.');
    expect(toGrace.text).toContain('Training for my first half marathon.');
  });

  it('tell organisers who has gone quiet', () => {
    const email = renderEmail(templatesOf('quiet-member'), 'quiet-member', context({ member }), {
      links: linksFor('quiet-member', 'organisers'),
      timezone: 'Europe/London',
    });
    expect(email.subject).toBe('Ada Lovelace has gone quiet');
    expect(email.text).toContain('ada@example.org');
    expect(email.text).toContain('Last active 10 February 2026');
    expect(email.text).toContain('Interests: trail running and parkrun');
  });

  it('welcome a member with the next three events, not the whole calendar', () => {
    const calendar = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].map((day, index) => ({
      ...event,
      _id: `e-${index}`,
      title: `${day} social run`,
      startsAt: `2026-03-${String(16 + index)}T18:30:00.000Z`,
    }));
    const text = render('welcome', context({ upcoming_events: calendar })).text;
    expect(text).toContain('Coming up');
    expect(text).toMatch(/Mon social run[\s\S]*Tue social run[\s\S]*Wed social run/);
    expect(text).not.toMatch(/Thu social run|Fri social run/);
    expect(render('welcome', context()).text).not.toContain('Coming up');
  });

  it('list upcoming events, or ask for ideas when there are none', () => {
    const listed = render('upcoming-events', context({ upcoming_events: nextEvents }));
    expect(listed.preheader).toBe('Next: Riverside 10k, Saturday 14 March');
    expect(listed.text).toContain('Tuesday hill reps');
    const none = render('upcoming-events', context());
    expect(none.preheader).toBe('Ideas welcome!');
    expect(none.text).toContain('Reply and tell us');
  });
});
