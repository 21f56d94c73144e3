// Tend end to end, as a community runs it: the real worker and the real API as child processes (started as
// `npm run dev` starts them), the shipped playbooks, a real SMTP server for the email, and nothing but HTTP
// from the outside. The tests follow one community's day in order: people apply through the HTML form and the
// organisers decide from their email, the platform reports an event and an RSVP with its API key, a survey
// tool posts a signed webhook, a member answers a survey link; then every link in every email received is
// followed, and forged, and a mail client unsubscribes with one click.

import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { expiresIn, createLinkSigner } from '../../domain/links/signedLinks.js';
import type { ReceivedMessage } from '../../cli/dev/mailbox.js';
import { EventsAnswer } from '../../api/routes/events.js';
import type { MemberDoc } from '../../db/index.js';
import { linksIn, listUnsubscribeUrls } from './support/emailLinks.js';
import { eventually } from './support/eventually.js';
import { forged, tokenOf, type TokenPart } from './support/forgedLinks.js';
import { formsOf, submit, type PageForm } from './support/pageForm.js';
import { tendClient } from './support/tendClient.js';
import { useTendStack } from './support/tendStack.js';

const stack = useTendStack();
const tend = tendClient(stack);

// As playbooks/community.yaml and the shipped templates have them.
const COMMUNITY = 'Riverside Running Club';
const ORGANISERS = 'organisers@riverside.example';
const JOIN_REDIRECT = 'https://riverside.example/thanks';
const SUBJECTS = {
  received: new RegExp(`^We've got your application to ${COMMUNITY}$`),
  review: (name: string) => new RegExp(`^New join request: ${name}$`),
  welcome: new RegExp(`^Welcome to ${COMMUNITY}$`),
  declined: new RegExp(`^About your application to ${COMMUNITY}$`),
  rsvpConfirmation: (title: string) => new RegExp(`^You're going: ${title}, `),
  timeChanged: (title: string) => new RegExp(`^Time change: ${title} is now `),
};

const ADA = { email: 'ada@members.example', name: 'Ada Lovelace' };
const BERT = { email: 'bert@members.example', name: 'Bert Hale' };
const CLEO = { email: 'cleo@members.example', name: 'Cleo Ward' };
const DORA = { email: 'dora@members.example', name: 'Dora Quinn' };
const TEN_K = { id: 'riverside-10k', title: 'Riverside 10k' };

const DAY_MS = 24 * 3600 * 1000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

