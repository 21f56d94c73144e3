// The few HTML pages people see: the pages behind signed links, form errors, and error pages. Handlebars
// escapes every `{{value}}`; templates use no helpers but the built-in block helpers, and no triple-stash
// but the layout's body, which is itself a rendered template, and the constant stylesheet. The <head> is the
// one the console's pages start with too (htmlHead.ts).

import Handlebars from 'handlebars';
import { HTML_HEAD_PARTIAL } from './htmlHead.js';
import { PAGE_TEMPLATES, type PageName } from './templates.js';

const handlebars = Handlebars.create();
const compileOptions = { knownHelpersOnly: true, strict: false } as const;

const PAGE_CSS = `
body{font:16px/1.5 system-ui,sans-serif;color:#1f2328;background:#f6f8fa;margin:0;padding:2rem 1rem}
main{max-width:32rem;margin:0 auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1.5rem 2rem}
h1{font-size:1.3rem;margin-top:0}.community{color:#59636e;font-size:.9rem;margin-bottom:1rem}
button{font:inherit;background:#1f6feb;color:#fff;border:0;border-radius:6px;padding:.5rem 1.2rem;cursor:pointer}
textarea{width:100%;box-sizing:border-box;font:inherit}label{display:block;margin:.3rem 0}
.scores{display:flex;flex-wrap:wrap;gap:.4rem}.scores label{display:inline-block}.muted{color:#59636e}
`;

handlebars.registerPartial('head', HTML_HEAD_PARTIAL);

const layout = handlebars.compile<{
  documentTitle: string;
  css: string;
  title: string;
  community: string;
  body: string;
}>(
  `{{> head}}<body><main><div class="community">{{community}}</div><h1>{{title}}</h1>
{{{body}}}
</main></body>
</html>
`,
  compileOptions,
);

const compiled = new Map<PageName, HandlebarsTemplateDelegate>();

function template(name: PageName): HandlebarsTemplateDelegate {
  let page = compiled.get(name);
  if (!page) {
    page = handlebars.compile(PAGE_TEMPLATES[name], compileOptions);
    compiled.set(name, page);
  }
  return page;
}

export interface Page {
  name: PageName;
  title: string;
  /** The values the page's template reads; every one is escaped. */
  values?: Record<string, unknown>;
}

export function renderPage(community: string, { name, title, values = {} }: Page): string {
  return layout({
    documentTitle: `${title} · ${community}`,
    css: PAGE_CSS,
    title,
    community,
    body: template(name)(values),
  });
}
