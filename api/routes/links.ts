// The pages behind the signed links in emails (/l/<action>?t=<token>). A GET only ever shows a page with a
// button: mail scanners and link previews follow every URL in an email, so following a link must decide
// nothing. The button POSTs back to the same URL, whose token (signed, expiring) authorises the action, which
// then goes in as an event through the same path as every other: unsubscribing emits email.unsubscribed,
// answering a survey survey.responded, an organiser's decision member.approved or member.declined. The one
// exception is /l/click, a tracked link: it only records the click and redirects (a scanner's click is told
// apart and counted as raw, never routed).
//
// RFC 8058 one-click unsubscribe is a POST of `List-Unsubscribe=One-Click` to the unsubscribe URL, which the
// unsubscribe route takes urlencoded or multipart (the body says nothing the token does not).

import formbody from '@fastify/formbody';
import type { TendApp } from '../typeProvider.js';
import { clickRedirect } from './links/clickRedirect.js';
import { decisionPages } from './links/decisionPages.js';
import { LINK_BODY_LIMIT, linkPageKit, type LinksDeps } from './links/linkPage.js';
import { preferencesPage } from './links/preferencesPage.js';
import { surveyPage } from './links/surveyPage.js';
import { unsubscribePage } from './links/unsubscribePage.js';

/** Every link page, one module each (api/routes/links/), over the checks and renderer they share. */
export async function linksRoutes(app: TendApp, deps: LinksDeps): Promise<void> {
  await app.register(formbody, { bodyLimit: LINK_BODY_LIMIT });
  const kit = linkPageKit(deps);
  unsubscribePage(app, kit, deps);
  preferencesPage(app, kit, deps);
  surveyPage(app, kit, deps);
  decisionPages(app, kit, deps);
  clickRedirect(app, kit, deps);
}