// Each test waits for several emails in turn, each with its own deadline (support/eventually.ts).
describe('Tend end to end, over HTTP, with the real worker and API', { timeout: 300_000 }, () => {
  it('an HTML form applies; the organisers approve one applicant and decline another from their email', async () => {
    const applied = await tend.form('join', [
      ['name', ADA.name],
      ['email', ADA.email],
      ['interests', 'trail running'],
      ['interests', 'parkrun'],
      ['website', ''],
    ]);
    expect(applied.status).toBe(303);
    expect(applied.headers.get('location')).toBe(JOIN_REDIRECT);

    await stack.email(ADA.email, SUBJECTS.received);
    const review = await stack.email(ORGANISERS, SUBJECTS.review(ADA.name));
    expect(await member(ADA.email)).toMatchObject({
      name: ADA.name,
      status: 'applied',
      interests: ['trail running', 'parkrun'],
    });

    // Following the link shows a page with one button and decides nothing.
    const approvePage = await openPage(linkTo(review, '/l/approve'));
    expect(approvePage.html).toContain(ADA.name);
    expect(approvePage.form.buttons).toBe(1);
    expect(approvePage.form.method).toBe('post');
    expect((await member(ADA.email))?.status).toBe('applied');

    // Pressing it approves: the member is active and onboarding welcomes them.
    const approved = await submit(approvePage.form);
    expect(approved.status).toBe(200);
    await stack.email(ADA.email, SUBJECTS.welcome);
    expect((await member(ADA.email))?.status).toBe('active');

    // A second applicant, declined from the organisers' email, gets the kind note.
    expect(
      (
        await tend.form('join', [
          ['name', BERT.name],
          ['email', BERT.email],
        ])
      ).status,
    ).toBe(303);
    await stack.email(BERT.email, SUBJECTS.received);
    const declinePage = await openPage(
      linkTo(await stack.email(ORGANISERS, SUBJECTS.review(BERT.name)), '/l/decline'),
    );
    expect(declinePage.form.buttons).toBe(1);
    expect((await member(BERT.email))?.status).toBe('applied');
    expect((await submit(declinePage.form)).status).toBe(200);
    await stack.email(BERT.email, SUBJECTS.declined);
    expect((await member(BERT.email))?.status).toBe('declined');
    expect(stack.emails(BERT.email, SUBJECTS.welcome)).toHaveLength(0);
  });

  it('the example join form in docs/examples applies a person and turns a bot away', async () => {
    const html = await readFile(new URL('../../docs/examples/join-form.html', import.meta.url), 'utf8');
    const forms = formsOf(html, 'http://localhost:3000/');
    expect(forms).toHaveLength(1);
    const [example] = forms;
    if (example === undefined) throw new Error('docs/examples/join-form.html has no form');
    expect(example.action).toBe('http://localhost:3000/v1/forms/join');
    expect(example.fields).toContainEqual(['website', '']);
    // The page as the dev stack serves it, pointed at the stack under test.
    const form = { ...example, action: `${stack.baseUrl}/v1/forms/join` };

    const bot = await submit(form, {
      name: 'Spam Bot',
      email: 'bot@spam.example',
      website: 'https://spam.example',
    });
    expect(bot.status).toBe(303);
    const person = await submit(form, { name: DORA.name, email: DORA.email, interests: 'track' });
    expect(person.status).toBe(303);
    expect(person.headers.get('location')).toBe(JOIN_REDIRECT);

    await stack.email(DORA.email, SUBJECTS.received);
    expect(await member(DORA.email)).toMatchObject({
      name: DORA.name,
      status: 'applied',
      interests: ['track'],
    });
    expect(await member('bot@spam.example')).toBeNull();
    expect(stack.emails('bot@spam.example', /./)).toHaveLength(0);
  });

  it('the platform posts events with its API key: an RSVP is confirmed once, a repeat is a duplicate', async () => {
    const refused = await tend.events(
      { type: 'member.applied', id: 'no-key', email: CLEO.email },
      'wrong-key',
    );
    expect(refused.status).toBe(401);
    expect(await stack.models.eventLog.exists({ _id: 'no-key' }).exec()).toBeNull();

    await applyByApi(CLEO);
    expect(
      await accepted({
        type: 'event.updated',
        id: 'ten-k-created',
        eventId: TEN_K.id,
        data: {
          title: TEN_K.title,
          startsAt: daysFromNow(21),
          location: 'Riverside Park',
        },
      }),
    ).toBe('accepted');
    await eventually('the event is stored', () =>
      stack.models.events.findById(TEN_K.id).lean().exec().then(orUndefined),
    );

    const rsvp = {
      type: 'rsvp.created',
      id: 'rsvp-cleo-10k',
      email: CLEO.email,
      eventId: TEN_K.id,
      data: { status: 'going' },
    };
    expect(await accepted(rsvp)).toBe('accepted');
    await stack.email(CLEO.email, SUBJECTS.rsvpConfirmation(TEN_K.title));

    expect(await accepted(rsvp)).toBe('duplicate');
    // The event moves: the run in flight tells the member. That email comes after anything the repeat could
    // have caused, so once it is here the confirmation must still be the only one.
    expect(
      await accepted({
        type: 'event.updated',
        id: 'ten-k-moved',
        eventId: TEN_K.id,
        data: {
          startsAt: daysFromNow(28),
        },
      }),
    ).toBe('accepted');
    await stack.email(CLEO.email, SUBJECTS.timeChanged(TEN_K.title));
    expect(stack.emails(CLEO.email, SUBJECTS.rsvpConfirmation(TEN_K.title))).toHaveLength(1);
    expect(await stack.models.rsvps.countDocuments({ eventId: TEN_K.id }).exec()).toBe(1);
  });

  it('a signed webhook stores the survey response; a wrong signature is refused and stores nothing', async () => {
    const cleo = await applyByApi(CLEO);
    const response = (eventId: string, nps: number) => ({
      eventType: 'FORM_RESPONSE',
      data: { respondent: { email: CLEO.email }, hidden: { event_id: eventId }, answers: { nps } },
    });

    const forgedHook = await tend.webhook('tally', response('forged-event', 0), {
      secret: `whsec_${Buffer.from('not the secret the server has').toString('base64')}`,
      messageId: 'msg_forged',
    });
    expect(forgedHook.status).toBe(401);

    const signed = await tend.webhook('tally', response(TEN_K.id, 8), {
      secret: stack.webhookSecret,
      messageId: 'msg_signed',
    });
    expect(signed.status).toBe(202);
    const stored = await eventually('the survey response from the webhook is stored', () =>
      stack.models.surveyResponses
        .findOne({ memberId: cleo._id, eventId: TEN_K.id })
        .lean()
        .exec()
        .then(orUndefined),
    );
    expect(stored.score).toBe(8);
    // Stored after the forged one was refused: had the forgery got in, it would be there by now.
    expect(await stack.models.surveyResponses.countDocuments({ eventId: 'forged-event' }).exec()).toBe(0);
    expect(await stack.models.eventLog.exists({ _id: 'webhook:tally:msg_forged' }).exec()).toBeNull();
  });

  it('a survey link shows the score to confirm; each answer is one response per member and event', async () => {
    const cleo = await applyByApi(CLEO);
    const social = { id: 'autumn-social', title: 'Autumn Social' };
    expect(
      await accepted({
        type: 'event.updated',
        id: 'social-created',
        eventId: social.id,
        data: {
          title: social.title,
          startsAt: daysFromNow(-1),
        },
      }),
    ).toBe('accepted');
    await eventually('the event is stored', () =>
      stack.models.events.findById(social.id).lean().exec().then(orUndefined),
    );
    // Survey emails go out hours after an event ends, longer than a test waits, so the link is made here with
    // the stack's secret exactly as the worker makes the links of event-survey.hbs.
    const link = createLinkSigner({ secret: stack.secret, publicUrl: stack.baseUrl }).url({
      a: 'survey',
      m: cleo._id,
      e: social.id,
      s: 9,
      x: expiresIn('survey', Date.now()),
    });
    const responses = () =>
      stack.models.surveyResponses.find({ memberId: cleo._id, eventId: social.id }).lean().exec();

    const page = await openPage(link);
    expect(page.html).toContain(social.title);
    expect(page.form.fields).toContainEqual(['score', '9']);
    expect(await responses()).toHaveLength(0);

    expect((await submit(page.form)).status).toBe(200);
    await eventually('the score 9 is recorded', async () =>
      (await responses())[0]?.score === 9 ? true : undefined,
    );

    expect((await submit(page.form, { score: '4' })).status).toBe(200);
    await eventually('the score is changed to 4', async () =>
      (await responses())[0]?.score === 4 ? true : undefined,
    );
    expect(await responses()).toHaveLength(1);
  });

  it('every link in every email opens a page and acts on nothing; a forged link is refused and acts on nothing', async () => {
    const messages = stack.mailbox.messages();
    const links = [...new Set(messages.flatMap((message) => linksIn(message, stack.baseUrl)))];
    // The story above sent member email (unsubscribe and preferences links) and organiser email (decisions).
    for (const page of ['/l/unsubscribe', '/l/preferences', '/l/approve', '/l/decline']) {
      expect(
        links.some((link) => link.startsWith(`${stack.baseUrl}${page}?`)),
        page,
      ).toBe(true);
    }
    for (const message of messages.filter((message) => !message.envelope.to.includes(ORGANISERS))) {
      expect(listUnsubscribeUrls(message), message.subject).toHaveLength(1);
      expect(message.headers['list-unsubscribe-post'], message.subject).toBe('List-Unsubscribe=One-Click');
    }
    const before = await recordsNow();

    for (const link of links) {
      const answer = await fetch(link);
      expect(answer.status, link).toBe(200);
      expect(answer.headers.get('content-type'), link).toMatch(/^text\/html/);
    }
    expect(await recordsNow()).toEqual(before);
    expect(before.members.every((found) => (found.unsubscribed ?? []).length === 0)).toBe(true);

    const signed = links.filter((link) => tokenOf(link) !== undefined);
    expect(signed).toEqual(links);
    for (const link of signed) {
      for (const part of ['payload', 'signature'] satisfies TokenPart[]) {
        const url = forged(link, part);
        for (const method of ['GET', 'POST']) {
          const answer = await fetch(url, {
            method,
            ...(method === 'POST' ? { headers: FORM_HEADERS, body: oneClickBody(url) } : {}),
          });
          // 403, not any 4xx: the request is well formed, and only the token makes it fail.
          expect(answer.status, `${method} ${url}`).toBe(403);
          expect(answer.headers.get('content-type'), `${method} ${url}`).toMatch(/^text\/html/);
        }
      }
    }
    expect(await recordsNow()).toEqual(before);
  });

  it("a mail client's one-click List-Unsubscribe POST unsubscribes the member from that email's category", async () => {
    // The welcome is community news: that is what the member leaves, not RSVPs or surveys.
    expect(await oneClickUnsubscribe(ADA.email, SUBJECTS.welcome, 1)).toEqual(['community']);
    // A decision is transactional, which cannot be left: its link leaves everything that can be.
    expect((await oneClickUnsubscribe(BERT.email, SUBJECTS.declined, 3)).sort()).toEqual([
      'community',
      'events',
      'surveys',
    ]);
  });
});

