// Compiled Handlebars templates, cached by content so that a worker sending thousands of emails compiles each
// template once. Keys are hashes of the sources, not plan versions: editing one playbook does not recompile
// the templates it shares with the last version. Each set of partials gets its own isolated Handlebars
// environment, so no plan's partials or helpers leak into another's.

import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { TEMPLATE_COMPILE_OPTIONS, TEMPLATE_HELPERS } from './helpers.js';

/** `html` escapes `{{ }}` output; `plain` (subject and preheader: text, not HTML) does not. */
export type TemplateMode = 'html' | 'plain';

/** Bounds memory in a long-lived worker that sees many versions of many playbooks. */
const MAX_ENTRIES = 500;

/** A Map that forgets the least recently used entry when full. */
class LruCache<V> {
  readonly #entries = new Map<string, V>();

  getOrCreate(key: string, create: () => V): V {
    const found = this.#entries.get(key);
    if (found !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found;
    }
    const created = create();
    this.#entries.set(key, created);
    if (this.#entries.size > MAX_ENTRIES) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    return created;
  }
}

function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function createEnvironment(partials: Record<string, string>): typeof Handlebars {
  const handlebars = Handlebars.create();
  for (const [name, helper] of Object.entries(TEMPLATE_HELPERS)) handlebars.registerHelper(name, helper);
  for (const [name, source] of Object.entries(partials)) {
    handlebars.registerPartial(name, handlebars.compile(source, TEMPLATE_COMPILE_OPTIONS));
  }
  return handlebars;
}

const environments = new LruCache<typeof Handlebars>();
const templates = new LruCache<Handlebars.TemplateDelegate>();

/** The compiled form of `source`, rendered with the helpers and the given partials. */
export function compiledTemplate(
  partials: Record<string, string>,
  source: string,
  mode: TemplateMode,
): Handlebars.TemplateDelegate {
  const partialsKey = contentHash(
    JSON.stringify(Object.entries(partials).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
  const environment = environments.getOrCreate(partialsKey, () => createEnvironment(partials));
  return templates.getOrCreate(`${partialsKey}:${mode}:${contentHash(source)}`, () =>
    environment.compile(source, { ...TEMPLATE_COMPILE_OPTIONS, noEscape: mode === 'plain' }),
  );
}
