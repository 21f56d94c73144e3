// The console's doors: every page but the login pages needs a session (checked for every route the router
// has under /console, so a new page cannot be forgotten), a login link works once and not after 15 minutes,
// every POST needs its CSRF token, the login form answers the same for anyone and is rate-limited, and text
// that members wrote is escaped on every page that shows it.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { consoleLinkCommand } from '../../cli/consoleLink.js';
import { createMailer } from '../../domain/delivery/mailer.js';
import { startMailbox, type Mailbox } from '../../cli/dev/mailbox.js';
import { PUBLIC_URL, testConfig, useApi } from '../api/support/app.js';
import { putPlansInService, shippedPlans, useStack } from '../api/support/stack.js';
import { injectBrowser, type InjectBrowser } from './support/injectBrowser.js';
import { loginLinkIn } from './support/loginLink.js';
import { routerRoutes } from './support/routerRoutes.js';
import { backfillMemberIndex } from '../../domain/memberIndex/backfill.js';

const MANAGER = 'organisers@riverside.example';
const LOGIN_RATE_LIMIT = 12;
/** The pages anyone may open: logging in needs no session. */
const OPEN_ROUTES = new Set([
  'GET /console/login',
  'POST /console/login',
  'GET /console/login/link',
  'POST /console/login/link',
]);
const HOSTILE = `<img src=x onerror="alert(1)"> Eve & "Co"`;

let mailbox: Mailbox | undefined;
const inbox = () => {
  if (mailbox === undefined) throw new Error('the mailbox starts before the tests');
  return mailbox;
};
beforeAll(async () => {
  mailbox = await startMailbox({ port: 0 });
});
afterAll(async () => {
  await mailbox?.close();
});

const stack = useStack();
const api = useApi(stack, () => ({
  mailer: createMailer(`smtp://${inbox().host}:${inbox().port}`),
  consoleLoginRateLimit: { max: LOGIN_RATE_LIMIT, timeWindowMs: 60_000 },
}));

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
  await stack.models.members.create({
    _id: 'eve',
    email: 'eve@members.example',
    name: HOSTILE,
    status: 'applied',
    joinedAt: new Date(),
  });
  await stack.models.surveyResponses.create({
    memberId: 'eve',
    eventId: 'ten-k',
    score: 3,
    comment: `</pre><script>alert("comment")</script>`,
    respondedAt: new Date(),
  });
  // Written straight to the database, as a platform would: the backfill enters it in Eve's index.
  await backfillMemberIndex(stack.models);
});

/** Every route the router has under /console. */
function consoleRoutes(): string[] {
  return routerRoutes(api.app).filter((route) => route.split(' ')[1]?.startsWith('/console'));
}

/** A request to a route pattern with plausible values in its parameters. */
function concrete(path: string): string {
  return path.replace(':decision', 'approve').replace(/:[a-z]+/g, 'eve');
}

async function logIn(browser: InjectBrowser): Promise<void> {
  const before = inbox().messages().length;
  const csrf = await browser.csrfFrom('/console/login');
  expect((await browser.post('/console/login', { email: MANAGER, _csrf: csrf })).status).toBe(303);
  const [, email] = [before, (await inbox().waitForMessages(before + 1, 20_000)).at(-1)];
  const link = loginLinkIn(email);
  const confirm = await browser.get(link);
  expect(confirm.body).toContain(MANAGER);
  const token = /name="_csrf" value="([^"]+)"/.exec(confirm.body)?.[1] ?? '';
  const used = await browser.post(link, { _csrf: token });
  expect(used).toMatchObject({ status: 303, location: '/console' });
}

