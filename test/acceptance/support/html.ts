// Reading the HTML of emails and pages as a browser would: elements and their attributes with entities
// decoded (Handlebars writes `=` in a URL as `&#x3D;`), and the text a reader sees. html-to-text parses the
// document and visits every element a selector names, which is all the parsing these tests need.

import { convert, type DomNode } from 'html-to-text';

export interface HtmlElement {
  tag: string;
  attributes: Record<string, string>;
}

/** Every element with one of these tag names, in document order. */
export function elementsOf(html: string, tags: readonly string[]): HtmlElement[] {
  const found: HtmlElement[] = [];
  convert(html, {
    baseElements: { selectors: ['html'] },
    formatters: {
      collect: (element, walk, builder) => {
        found.push({ tag: element.name ?? '', attributes: attributesOf(element) });
        walk(element.children, builder);
      },
    },
    selectors: tags.map((tag) => ({ selector: tag, format: 'collect' })),
  });
  return found;
}

/** The text a reader sees, entities decoded, with every link's address after its words. */
export function visibleText(html: string): string {
  return convert(html, { wordwrap: false, selectors: [{ selector: 'a', options: { linkBrackets: false } }] });
}

function attributesOf(element: DomNode): Record<string, string> {
  const raw: unknown = element.attribs;
  if (typeof raw !== 'object' || raw === null) return {};
  return Object.fromEntries(
    Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
