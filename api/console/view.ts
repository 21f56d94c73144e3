// How console pages are rendered: Handlebars over values the page module has already worked out (dates
// formatted, counts counted), inside one layout with the navigation, the logout button and the stylesheet,
// after the <head> every Tend page starts with (api/pages/htmlHead.ts).
// Handlebars escapes every `{{value}}`; templates use only the built-in block helpers, and the only
// triple-stashes are the layout's body (itself a rendered template) and the constant stylesheet.
// Member-provided text is never trusted.

import type { FastifyReply } from 'fastify';
import Handlebars from 'handlebars';
import { HTML_HEAD_PARTIAL } from '../pages/htmlHead.js';
import { CONSOLE_CSS } from './style.js';

const handlebars = Handlebars.create();
const compileOptions = { knownHelpersOnly: true, strict: false } as const;

export type ConsoleTemplate = (values: object) => string;

/** A partial a page's templates call by name, e.g. a step of the flow that draws its own nested steps. */
export function registerConsolePartial(name: string, source: string): void {
  handlebars.registerPartial(name, handlebars.compile(source, compileOptions));
}

/** A page body's template, compiled once when its module loads. */
export function consoleTemplate(source: string): ConsoleTemplate {
  const compiled = handlebars.compile(source, compileOptions);
  return (values) => compiled(values);
}

export const NAV = [
  { key: 'overview', href: '/console', label: 'Overview' },
  { key: 'members', href: '/console/members', label: 'Members' },
  { key: 'applications', href: '/console/applications', label: 'Applications' },
  { key: 'deliveries', href: '/console/deliveries', label: 'Deliveries' },
  { key: 'playbooks', href: '/console/playbooks', label: 'Playbooks' },
  { key: 'preview', href: '/console/preview', label: 'Preview' },
] as const;

export type NavKey = (typeof NAV)[number]['key'];

handlebars.registerPartial('head', HTML_HEAD_PARTIAL);

const layout = handlebars.compile<{
  documentTitle: string;
  title: string;
  community: string;
  manager: string | null;
  csrf: string;
  nav: { href: string; label: string; current: boolean }[];
  body: string;
  css: string;
}>(
  `{{> head}}<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="/console">{{community}}</a>
{{#if manager}}
<nav aria-label="Console"><ul>{{#each nav}}<li><a href="{{href}}"{{#if current}} aria-current="page"{{/if}}>{{label}}</a></li>{{/each}}</ul></nav>
<form method="post" action="/console/logout" class="logout"><input type="hidden" name="_csrf" value="{{csrf}}"><span class="who">{{manager}}</span> <button type="submit" class="link">Log out</button></form>
{{/if}}
</header>
<main id="main">
<h1>{{title}}</h1>
{{{body}}}
</main>
</body>
</html>
`,
  compileOptions,
);

export interface ConsolePage {
  title: string;
  /** Which navigation entry is this page's; null for pages outside the navigation (login). */
  nav: NavKey | null;
  template: ConsoleTemplate;
  /** What the template reads; `csrf` (the token for its forms) is added. */
  values: object;
}

export interface PageContext {
  community: string;
  /** The manager signed in, or null on the login pages. */
  manager: string | null;
}

/** Sends a console page, with a fresh CSRF token for its forms and headers that keep it private. */
export function sendPage(reply: FastifyReply, context: PageContext, page: ConsolePage): FastifyReply {
  const csrf = reply.generateCsrf();
  const html = layout({
    documentTitle: `${page.title} · ${context.community} console`,
    title: page.title,
    community: context.community,
    manager: context.manager,
    csrf,
    css: CONSOLE_CSS,
    nav: NAV.map((entry) => ({ href: entry.href, label: entry.label, current: entry.key === page.nav })),
    body: page.template({ ...page.values, csrf }),
  });
  return reply
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin')
    .type('text/html; charset=utf-8')
    .send(html);
}