/**
 * POSTs `List-Unsubscribe=One-Click` to the List-Unsubscribe URL of the member's email, forged first (which
 * must change nothing), then as sent; returns the member's unsubscribed categories once `count` are there.
 */
async function oneClickUnsubscribe(email: string, subject: RegExp, count: number): Promise<string[]> {
  const [url] = listUnsubscribeUrls(await stack.email(email, subject));
  if (url === undefined) throw new Error(`the email to ${email} has no List-Unsubscribe URL`);
  const post = (to: string) => fetch(to, { method: 'POST', headers: FORM_HEADERS, body: oneClickBody(to) });

  expect((await post(forged(url, 'signature'))).status).toBe(403);
  expect((await member(email))?.unsubscribed ?? []).toEqual([]);

  expect((await post(url)).status).toBe(200);
  return eventually(`${email} is unsubscribed from ${count} categories`, async () => {
    const categories = (await member(email))?.unsubscribed ?? [];
    return categories.length >= count ? categories : undefined;
  });
}

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

/** The body a mail client posts to a List-Unsubscribe URL (RFC 8058); other pages' forms post their fields. */
function oneClickBody(url: string): string {
  return new URL(url).pathname === '/l/unsubscribe' ? 'List-Unsubscribe=One-Click' : '';
}

