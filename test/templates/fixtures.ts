// Contexts, links and one-template plans for rendering tests: realistic records of one community.

import type { EmailTemplate, PlanTemplates } from '../../compiler/plan.js';
import type { TemplateContext } from '../../compiler/templates/context.js';
import { renderEmail, type RenderedEmail, type RenderLinks } from '../../compiler/templates/render.js';
import type { EventRecord, MemberRecord } from '../../compiler/records.js';

const BASE = 'https://tend.riverside.example/l';

/** The links of an email to a member: their own unsubscribe and preferences pages, and survey links. */
export const links: RenderLinks = {
  unsubscribe: `${BASE}/unsubscribe?t=unsub.sig`,
  preferences: `${BASE}/preferences?t=prefs.sig`,
  approve: null,
  decline: null,
  survey: (score) => `${BASE}/survey?t=score${score}.sig`,
};

/** The links of an email to organisers: no unsubscribe (it would act on the member), decisions on applicants. */
export const organiserLinks: RenderLinks = {
  unsubscribe: '',
  preferences: '',
  approve: `${BASE}/approve?t=approve.sig`,
  decline: `${BASE}/decline?t=decline.sig`,
  survey: () => null,
};

export const member: MemberRecord = {
  _id: 'm-ada',
  email: 'ada@example.org',
  name: 'Ada Lovelace',
  firstName: 'Ada',
  status: 'active',
  timezone: 'Europe/London',
  joinedAt: '2026-02-01T09:00:00.000Z',
  approvedAt: '2026-02-02T09:00:00.000Z',
  lastActiveAt: '2026-02-10T19:15:00.000Z',
  interests: ['trail running', 'parkrun'],
  tags: ['new'],
  subgroup: 'north',
  profile: { bio: 'Training for my first half marathon.', pace: '5:30/km' },
};

export const peer: MemberRecord = {
  _id: 'm-grace',
  email: 'grace@example.org',
  name: 'Grace Hopper',
  firstName: 'Grace',
  status: 'active',
  timezone: 'Europe/London',
  interests: ['trail running', 'track'],
  subgroup: 'north',
  profile: { bio: 'Sunday long runs, always up for company.' },
};

export const event: EventRecord = {
  _id: 'e-river-10k',
  title: 'Riverside 10k',
  description: 'Two laps of the towpath, finishing at the boathouse.',
  startsAt: '2026-03-14T09:30:00.000Z',
  endsAt: '2026-03-14T11:30:00.000Z',
  timezone: 'Europe/London',
  location: 'The Boathouse, Riverside Park',
  url: 'https://riverside.example/events/river-10k',
  status: 'published',
};

export const nextEvents: EventRecord[] = [
  event,
  {
    _id: 'e-hill-reps',
    title: 'Tuesday hill reps',
    startsAt: '2026-03-17T18:30:00.000Z',
    location: 'Bell Hill',
    url: 'https://riverside.example/events/hill-reps',
    status: 'published',
  },
];

export function context(overrides: Partial<TemplateContext> = {}): TemplateContext {
  return {
    member,
    event: null,
    rsvp: null,
    trigger: { type: 'member.approved', data: {}, occurredAt: '2026-02-02T09:00:00.000Z' },
    received: null,
    peer: null,
    report: null,
    community: {
      name: 'Riverside Running Club',
      timezone: 'Europe/London',
      from: 'Riverside RC <hello@riverside.example>',
      reply_to: 'organisers@riverside.example',
      managers: ['organisers@riverside.example'],
      postal_address: '1 Park Lane, London',
    },
    run: {
      id: 'run:onboarding:m-ada',
      playbook: 'onboarding',
      version: 'abc123',
      startedAt: '2026-02-02T09:00:05.000Z',
    },
    upcoming_events: [],
    ...overrides,
  };
}

export function planTemplates(
  emails: Record<string, Partial<EmailTemplate> & { html: string }>,
  extra: { layouts?: Record<string, string>; partials?: Record<string, string> } = {},
): PlanTemplates {
  const entries = Object.entries(emails).map(([name, email]): [string, EmailTemplate] => [
    name,
    { name, subject: 'Hello', preheader: null, layout: null, ...email },
  ]);
  return {
    emails: Object.fromEntries(entries),
    layouts: extra.layouts ?? {},
    partials: extra.partials ?? {},
  };
}

/** Renders one HTML source (and optionally a subject) as the email `t`. */
export function renderSource(
  html: string,
  options: { subject?: string; context?: TemplateContext; timezone?: string } = {},
): RenderedEmail {
  const templates = planTemplates({ t: { html, subject: options.subject ?? 'Hello' } });
  return renderEmail(templates, 't', options.context ?? context(), {
    links,
    timezone: options.timezone ?? 'Europe/London',
  });
}
