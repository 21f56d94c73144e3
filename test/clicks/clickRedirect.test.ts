// Clicks end to end, on the real stack (Temporal dev server, FerretDB, SMTP, the real runs and activities):
// a member gets an invitation (a playbook that waits for email.clicked) and a newsletter (another playbook).
// A tampered link is a 403 page; HEAD and a scanner's GET are recorded raw, redirected and routed nowhere; a
// human click on the newsletter reaches no run (the invitation keeps waiting); a human click on the invitation
// is email.clicked for its run alone and ends its wait_for; the funnel counts every click exactly.

import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { compilePlaybooks, readPlaybooksDir } from '../../compiler/index.js';
import type { Plan } from '../../compiler/plan.js';
import type { ClickDoc, DeliveryDoc } from '../../db/index.js';
import { playbookFunnel, type StepFunnel } from '../../domain/journal/funnel.js';
import { SCANNER_WINDOW_MS } from '../../domain/clicks/classify.js';
import type { playbookRun } from '../../workflows/playbookRun.js';
import { API_KEY, PUBLIC_URL, useApi } from '../api/support/app.js';
import { putPlansInService, useStack } from '../api/support/stack.js';

const stack = useStack({ realRuns: true });
const api = useApi(stack);

const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const SCANNER = 'BarracudaCentral (Link Protection)';
const INVITE_RUN = 'run:club-invite:cl-ada';
const FOOTER = '{{#> footer}}You get this email because you are a member.{{/footer}}';

const PLAYBOOKS = {
  'club-invite.yaml': [
    'name: Club invite',
    'trigger: { event: invite.requested }',
    'steps:',
    '  - id: invite',
    '    send_email: club-invite',
    '  - id: clicked',
    '    wait_for: { event: email.clicked, timeout: 3d }',
    '    on_timeout:',
    '      - send_email: club-invite',
  ].join('\n'),
  'club-news.yaml': [
    'name: Club news',
    'trigger: { event: news.requested }',
    'steps:',
    '  - id: news',
    '    send_email: club-news',
  ].join('\n'),
};
const TEMPLATES = {
  'club-invite.hbs': `---\nsubject: Come to Sunday's run\n---\n<p><a href="https://riverside.example/sunday">Sunday</a></p>${FOOTER}`,
  'club-news.hbs': `---\nsubject: Club news\n---\n<p><a href="https://riverside.example/news">News</a></p>${FOOTER}`,
};

/** The two playbooks, compiled with the shipped community, partials and layouts; no quiet hours, no cap. */
async function clickPlans(): Promise<Plan[]> {
  const shipped = await readPlaybooksDir('playbooks');
  const compiled = compilePlaybooks({
    ...shipped,
    playbooks: Object.entries(PLAYBOOKS).map(([name, text]) => ({ path: `playbooks/${name}`, text })),
    templates: Object.entries(TEMPLATES).map(([name, text]) => ({
      path: `playbooks/templates/${name}`,
      text,
    })),
  });
  const plans = compiled.playbooks.flatMap((playbook) => (playbook.plan === null ? [] : [playbook.plan]));
  if (plans.length !== 2) throw new Error(`the click playbooks do not compile: ${JSON.stringify(compiled)}`);
  return plans.map((plan) => ({ ...plan, delivery: { quietHours: null, frequencyCap: null } }));
}

interface Email {
  /** The path and query of its one tracked link, as a client requests it from this API. */
  link: string;
  row: DeliveryDoc;
}
let invite: Email;
let news: Email;

const click = (link: string, userAgent: string | null, method: 'GET' | 'HEAD' = 'GET') =>
  api.app.inject({ method, url: link, headers: userAgent === null ? {} : { 'user-agent': userAgent } });
const clicksOn = (email: Email) =>
  stack.models.clicks.find({ delivery: email.row.key }).sort({ at: 1 }).lean<ClickDoc[]>().exec();
const clickEvents = () => stack.models.eventLog.countDocuments({ type: 'email.clicked' }).exec();
/** The runs the event a human click became was routed to, once it has been. */
const routedTo = (click: ClickDoc) =>
  vi.waitFor(
    async () => {
      const logged = await stack.models.eventLog.findById(`click:${click._id}`).lean().exec();
      if (logged?.status !== 'routed') throw new Error(`click ${click._id} is not routed yet`);
      return logged.outcome?.runsSignalled;
    },
    { timeout: 30_000, interval: 100 },
  );

beforeAll(async () => {
  await putPlansInService(stack.models, await clickPlans());
  await stack.models.members.create({
    _id: 'cl-ada',
    email: 'cl-ada@example.org',
    firstName: 'Ada',
    status: 'active',
    interests: [],
    tags: [],
    unsubscribed: [],
  });
  const accepted = await api.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { authorization: `Bearer ${API_KEY}` },
    payload: [
      { type: 'invite.requested', memberId: 'cl-ada' },
      { type: 'news.requested', memberId: 'cl-ada' },
    ],
  });
  expect(accepted.statusCode).toBe(202);
  const messages = await stack.mailbox.waitForMessages(2, 60_000);
  const email = async (subject: string): Promise<Email> => {
    const message = messages.find((candidate) => candidate.subject === subject);
    const href = /href="([^"]*\/l\/click\?[^"]*)"/.exec(message?.html || '')?.[1];
    if (message === undefined || href === undefined) throw new Error(`no tracked link in "${subject}"`);
    const row = await vi.waitFor(
      async () => {
        const sent = await stack.models.deliveries.findOne({ messageId: message.messageId }).lean().exec();
        if (!sent?.sentAt) throw new Error(`"${subject}" is not recorded as sent yet`);
        return sent;
      },
      { timeout: 30_000, interval: 100 },
    );
    const url = new URL(href.replaceAll('&amp;', '&'));
    expect(url.origin).toBe(PUBLIC_URL);
    return { link: `${url.pathname}${url.search}`, row };
  };
  invite = await email("Come to Sunday's run");
  news = await email('Club news');
});

