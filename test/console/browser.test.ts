// The managers' console in a real browser (Debian's Chromium, driven by playwright-core) at a phone's width,
// over the real API, worker, FerretDB, Temporal and SMTP server: log in through the link the console emails,
// open every page and check it against the records, approve an applicant and see the welcome email arrive,
// cancel a run, log out. On every page: no failed request, no console error, no serious or critical axe
// violation, nothing wider than the screen; each page's screenshot is kept in test-artifacts/console/.

import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../domain/delivery/mailer.js';
import { healthReport } from '../../domain/reports/health/index.js';
import { findChromium } from '../../scripts/provision.mjs';
import { eventually } from '../acceptance/support/eventually.js';
import { API_KEY, useApi } from '../api/support/app.js';
import { putPlansInService, shippedPlans, useStack } from '../api/support/stack.js';
import { statusQuery } from '../../contract/workflows.js';
import type { playbookRun } from '../../workflows/playbookRun.js';
import { formatTime } from '../../api/console/format.js';
import { checkPage, watchPage, type PageProblems } from './support/checkedPage.js';
import { loginLinkIn } from './support/loginLink.js';
import { playbookFunnel } from '../../domain/journal/funnel.js';

const MANAGER = 'organisers@riverside.example';
const PAT = { email: 'pat@members.example', name: 'Pat Doe' };
const EVE = { email: 'eve@members.example', name: `<img src=x onerror="alert(1)"> Eve & "Co"` };
const TEN_K = { _id: 'riverside-10k', title: 'Riverside 10k <fun run>' };
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 900 };
const DAY = 24 * 3600_000;
const PAT_DOES = [
  { type: 'email.unsubscribed', data: { category: 'surveys' } },
  { type: 'member.active', occurredAt: new Date(Date.now() - 2 * DAY).toISOString() },
  { type: 'rsvp.created', eventId: TEN_K._id, data: { status: 'going' } },
  { type: 'survey.responded', eventId: TEN_K._id, data: { score: 9, comment: 'Great <b>route</b>' } },
];

const stack = useStack({ realRuns: true });
const api = useApi(stack, () => ({
  mailer: createMailer(`smtp://${stack.mailbox.host}:${stack.mailbox.port}`),
}));

let browser: Browser | undefined;
let page: Page | undefined;
let watched: PageProblems = { problems: [] };
let baseUrl = '';