describe('the console without a session', () => {
  it('sends every route but the login pages to the login page', async () => {
    const routes = consoleRoutes();
    // The router really was read: the pages this test knows of are among the routes.
    expect(routes).toEqual(
      expect.arrayContaining(['GET /console', 'GET /console/members/:id', 'POST /console/logout']),
    );
    const stranger = injectBrowser(() => api.app);
    const guarded = routes.filter((route) => !OPEN_ROUTES.has(route));
    expect(guarded.length).toBeGreaterThanOrEqual(10);
    for (const route of guarded) {
      const [method = '', path = ''] = route.split(' ');
      const answer =
        method === 'POST' ? await stranger.post(concrete(path), {}) : await stranger.get(concrete(path));
      expect({ route, status: answer.status, location: answer.location }).toEqual({
        route,
        status: 303,
        location: '/console/login',
      });
    }
    for (const route of OPEN_ROUTES) expect(routes).toContain(route);
  });

  it('answers the same whether or not the address is a manager, and emails only the manager', async () => {
    const browser = injectBrowser(() => api.app);
    const csrf = await browser.csrfFrom('/console/login');
    const before = inbox().messages().length;
    const stranger = await browser.post('/console/login', { email: 'someone@else.example', _csrf: csrf });
    const manager = await browser.post('/console/login', { email: MANAGER, _csrf: csrf });
    expect(stranger.status).toBe(303);
    expect(manager.status).toBe(303);
    expect(stranger.location?.replace(/sent=.*/, '')).toBe(manager.location?.replace(/sent=.*/, ''));
    const [sentPage, strangerPage] = [
      await browser.get(manager.location ?? ''),
      await browser.get(stranger.location ?? ''),
    ];
    const normalised = (body: string, email: string) =>
      body.replaceAll(email, 'X').replace(/name="_csrf" value="[^"]+"/g, 'CSRF');
    expect(normalised(sentPage.body, MANAGER)).toBe(normalised(strangerPage.body, 'someone@else.example'));
    const messages = await inbox().waitForMessages(before + 1, 20_000);
    const sent = messages.slice(before);
    expect(sent.map((message) => message.envelope.to)).toEqual([[MANAGER]]);
  });
});

describe('login links', () => {
  it('log in once: the same link again is refused, and the session ends at logout', async () => {
    const browser = injectBrowser(() => api.app);
    await logIn(browser);
    expect((await browser.get('/console')).status).toBe(200);

    const link = loginLinkIn(inbox().messages().at(-1));
    const again = injectBrowser(() => api.app);
    const token = await again.csrfFrom(link).catch(() => '');
    expect(token).toBe('');
    const reused = await again.post(link, { _csrf: await again.csrfFrom('/console/login') });
    expect(reused.status).toBe(403);
    expect(reused.body).toContain('already been used');

    // Logging out ends the session on the server: the old cookie no longer opens anything.
    const cookie = new Map(browser.cookies);
    const csrf = await browser.csrfFrom('/console');
    expect((await browser.post('/console/logout', { _csrf: csrf })).location).toBe('/console/login?out=1');
    const replay = injectBrowser(() => api.app);
    for (const [name, value] of cookie) replay.cookies.set(name, value);
    expect((await replay.get('/console')).location).toBe('/console/login');
  });

  it('is refused after 15 minutes, forged, or for another kind of link', async () => {
    const browser = injectBrowser(() => api.app);
    const now = Math.floor(Date.now() / 1000);
    const expired = api.links.sign({ a: 'console-login', m: MANAGER, x: now - 1 });
    const answer = await browser.get(`/console/login/link?t=${expired}`);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('expired');
    const post = await browser.post(`/console/login/link?t=${expired}`, {
      _csrf: await browser.csrfFrom('/console/login'),
    });
    expect(post.status).toBe(403);
    expect(browser.cookies.has('tend_console')).toBe(false);

    const approveLink = api.links.sign({ a: 'approve', m: MANAGER, x: now + 600 });
    expect((await browser.get(`/console/login/link?t=${approveLink}`)).status).toBe(403);
    const valid = api.links.sign({ a: 'console-login', m: MANAGER, x: now + 600 });
    const forged = `${valid.slice(0, -2)}${valid.endsWith('A') ? 'B' : 'A'}A`;
    expect((await browser.get(`/console/login/link?t=${forged}`)).status).toBe(403);
  });

  it('printed by tend console-link, logs the first manager in (what npm run dev prints)', async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await consoleLinkCommand([], { TEND_SECRET: testConfig('unused').secret, PUBLIC_URL });
    const url = String(printed.mock.calls[0]?.[0]);
    printed.mockRestore();
    expect(code).toBe(0);
    const { pathname, search } = new URL(url);
    const browser = injectBrowser(() => api.app);
    expect((await browser.get(pathname + search)).body).toContain(MANAGER);
    const used = await browser.post(pathname + search, { _csrf: await browser.csrfFrom('/console/login') });
    expect(used).toMatchObject({ status: 303, location: '/console' });
    expect((await browser.get('/console')).status).toBe(200);
  });

  it('for an address that is not a manager opens nothing', async () => {
    const browser = injectBrowser(() => api.app);
    const link = api.links.sign({
      a: 'console-login',
      m: 'someone@else.example',
      x: Math.floor(Date.now() / 1000) + 600,
    });
    const used = await browser.post(`/console/login/link?t=${link}`, {
      _csrf: await browser.csrfFrom('/console/login'),
    });
    expect(used.status).toBe(403);
    expect((await browser.get('/console')).location).toBe('/console/login');
  });
});

