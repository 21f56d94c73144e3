// Every email that ships in playbooks/templates, rendered as its playbook would render it: with the records its
// runs have, once with complete records and once with the bare minimum a member record can hold.

import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import type { TemplateContext } from '../../compiler/templates/context.js';
import { renderEmail } from '../../compiler/templates/render.js';
import type { MemberRecord } from '../../compiler/records.js';
import { context, event, links, member, nextEvents, peer } from './fixtures.js';
import { loadShippedTemplates } from './shippedTemplates.js';

const templates = loadShippedTemplates();

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
/** What each email's runs have, by the playbook that sends it. */
const contexts: Record<string, (records: Records) => TemplateContext> = {};
const sentBy = (names: string[], build: (records: Records) => TemplateContext) => {
  for (const name of names) contexts[name] = build;
};
const who = (records: Records) => (records === 'full' ? member : bareMember);
const onEvent = (records: Records) => ({
  member: who(records),
  event: records === 'full' ? event : bareEvent,
  rsvp: { ...rsvp, memberId: who(records)._id },
  trigger: { type: 'rsvp.created', data: {}, occurredAt: '2026-03-01T12:00:00.000Z' },
});

sentBy(['welcome', 'complete-profile', 'first-week-checkin', 'thirty-day-survey'], (records) =>
  context({ member: who(records), upcoming_events: records === 'full' ? nextEvents : [] }),
);
sentBy(['peer-introduction'], (records) =>
  context({ member: who(records), peer: records === 'full' ? peer : barePeer }),
);
sentBy(['rsvp-confirmation', 'event-reminder', 'event-starting-soon'], (records) =>
  context(onEvent(records)),
);
sentBy(['event-time-changed'], (records) =>
  context({
    ...onEvent(records),
    received: {
      type: 'event.updated',
      data: { changed: ['startsAt'] },
      occurredAt: '2026-03-10T08:00:00.000Z',
    },
  }),
);
sentBy(['event-survey', 'event-survey-reminder'], (records) =>
  context({
    ...onEvent(records),
    trigger: { type: 'event.ended', data: {}, occurredAt: '2026-03-14T11:30:00.000Z' },
  }),
);
const schedule = { type: 'schedule.fired', data: {}, occurredAt: '2026-03-20T10:00:00.000Z' };
sentBy(['we-miss-you', 'upcoming-events', 'quiet-member'], (records) =>
  context({ member: who(records), trigger: schedule, upcoming_events: records === 'full' ? nextEvents : [] }),
);
const applied = (records: Records) => ({
  member: { ...who(records), status: 'applied' as const },
  trigger: { type: 'member.applied', data: {}, occurredAt: '2026-02-01T08:45:00.000Z' },
});
sentBy(['application-received', 'review-application', 'review-application-reminder'], (records) =>
  context(applied(records)),
);
sentBy(['application-declined'], (records) =>
  context({
    ...applied(records),
    received: {
      type: 'member.declined',
      data: records === 'full' ? { reason: 'The club is full until the spring.' } : {},
      occurredAt: '2026-02-02T10:00:00.000Z',
    },
  }),
);

const SURVEY_EMAILS = ['event-survey', 'event-survey-reminder'];
const REVIEW_EMAILS = ['review-application', 'review-application-reminder'];

/** An href as it appears in the HTML: Handlebars escapes `=` and `&` in attribute values. */
const inHtml = (url: string) => Handlebars.escapeExpression(url);

describe('shipped templates', () => {
  it('every shipped email has a fixture, and every fixture a shipped email', () => {
    expect(Object.keys(templates.emails).sort()).toEqual(Object.keys(contexts).sort());
    expect(Object.keys(templates.emails)).toHaveLength(18);
  });

  describe.each(Object.keys(contexts))('%s', (name) => {
    describe.each<Records>(['full', 'bare'])('with %s records', (records) => {
      const build = contexts[name];
      if (!build) throw new Error(`no fixture for ${name}`);
      const ctx = build(records);
      const timezone = ctx.member.timezone ?? ctx.community.timezone;
      const email = renderEmail(templates, name, ctx, { links, timezone });
      const everything = [email.subject, email.preheader ?? '', email.html, email.text].join('\n');

      it('has a subject and a preheader, plain text on one line', () => {
        expect(email.subject.length).toBeGreaterThan(5);
        expect(email.subject).not.toMatch(/[<>\n]|&[a-z#0-9]+;/);
        expect(email.preheader?.length).toBeGreaterThan(5);
      });

      it('says nothing a template did not mean', () => {
        expect(everything).not.toMatch(/undefined|\[object|NaN|Invalid DateTime|\{\{|\}\}/);
        expect(everything).not.toMatch(/Hi ,|Hi there there| [,.](\s|$)|<(?<tag>strong|p|li)>\s*<\/\k<tag>>/);
      });

      it('ends with the reason, the unsubscribe and preferences links and the postal address', () => {
        expect(email.html).toContain(`href="${inHtml(links.unsubscribe)}"`);
        expect(email.html).toContain(`href="${inHtml(links.preferences)}"`);
        expect(email.text).toContain(`[${links.unsubscribe}]`);
        expect(email.text).toContain(`[${links.preferences}]`);
        expect(email.html).toContain('1 Park Lane, London');
        expect(email.text).toContain('1 Park Lane, London');
        expect(email.text).toMatch(/You get this email because/);
      });

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
            expect(everything).not.toMatch(/\/l\/(approve|decline)/);
            return;
          }
          expect(email.html).toContain(`href="${inHtml(links.approve ?? '')}"`);
          expect(email.html).toContain(`href="${inHtml(links.decline ?? '')}"`);
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
    renderEmail(templates, name, ctx, { links, timezone });

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
    const email = render('quiet-member', context({ member }));
    expect(email.subject).toBe('Ada Lovelace has gone quiet');
    expect(email.text).toContain('ada@example.org');
    expect(email.text).toContain('Last active 10 February 2026');
    expect(email.text).toContain('Interests: trail running and parkrun');
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