describe('GET /l/click', () => {
  it('answers a tampered address with a 403 page, and records nothing', async () => {
    const token = new URL(invite.link, PUBLIC_URL).searchParams.get('t') ?? '';
    const [body = '', signature = ''] = token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, u: 'https://evil.example/' })).toString(
      'base64url',
    );
    const response = await click(`/l/click?t=${forged}.${signature}`, BROWSER);
    expect(response.statusCode).toBe(403);
    expect(response.headers.location).toBeUndefined();
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('this link is not valid');
    expect(await clicksOn(invite)).toEqual([]);
  });

  it('records HEAD as raw and redirects it', async () => {
    const response = await click(invite.link, BROWSER, 'HEAD');
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('https://riverside.example/sunday');
    expect((await clicksOn(invite)).map(({ method, human, reason }) => ({ method, human, reason }))).toEqual([
      { method: 'HEAD', human: false, reason: 'head' },
    ]);
  });

  it('records a scanner’s click as raw, redirects it, and routes nothing', async () => {
    const response = await click(invite.link, SCANNER);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('https://riverside.example/sunday');
    const [, scanned] = await clicksOn(invite);
    expect(scanned).toMatchObject({
      agent: 'scanner',
      human: false,
      reason: 'scanner-agent',
      memberId: 'cl-ada',
    });
    expect(await clickEvents()).toBe(0);
    expect((await stack.client.workflow.getHandle(INVITE_RUN).describe()).status.name).toBe('RUNNING');
  });

  it('routes a human click on another run’s email to that run alone: this run keeps waiting', async () => {
    // A person reads an email after it arrives: clicks in the first 2 s are a scanner's by definition.
    const sentAt = news.row.sentAt?.getTime() ?? 0;
    await sleep(Math.max(0, sentAt + SCANNER_WINDOW_MS + 100 - Date.now()));
    const response = await click(news.link, BROWSER);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('https://riverside.example/news');
    const [human] = await clicksOn(news);
    expect(human).toMatchObject({ agent: 'browser', human: true, reason: null, stepId: 'news' });
    if (human === undefined) throw new Error('no click on the news');
    // The news run has ended and does not wait for clicks; the invitation's run is not this email's.
    expect(await routedTo(human)).toEqual([]);
    expect((await stack.client.workflow.getHandle(INVITE_RUN).describe()).status.name).toBe('RUNNING');
  });

  it('routes a human click to the run that sent the email as email.clicked, ending its wait_for', async () => {
    const sentAt = invite.row.sentAt?.getTime() ?? 0;
    await sleep(Math.max(0, sentAt + SCANNER_WINDOW_MS + 100 - Date.now()));
    const response = await click(invite.link, BROWSER);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('https://riverside.example/sunday');
    const human = (await clicksOn(invite)).find((row) => row.human);
    if (human === undefined) throw new Error('no human click on the invitation');
    expect(await routedTo(human)).toEqual([INVITE_RUN]);
    const outcome = await stack.client.workflow.getHandle<typeof playbookRun>(INVITE_RUN).result();
    expect(outcome).toMatchObject({ kind: 'completed' });
    const logged = await stack.models.eventLog.findById(`click:${human._id}`).lean().exec();
    expect(JSON.parse(logged?.preparedJson ?? 'null')).toMatchObject({
      type: 'email.clicked',
      memberId: 'cl-ada',
      data: {
        url: 'https://riverside.example/sunday',
        template: 'club-invite',
        playbook: 'club-invite',
        stepId: 'invite',
        runId: INVITE_RUN,
      },
    });
    // Each human click is activity for the health report; raw ones are not.
    expect(await stack.models.activities.countDocuments({ memberId: 'cl-ada', kind: 'click' }).exec()).toBe(
      2,
    );
    expect(await clickEvents()).toBe(2);
  });

  it('counts every click in the funnel, human first and raw beside, as the click rows say', async () => {
    const clicksOf = async (playbook: string, stepId: string): Promise<StepFunnel['clicks'] | undefined> => {
      const funnel = await playbookFunnel(
        stack.models,
        { playbook, version: null, from: null, to: null },
        Date.now(),
      );
      return funnel.steps.find((step) => step.stepId === stepId)?.clicks;
    };
    expect(await clicksOf('club-invite', 'invite')).toEqual({
      members: 1,
      sentTo: 1,
      rate: 1,
      human: 1,
      raw: 2,
    });
    expect(await clicksOf('club-news', 'news')).toEqual({ members: 1, sentTo: 1, rate: 1, human: 1, raw: 0 });
    const rows = await stack.models.clicks.find({}).lean<ClickDoc[]>().exec();
    expect(rows.filter((row) => row.human).length).toBe(2);
    expect(rows.filter((row) => !row.human).length).toBe(2);
  });
});
