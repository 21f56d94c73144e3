// Submitting the form of a page the way a browser does: the form's action resolved against the page's URL,
// its method, and the fields a browser would send (named inputs, ticked boxes, text areas), urlencoded.

import { elementsOf } from './html.js';

export interface PageForm {
  action: string;
  method: string;
  fields: [string, string][];
  buttons: number;
}

/** The page's forms, in document order. */
export function formsOf(html: string, pageUrl: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const element of elementsOf(html, ['form', 'input', 'textarea', 'button'])) {
    const { attributes } = element;
    if (element.tag === 'form') {
      forms.push({
        action: new URL(attributes.action ?? '', pageUrl).toString(),
        method: (attributes.method ?? 'get').toLowerCase(),
        fields: [],
        buttons: 0,
      });
      continue;
    }
    const form = forms.at(-1);
    if (form === undefined) continue;
    if (element.tag === 'button') form.buttons += 1;
    else if (submitted(element.tag, attributes) && attributes.name !== undefined) {
      form.fields.push([attributes.name, attributes.value ?? (attributes.type === 'checkbox' ? 'on' : '')]);
    }
  }
  return forms;
}

function submitted(tag: string, attributes: Record<string, string>): boolean {
  if ('disabled' in attributes) return false;
  if (tag !== 'input') return true;
  const type = attributes.type ?? 'text';
  if (type === 'checkbox' || type === 'radio') return 'checked' in attributes;
  return type !== 'submit' && type !== 'button';
}

/** POSTs the form with its fields, some replaced by `values` (a field not in the form is added). */
export function submit(form: PageForm, values: Record<string, string> = {}): Promise<Response> {
  const body = new URLSearchParams(form.fields.filter(([name]) => !(name in values)));
  for (const [name, value] of Object.entries(values)) body.append(name, value);
  return fetch(form.action, {
    method: form.method.toUpperCase(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
    redirect: 'manual',
  });
}
