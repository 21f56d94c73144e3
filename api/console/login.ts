// Logging in: a manager types their address; when community.yaml lists it under `managers`, Tend emails a
// login link. The answer is the same either way (and comes before the email is sent, so its timing says
// nothing either). Following the link shows a button: mail scanners open links, so only the POST, with its
// CSRF token, uses the link and starts the session.

import { Type } from '@sinclair/typebox';
import { Forbidden } from '../errors.js';
import type { TendApp } from '../typeProvider.js';
import type { ConsoleContext } from './context.js';
import { FormBody } from './forms.js';
import { LOGIN_LINK_PATH, type LinkRefusal, type LoginLinks } from './loginLinks.js';
import type { ConsoleSessions } from './session.js';
import { consoleTemplate } from './view.js';

const loginForm = consoleTemplate(`
{{#if sent}}<p class="notice" role="status">If {{sentTo}} is a manager's address, a login link is on its way. It works once, for 15 minutes.</p>{{/if}}
{{#if out}}<p class="notice" role="status">You are logged out.</p>{{/if}}
<div class="card narrow">
<form method="post" action="/console/login">
<input type="hidden" name="_csrf" value="{{csrf}}">
<label for="email">Your email address</label>
<p><input type="email" id="email" name="email" required autocomplete="email" maxlength="320" size="30"></p>
<p><button type="submit">Email me a login link</button></p>
</form>
<p class="muted small">Managers are the addresses under <code>managers</code> in community.yaml.</p>
</div>`);

const confirmLink = consoleTemplate(`
<div class="card narrow">
<p>Log in to the console as <strong>{{email}}</strong>?</p>
<form method="post" action="{{action}}">
<input type="hidden" name="_csrf" value="{{csrf}}">
<button type="submit">Log in</button>
</form>
</div>`);

const LinkQuery = Type.Object(
  { t: Type.String({ pattern: '^[A-Za-z0-9_-]{1,2048}\\.[A-Za-z0-9_-]{1,128}$', maxLength: 2200 }) },
  { additionalProperties: false },
);
const LoginQuery = Type.Object(
  {
    sent: Type.Optional(Type.String({ maxLength: 320 })),
    out: Type.Optional(Type.Literal('1')),
  },
  { additionalProperties: false },
);

const REFUSALS: Record<LinkRefusal['reason'], string> = {
  invalid: 'This login link is not valid: it may have been cut short. Ask for a new one.',
  expired: 'This login link has expired (they work for 15 minutes). Ask for a new one.',
  used: 'This login link has already been used (each works once). Ask for a new one.',
};

export function loginPages(
  app: TendApp,
  context: ConsoleContext,
  auth: { sessions: ConsoleSessions; loginLinks: LoginLinks; isManager: (email: string) => Promise<boolean> },
): void {
  const { sessions, loginLinks, isManager } = auth;
  const page = { config: { page: true } };

  app.get(
    '/console/login',
    { ...page, schema: { hide: true, querystring: LoginQuery } },
    async (request, reply) => {
      if ((await sessions.managerOf(request)) !== null) return reply.redirect('/console', 303);
      const { sent, out } = request.query;
      return context.page(request, reply, {
        title: 'Log in',
        nav: null,
        template: loginForm,
        values: { sent: sent !== undefined, sentTo: sent, out: out !== undefined },
      });
    },
  );

  app.post(
    '/console/login',
    {
      config: {
        page: true,
        rateLimit: { max: context.loginRateLimit.max, timeWindow: context.loginRateLimit.timeWindowMs },
      },
      schema: {
        hide: true,
        body: FormBody({ email: Type.String({ format: 'email', maxLength: 320 }) }),
      },
    },
    async (request, reply) => {
      const email = request.body.email.trim().toLowerCase();
      if (await isManager(email)) {
        sendLoginLink(context, email, loginLinks.url(email)).catch((error: unknown) =>
          context.logger.error({ err: error }, 'the console login link could not be sent'),
        );
        // A manager is on their way: the Overview's reports are computed while they open their email.
        context.warmUp();
      } else {
        request.log.info('a console login was asked for an address that is not a manager');
      }
      return reply.redirect(`/console/login?sent=${encodeURIComponent(email)}`, 303);
    },
  );

  const refuse = (reason: LinkRefusal['reason']): never => {
    throw new Forbidden(REFUSALS[reason]);
  };

  app.get(
    LOGIN_LINK_PATH,
    { ...page, schema: { hide: true, querystring: LinkQuery } },
    async (request, reply) => {
      const checked = await loginLinks.peek(request.query.t);
      if (!checked.ok) return refuse(checked.reason);
      return context.page(request, reply, {
        title: 'Log in',
        nav: null,
        template: confirmLink,
        values: { email: checked.email, action: `${LOGIN_LINK_PATH}?t=${request.query.t}` },
      });
    },
  );

  app.post(
    LOGIN_LINK_PATH,
    {
      config: {
        page: true,
        rateLimit: { max: context.loginRateLimit.max, timeWindow: context.loginRateLimit.timeWindowMs },
      },
      schema: { hide: true, querystring: LinkQuery, body: FormBody({}) },
    },
    async (request, reply) => {
      const used = await loginLinks.use(request.query.t);
      if (!used.ok) return refuse(used.reason);
      if (!(await isManager(used.email))) throw new Forbidden(`${used.email} is no longer a manager`);
      sessions.start(reply, used.sessionId);
      return reply.redirect('/console', 303);
    },
  );
}

async function sendLoginLink(context: ConsoleContext, email: string, url: string): Promise<void> {
  if (context.mailer === null) throw new Error('no mailer: SMTP_URL is not configured for the API');
  const community = await context.community();
  await context.mailer.sendMail({
    from: community.from,
    to: email,
    subject: `Log in to the ${community.name} console`,
    text: [
      `Someone (we hope you) asked to log in to the ${community.name} console as ${email}.`,
      '',
      `Log in: ${url}`,
      '',
      'The link works once, for 15 minutes. If you did not ask for it, ignore this email.',
    ].join('\n'),
  });
}
