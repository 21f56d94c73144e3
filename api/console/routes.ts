// The managers' console under /console: server-rendered pages over the same records and the same Temporal
// client as the API. Its own scope holds its cookie, CSRF and form-body plugins. Two inner scopes: the
// login pages, open to anyone, and every other page, behind the session check (an unknown visitor is sent
// to the login page, whatever the route). Every POST, including the login form, carries a CSRF token.

import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyRequest } from 'fastify';
import type { TendApp } from '../typeProvider.js';
import { applicationsPage } from './applications.js';
import { createConsoleContext, type ConsoleDeps } from './context.js';
import { deliveriesPage } from './deliveries.js';
import { loginPages } from './login.js';
import { createLoginLinks } from './loginLinks.js';
import { memberPage } from './member.js';
import { membersPage } from './members.js';
import { overviewPage } from './overview.js';
import { playbookPage } from './playbook.js';
import { playbooksPage } from './playbooks.js';
import { previewPage } from './preview.js';
import { CsrfOnly } from './forms.js';
import { createConsoleSessions, type Manager } from './session.js';

const FORM_BODY_LIMIT = 16 * 1024;
export const LOGIN_PAGE = '/console/login';

export async function consoleRoutes(app: TendApp, deps: ConsoleDeps): Promise<void> {
  const secure = deps.config.publicUrl.startsWith('https:');
  await app.register(cookie, { secret: deps.config.secret });
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'tend_console_csrf',
    cookieOpts: { path: '/console', httpOnly: true, sameSite: 'lax', secure, signed: true },
  });
  // Checked before the body is validated, so that a form without its token is a 403, not a 400.
  app.addHook('preValidation', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') done();
    else app.csrfProtection(request, reply, done);
  });

  const managers = new WeakMap<FastifyRequest, Manager>();
  const context = createConsoleContext(deps, managers);
  const isManager = async (email: string) => {
    const listed = (await context.community()).managers;
    return listed.some((manager) => manager.toLowerCase() === email.toLowerCase());
  };
  const sessions = createConsoleSessions({ models: deps.models, secure, isManager });
  const loginLinks = createLoginLinks({
    links: deps.links,
    publicUrl: deps.config.publicUrl,
    models: deps.models,
  });

  await app.register((open: TendApp, _options, done) => {
    loginPages(open, context, { sessions, loginLinks, isManager });
    done();
  });

  await app.register((signedIn: TendApp, _options, done) => {
    signedIn.addHook('onRequest', async (request, reply) => {
      const manager = await sessions.managerOf(request);
      if (manager === null) return reply.redirect(LOGIN_PAGE, 303);
      managers.set(request, manager);
    });
    overviewPage(signedIn, context);
    membersPage(signedIn, context);
    memberPage(signedIn, context);
    applicationsPage(signedIn, context);
    deliveriesPage(signedIn, context);
    playbooksPage(signedIn, context);
    playbookPage(signedIn, context);
    previewPage(signedIn, context);
    signedIn.post(
      '/console/logout',
      { config: { page: true }, schema: { hide: true, body: CsrfOnly } },
      async (request, reply) => {
        await sessions.end(request, reply);
        return reply.redirect(`${LOGIN_PAGE}?out=1`, 303);
      },
    );
    done();
  });
}
