// Tracked links at render time: the real send (the deliver activity, FerretDB's ledger, SMTP to the dev
// mailbox) and `tend preview` render one email the same way. The HTML's http(s) links become signed /l/click
// redirects naming the address, the delivery and the member; Tend's own link pages, mailto:, tel: and #
// anchors stay; the text part keeps the original addresses; organisers' email is not tracked.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { EmailTemplate } from '../../compiler/plan.js';
import type { MemberRecord } from '../../compiler/records.js';
import { startMailbox, type Mailbox } from '../../cli/dev/mailbox.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { createMailer, type Mailer } from '../../domain/delivery/mailer.js';
import { createLinkSigner, type LinkPayload } from '../../domain/links/signedLinks.js';
import { previewRun } from '../../preview/previewRun.js';
import { plan, send } from '../core/plans.js';
import { useTestDatabase } from '../support/mongo.js';
import { community, deliverInput, member, runOf, temporalDeps } from '../activities/fixtures.js';

// The preview signs with its own secret under http://localhost:3000; the real send here signs with another.
const PUBLIC_URL = 'http://localhost:3000';
const signer = createLinkSigner({ secret: 'clicks-test-secret-0123456789', publicUrl: PUBLIC_URL });
const START = Date.parse('2026-06-10T13:00:00Z');

const invite: EmailTemplate = {
  name: 'invite',
  subject: 'Sunday runs',
  preheader: null,
  layout: null,
  html: [
    `<p style="font-family:'Segoe UI', sans-serif">Join us: <a href="https://riverside.example/runs?day=sun&amp;time=9">the runs</a>`,
    ' or <a href="http://riverside.example/map">the map</a>.</p>',
    '<p><a href="mailto:hello@riverside.example">Write</a> <a href="tel:+442071234567">Call</a>',
    ' <a href="#top">Top</a></p>',
    '<p><a href="{{links.preferences}}">Preferences</a> <a href="{{links.unsubscribe}}">Unsubscribe</a></p>',
  ].join(''),
};

const db = useTestDatabase();
let models: Models;
let mailbox: Mailbox;
let mailer: Mailer;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  mailbox = await startMailbox({ port: 0 });
  mailer = createMailer(`smtp://127.0.0.1:${mailbox.port}`);
});