function member(email: string): Promise<MemberDoc | null> {
  return stack.models.members.findOne({ email }).lean<MemberDoc>().exec();
}

const orUndefined = <T>(value: T | null): T | undefined => value ?? undefined;

/** POSTs one event with the API key and returns its status, accepted or duplicate. */
async function accepted(event: Record<string, unknown>): Promise<string | undefined> {
  const answer = await tend.events(event);
  const body: unknown = await answer.json();
  expect(answer.status, JSON.stringify(body)).toBe(202);
  if (!Value.Check(EventsAnswer, body))
    throw new Error(`not an answer to POST /v1/events: ${JSON.stringify(body)}`);
  expect(body.results.map((result) => result.id)).toEqual([event.id]);
  return body.results[0]?.status;
}

/** The member, applied by the platform (once: the event id makes a repeat a duplicate). */
async function applyByApi(who: { email: string; name: string }): Promise<MemberDoc> {
  expect(['accepted', 'duplicate']).toContain(
    await accepted({
      type: 'member.applied',
      id: `apply-${who.email.replace('@', '.at.')}`,
      email: who.email,
      data: { name: who.name },
    }),
  );
  return eventually(`${who.email} is a member`, () => member(who.email).then(orUndefined));
}

/** The one link in the email to this page. */
function linkTo(message: ReceivedMessage, page: string): string {
  const found = linksIn(message, stack.baseUrl).filter((link) => new URL(link).pathname === page);
  if (found.length !== 1 || found[0] === undefined) {
    throw new Error(`expected one ${page} link in "${message.subject}", found ${found.length}`);
  }
  return found[0];
}

/** GETs a page behind a link: 200, HTML, with exactly one form. */
async function openPage(url: string): Promise<{ html: string; form: PageForm }> {
  const answer = await fetch(url);
  const html = await answer.text();
  expect(answer.status, html).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
  const forms = formsOf(html, url);
  if (forms.length !== 1 || forms[0] === undefined) {
    throw new Error(`expected one form on ${url}, found ${forms.length}:\n${html}`);
  }
  return { html, form: forms[0] };
}

/** What a link could change: the members' status and subscriptions, survey answers, and accepted events. */
async function recordsNow() {
  const { members, surveyResponses, eventLog } = stack.models;
  return {
    members: await members
      .find({}, { status: 1, unsubscribed: 1 })
      .sort({ _id: 1 })
      .lean<MemberDoc[]>()
      .exec(),
    responses: await surveyResponses
      .find({}, { _id: 0, memberId: 1, eventId: 1, score: 1 })
      .sort({ memberId: 1, eventId: 1 })
      .lean()
      .exec(),
    events: (await eventLog.find({}, { _id: 1 }).sort({ _id: 1 }).lean().exec()).map((row) => row._id),
  };
}