const tab = (): Page => {
  if (page === undefined) throw new Error('the browser starts before the tests');
  return page;
};

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
  const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = address.startsWith('http')
    ? address
    : `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  await stack.models.events.create({
    ...TEN_K,
    status: 'published',
    startsAt: new Date(Date.now() + 10 * 24 * 3600_000),
    location: 'Riverside Park',
  });
  for (const person of [PAT, EVE]) {
    const applied = await api.app.inject({
      method: 'POST',
      url: '/v1/forms/join',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: person.email, name: person.name }).toString(),
    });
    expect(applied.statusCode).toBe(303);
  }
  // Each applicant hears at once and the organisers are asked: four emails.
  await stack.mailbox.waitForMessages(4, 90_000);
  // What Pat does next, through the API as the platform sends it: the member page lists it all.
  for (const event of PAT_DOES) {
    const accepted = await api.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', prefer: 'wait=30' },
      payload: JSON.stringify({ email: PAT.email, ...event }),
    });
    expect(accepted.statusCode).toBe(202);
  }

  const executablePath = findChromium();
  if (executablePath === undefined) throw new Error('no Chromium: run node scripts/provision.mjs');
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: PHONE });
  watched = watchPage(page);
});

afterAll(async () => {
  await browser?.close();
});

/** Opens a console page (or checks the one the last click led to) and holds it to the common bar. */
async function expectGoodPage(name: string): Promise<void> {
  const checked = await checkPage(tab(), name);
  expect({ name, ...checked, problems: watched.problems }).toEqual({
    name,
    violations: [],
    overflowPx: 0,
    problems: [],
  });
}

/** The same page checked at a desktop's width too, then back to the phone. */
async function expectGoodPageOnDesktop(name: string): Promise<void> {
  await tab().setViewportSize(DESKTOP);
  try {
    await expectGoodPage(`${name}-desktop`);
  } finally {
    await tab().setViewportSize(PHONE);
  }
}

const heading = () => tab().locator('main h1').innerText();
const memberId = async (email: string) => {
  const member = await stack.models.members.findOne({ email }).lean().exec();
  if (member === null) throw new Error(`no member ${email}`);
  return member._id;
};

describe('the managers console in Chromium, 375 px wide (some at 1280)', { timeout: 300_000 }, () => {
  it('logs a manager in through the link it emails', async () => {
    await tab().goto(`${baseUrl}/console/members`);
    expect(new URL(tab().url()).pathname).toBe('/console/login');
    await expectGoodPage('01-login');
    const before = stack.mailbox.messages().length;
    await tab().getByLabel('Your email address').fill(MANAGER);
    await tab().getByRole('button', { name: 'Email me a login link' }).click();
    await expect.poll(() => tab().locator('[role=status]').innerText()).toContain('login link is on its way');

    const email = await eventually('the login email', () =>
      stack.mailbox
        .messages()
        .slice(before)
        .find((message) => message.envelope.to.includes(MANAGER) && /console/.test(message.subject)),
    );
    await tab().goto(baseUrl + loginLinkIn(email));
    await expect
      .poll(() => tab().locator('main').innerText())
      .toContain(`Log in to the console as ${MANAGER}?`);
    await expectGoodPage('02-login-link');
    await tab().getByRole('button', { name: 'Log in' }).click();
    await tab().waitForURL(`${baseUrl}/console`);
    expect(await heading()).toBe('Overview');
  });

  it('shows the overview: applications waiting and events coming up', async () => {
    const main = await tab().locator('main').innerText();
    const waiting = await stack.models.members.countDocuments({ status: 'applied' }).exec();
    expect(main).toContain(`${waiting} applications waiting for a decision`);
    expect(main).toContain(PAT.name);
    expect(main).toContain(TEN_K.title);
    // The health report's four numbers, as the report itself has them for the last 90 days.
    const now = new Date();
    const report = await healthReport(stack.models, {
      from: new Date(now.getTime() - 90 * 24 * 3600_000),
      to: now,
      subgroup: null,
      now,
      zone: 'Europe/London',
    });
    const nps = report.nps.pooled.score === null ? 'no data' : String(report.nps.pooled.score);
    for (const label of ['30-day retention', 'Event attendance', 'Connection rate', 'NPS']) {
      expect(main).toContain(label);
    }
    expect(main).toContain(`NPS\n${nps}`);
    expect(main).toContain(`${report.nps.pooled.responses} responses`);
    expect(main).toMatch(/computed \d{2} \w{3} \d{4} \d{2}:\d{2}/);
    await expectGoodPage('03-overview');
    await expectGoodPageOnDesktop('03-overview');
  });

  it('finds a member by name and shows their runs with each step', async () => {
    await tab().getByRole('navigation').getByRole('link', { name: 'Members' }).click();
    await tab().getByLabel('Email or name').fill('pat');
    await tab().getByRole('button', { name: 'Search' }).click();
    await tab().getByRole('link', { name: PAT.name }).click();
    expect(await heading()).toBe(PAT.name);
    const id = await memberId(PAT.email);
    const review = `run:application-review:${id}`;
    const run = tab().getByRole('region', { name: `Run ${review}` });
    await expect.poll(() => run.innerText()).toContain('application-review');
    // The steps the run itself reports, sent emails first.
    const state = await stack.client.workflow.getHandle(review).query(statusQuery);
    expect(state.steps.map((step) => step.outcome)).toContain('sent');
    for (const step of state.steps) expect(await run.innerText()).toContain(step.stepId);
    const sent = await stack.models.deliveries.find({ memberId: id, status: 'sent' }).lean().exec();
    const emails = await tab().getByRole('region', { name: 'Emails' }).innerText();
    for (const delivery of sent) expect(emails).toContain(delivery.template);

    // The activity store's entries, newest first, each with its time and event; the facts beside them.
    const history = await stack.models.activities.find({ memberId: id }).sort({ at: -1 }).lean().exec();
    expect(history.map((item) => item.kind).sort()).toEqual(['active', 'rsvp', 'survey']);
    const rows = tab().getByRole('region', { name: 'Activity' }).locator('tbody tr');
    expect(await rows.count()).toBe(history.length);
    for (const [index, item] of history.entries()) {
      const row = await rows.nth(index).innerText();
      expect(row).toContain(item.kind);
      expect(row).toContain(formatTime(item.at, 'Europe/London'));
      expect(row).toContain(item.eventId === undefined ? item.ref : TEN_K.title);
    }
    const main = await tab().locator('main').innerText();
    expect(main).toContain('1 RSVP, 0 attended, 1 survey answer, 0 introductions');
    // Their RSVP and survey answer as the records have them, and the category they left.
    expect(main).toContain(`${TEN_K.title}: going`);
    expect(main).toContain(`${TEN_K.title}: 9/10: “Great <b>route</b>”`);
    expect(main).toMatch(/Unsubscribed from\s+surveys/);
    // The run the RSVP started, with its confirmation sent or held (and why), and when it wakes next.
    const reminders = tab().getByRole('region', { name: `Run run:event-reminders:${id}:${TEN_K._id}` });
    await expect.poll(() => reminders.innerText()).toMatch(/confirmation (sent|held: .+)/);
    expect(await reminders.innerText()).toContain('Next wake-up');
    await expectGoodPage('04-member');
    await expectGoodPageOnDesktop('04-member');
  });

  it('shows member-provided text as text', async () => {
    await tab().goto(`${baseUrl}/console/members?q=eve`);
    await expect.poll(() => tab().locator('main').innerText()).toContain(EVE.name);
    expect(await tab().locator('img[src="x"]').count()).toBe(0);
    await tab().goto(`${baseUrl}/console/members/${await memberId(EVE.email)}`);
    expect(await heading()).toBe(EVE.name);
    expect(await tab().locator('img[src="x"]').count()).toBe(0);
    await expectGoodPage('05-member-escaped');
  });

  it('approves an applicant, and the welcome email arrives', async () => {
    await tab().getByRole('navigation').getByRole('link', { name: 'Applications' }).click();
    const card = tab().getByRole('region', { name: PAT.name });
    expect(await card.innerText()).toContain(PAT.email);
    await expectGoodPage('06-applications');
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => tab().locator('[role=status]').innerText()).toBe(`${PAT.name} is approved.`);
    expect(await tab().getByRole('region', { name: PAT.name }).count()).toBe(0);
    const welcome = await eventually('the welcome email', () =>
      stack.mailbox
        .messages()
        .find(
          (message) =>
            message.envelope.to.includes(PAT.email) &&
            message.subject === 'Welcome to Riverside Running Club',
        ),
    );
    expect(welcome.envelope.to).toEqual([PAT.email]);
    expect((await stack.models.members.findOne({ email: PAT.email }).lean().exec())?.status).toBe('active');
  });

  it('cancels a run after asking', async () => {
    const id = await memberId(PAT.email);
    const onboarding = `run:onboarding:${id}`;
    await eventually(
      'the onboarding run is waiting',
      async () =>
        (await stack.models.runs
          .exists({ workflowId: onboarding, status: { $in: ['running', 'waiting'] } })
          .exec()) ?? undefined,
    );
    const run = tab().getByRole('region', { name: `Run ${onboarding}` });
    // The run sends its welcome, then sleeps: the page shows when it wakes once it is asleep.
    await eventually('the onboarding run shows its next wake-up', async () => {
      await tab().goto(`${baseUrl}/console/members/${id}`);
      return (await run.innerText()).includes('Next wake-up') ? true : undefined;
    });
    await run.getByRole('link', { name: 'Cancel this run…' }).click();
    expect(await heading()).toBe('Cancel a run');
    await expectGoodPage('07-cancel-confirm');
    await tab().getByRole('button', { name: 'Cancel the run' }).click();
    await expect
      .poll(() => tab().locator('[role=status]').innerText())
      .toContain(`Run ${onboarding} is cancelled`);
    const result = await stack.client.workflow.getHandle<typeof playbookRun>(onboarding).result();
    expect(result).toMatchObject({ kind: 'exited', reason: 'cancelled' });
    await tab().reload();
    await expect
      .poll(() =>
        tab()
          .getByRole('region', { name: `Run ${onboarding}` })
          .innerText(),
      )
      .toContain('exit: cancelled');
    // Closed, the run is shown from its journal: every note but `entered`, in the run's order.
    const journal = await stack.models.journal
      .find({ workflowId: onboarding })
      .sort({ seq: 1 })
      .lean()
      .exec();
    const shown = journal.filter((entry) => entry.kind !== 'entered');
    expect(shown.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['sent', 'exited']));
    const lines = await tab()
      .getByRole('region', { name: `Run ${onboarding}` })
      .locator('.timeline li')
      .allInnerTexts();
    expect(lines.map((line) => line.split(' ').slice(4, 6).join(' '))).toEqual(
      shown.map((entry) => `${entry.stepId} ${entry.kind}:`),
    );
    await expectGoodPage('08-member-after-cancel');
  });

  it('lists deliveries, filtered by playbook and status, as the ledger has them', async () => {
    await tab().getByRole('navigation').getByRole('link', { name: 'Deliveries' }).click();
    await tab().getByLabel('Playbook').selectOption('onboarding');
    await tab().getByLabel('Status').selectOption('sent');
    await tab().getByRole('button', { name: 'Filter' }).click();
    const rows = await stack.models.deliveries.find({ playbook: 'onboarding', status: 'sent' }).lean().exec();
    expect(rows.length).toBeGreaterThan(0);
    const table = tab().getByRole('region', { name: 'Deliveries' });
    expect(await table.locator('tbody tr').count()).toBe(rows.length);
    // Newest first, by when each was sent: from the delivery feed, which the ledger's settling wrote.
    const bySent = (list: typeof rows) =>
      [...list]
        .sort((a, b) => (b.sentAt?.getTime() ?? 0) - (a.sentAt?.getTime() ?? 0))
        .map((row) => row.to.join(', '));
    const toColumn = () => table.locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(await toColumn()).toEqual(bySent(rows));
    expect(await tab().locator('main').innerText()).toContain('among the last 1,000 emails settled');
    // The same from the whole ledger, asked for.
    await tab().getByLabel('The whole ledger (slower)').check();
    await tab().getByRole('button', { name: 'Filter' }).click();
    expect(await tab().locator('main').innerText()).toContain('in the whole ledger');
    const byClaim = [...rows].sort((a, b) => b.claimedAt.getTime() - a.claimedAt.getTime());
    expect(await toColumn()).toEqual(byClaim.map((row) => row.to.join(', ')));
    await expectGoodPage('09-deliveries');
  });

  it('lists the playbooks with their versions and draws one as a flow', async () => {
    await tab().getByRole('navigation').getByRole('link', { name: 'Playbooks' }).click();
    const plans = await shippedPlans();
    for (const plan of plans) {
      const card = tab().getByRole('region', { name: plan.id });
      expect(await card.innerText()).toContain('valid');
      expect(await card.innerText()).toContain(plan.enabled ? 'enabled' : 'disabled');
    }
    await expectGoodPage('10-playbooks');
    await tab().getByRole('link', { name: 'onboarding' }).click();
    const onboarding = plans.find((plan) => plan.id === 'onboarding');
    const flow = await tab().locator('.flow').first().innerText();
    for (const step of onboarding?.steps ?? []) expect(flow).toContain(step.id);
    // Each step carries the funnel's counts, as tend stats computes them from the same records; by now the
    // approved applicant's run has entered the first step and been sent its welcome.
    const funnel = await playbookFunnel(
      stack.models,
      { playbook: 'onboarding', version: onboarding?.version ?? null, from: null, to: null },
      Date.now(),
    );
    const welcome = funnel.steps.find((step) => step.stepId === 'welcome');
    expect(welcome?.entered).toBeGreaterThan(0);
    expect(flow).toContain(`entered ${welcome?.entered}`);
    expect(await tab().locator('#version option:checked').innerText()).toContain(
      onboarding?.version.slice(0, 12),
    );
    await expectGoodPage('11-playbook');
    await expectGoodPageOnDesktop('11-playbook');
  });

  it('previews a playbook for a made-up member, with each email', async () => {
    await tab().getByRole('navigation').getByRole('link', { name: 'Preview' }).click();
    await tab().getByLabel('Playbook').selectOption('onboarding');
    await tab().getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => tab().locator('main').innerText()).toContain('Timeline');
    const main = await tab().locator('main').innerText();
    expect(main).toContain('for Alex Morgan <alex.morgan@example.org>');
    expect(main).toContain('Welcome to Riverside Running Club');
    expect(await tab().locator('iframe').count()).toBeGreaterThan(0);
    await expectGoodPage('12-preview');
  });

  it('logs out, and the console is closed again', async () => {
    await tab().getByRole('button', { name: 'Log out' }).click();
    await expect.poll(() => tab().locator('[role=status]').innerText()).toBe('You are logged out.');
    await tab().goto(`${baseUrl}/console`);
    expect(new URL(tab().url()).pathname).toBe('/console/login');
    expect(watched.problems).toEqual([]);
  });
});