afterAll(async () => {
  mailer.close();
  await mailbox.close();
});

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');
const payloadOf = (href: string): Omit<LinkPayload, 'x'> => {
  const token = new URL(href).searchParams.get('t') ?? '';
  const verified = signer.verify(token);
  if (!verified.ok) throw new Error(`the real send's link does not verify: ${verified.reason}`);
  // The expiry counts from the send: checked apart from the rest.
  const { x, ...rest } = verified.payload;
  expect(x).toBeGreaterThan(START / 1000);
  return rest;
};
/** The HTML with each token's signature blanked: the preview signs with another secret. */
const unsigned = (html: string) => html.replace(/(\?t=[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+/g, '$1.SIGNATURE');

describe('links in an email', () => {
  it('are rewritten in the HTML to signed redirects, the same in the preview and the real send', async () => {
    const ada = member('ada');
    const { _id, email, firstName, name, status, interests, tags, unsubscribed } = ada;
    const record: MemberRecord = { _id, email, firstName, name, status, interests, tags, unsubscribed };
    const preview = await previewRun({
      plan: plan({
        id: 'onboarding',
        version: 'v1',
        steps: [send('invite')],
        templates: { emails: { invite }, layouts: {}, partials: {} },
      }),
      start: START,
      member: record,
      event: null,
      rsvp: null,
      upcomingEvents: null,
      peers: null,
      events: [],
    });
    const previewed = preview.emails[0];
    if (previewed === undefined) throw new Error('the preview sent nothing');

    await models.members.create(ada);
    const deliver = createActivities({
      models,
      mailer,
      links: signer,
      clock: () => previewed.at,
      ...temporalDeps(),
    }).deliver;
    const input = deliverInput('ada', {
      email: invite,
      run: runOf('ada', { startedAt: START }),
      request: { stepId: 'invite', occurrence: previewed.occurrence },
    });
    const outcome = await deliver({
      ...input,
      delivery: { quietHours: null, frequencyCap: null },
      community,
    });
    expect(outcome.status).toBe('sent');
    const [received] = await mailbox.waitForMessages(1, 10_000);
    const html = received?.html || '';

    const links = hrefs(html);
    expect(links.slice(2)).toEqual([
      'mailto:hello@riverside.example',
      'tel:+442071234567',
      '#top',
      expect.stringMatching(/^http:\/\/localhost:3000\/l\/preferences\?t=/),
      expect.stringMatching(/^http:\/\/localhost:3000\/l\/unsubscribe\?t=/),
    ]);
    const delivery = `run:onboarding:ada@${START}/invite/${previewed.occurrence}`;
    expect(links.slice(0, 2).map((href) => [href.split('?')[0], payloadOf(href)])).toEqual([
      [
        `${PUBLIC_URL}/l/click`,
        {
          a: 'click',
          m: 'ada',
          d: delivery,
          u: 'https://riverside.example/runs?day=sun&time=9',
        },
      ],
      [`${PUBLIC_URL}/l/click`, { a: 'click', m: 'ada', d: delivery, u: 'http://riverside.example/map' }],
    ]);
    // The text part is untouched: the original addresses, written out.
    expect(received?.text).toContain('[https://riverside.example/runs?day=sun&time=9]');
    expect(received?.text).not.toContain('/l/click');
    expect(unsigned(previewed.text).trimEnd()).toBe(unsigned(received?.text ?? '').trimEnd());
    // The rest of the HTML reads as written: a quote in a style stays a quote (old clients lack &apos;).
    expect(html).toContain(`<p style="font-family:'Segoe UI', sans-serif">Join us: `);
    // What the preview shows is what the member gets, but for the signatures of the links.
    expect(unsigned(previewed.html)).toBe(unsigned(html));
  });

  it('are left alone in an organiser’s email: their click is not the member’s', async () => {
    await models.members.create(member('bo', { status: 'applied' }));
    const deliver = createActivities({
      models,
      mailer,
      links: signer,
      clock: () => START,
      ...temporalDeps(),
    }).deliver;
    const input = deliverInput('bo', {
      email: invite,
      request: { stepId: 'review', to: { kind: 'manager' }, category: 'transactional' },
    });
    await mailbox.clear();
    const outcome = await deliver({ ...input, delivery: { quietHours: null, frequencyCap: null } });
    expect(outcome.status).toBe('sent');
    const [received] = await mailbox.waitForMessages(1, 10_000);
    expect(hrefs(received?.html || '').slice(0, 2)).toEqual([
      'https://riverside.example/runs?day=sun&amp;time=9',
      'http://riverside.example/map',
    ]);
  });

  it.each([
    ['the playbook or community.yaml says track_clicks: false', { trackClicks: false as const }, {}],
    ['the template says track_clicks: false', {}, { trackClicks: false as const }],
  ])('are left alone when %s', async (_name, settings, template) => {
    await models.members.updateOne({ _id: 'ada' }, { $set: { status: 'active' } }, { upsert: true }).exec();
    const deliver = createActivities({
      models,
      mailer,
      links: signer,
      clock: () => START,
      ...temporalDeps(),
    }).deliver;
    const input = deliverInput('ada', {
      email: { ...invite, ...template },
      request: { stepId: `untracked-${Object.keys(settings).length}` },
    });
    await mailbox.clear();
    const outcome = await deliver({
      ...input,
      delivery: { quietHours: null, frequencyCap: null, ...settings },
    });
    expect(outcome.status).toBe('sent');
    const [received] = await mailbox.waitForMessages(1, 10_000);
    expect(hrefs(received?.html || '').slice(0, 2)).toEqual([
      'https://riverside.example/runs?day=sun&amp;time=9',
      'http://riverside.example/map',
    ]);
  });
});