describe('CSRF', () => {
  it('refuses every POST without its token with a 403', async () => {
    const browser = injectBrowser(() => api.app);
    await logIn(browser);
    const posts = consoleRoutes().filter((route) => route.startsWith('POST '));
    expect(posts.length).toBeGreaterThanOrEqual(4);
    for (const route of posts) {
      const path = concrete(route.slice('POST '.length));
      const withoutToken = await browser.post(path, {});
      expect({ route, status: withoutToken.status }).toEqual({ route, status: 403 });
      const wrongToken = await browser.post(path, { _csrf: 'not-the-token' });
      expect({ route, status: wrongToken.status }).toEqual({ route, status: 403 });
    }
    // Nothing was decided without a token.
    expect((await stack.models.members.findById('eve').lean().exec())?.status).toBe('applied');
    expect((await browser.get('/console')).status).toBe(200);
  });
});

describe('member-provided text', () => {
  it('is escaped on every page that shows it', async () => {
    const browser = injectBrowser(() => api.app);
    await logIn(browser);
    const pages = [
      '/console',
      '/console/members?q=eve',
      '/console/members?q=eve&inside=1',
      '/console/members/eve',
      '/console/applications',
    ];
    for (const url of pages) {
      const page = await browser.get(url);
      expect({ url, status: page.status }).toEqual({ url, status: 200 });
      expect(page.body).toContain(
        '&lt;img src&#x3D;x onerror&#x3D;&quot;alert(1)&quot;&gt; Eve &amp; &quot;Co&quot;',
      );
      expect(page.body).not.toContain('<img src=x');
    }
    // Found by the word of her address (db/nameWords.ts), with the way to the match inside every name.
    const byWord = await browser.get('/console/members?q=eve');
    expect(byWord.body).toContain('1 with the words of &quot;eve&quot;.');
    expect(byWord.body).toContain('href="/console/members?q=eve&amp;inside=1"');
    const member = await browser.get('/console/members/eve');
    expect(member.body).toContain('&lt;/pre&gt;&lt;script&gt;alert(&quot;comment&quot;)&lt;/script&gt;');
    expect(member.body).not.toContain('<script>');
  });
});

describe('the login form', () => {
  it(`is rate-limited per address (${LOGIN_RATE_LIMIT} a minute here)`, async () => {
    const browser = injectBrowser(() => api.app);
    const csrf = await browser.csrfFrom('/console/login');
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= LOGIN_RATE_LIMIT; attempt += 1) {
      statuses.push(
        (await browser.post('/console/login', { email: `x${attempt}@else.example`, _csrf: csrf })).status,
      );
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
