// The plain-text part of every email, derived from its rendered HTML so that a manager writes each email once.
// Links keep their address ("Unsubscribe [https://...]") because a text reader cannot click a word.

import { compile } from 'html-to-text';

export const htmlToPlainText: (html: string) => string = compile({
  wordwrap: 78,
  selectors: [
    // The preheader is the inbox preview line; in the text part it would only repeat the first sentence.
    { selector: '.preheader', format: 'skip' },
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { linkBrackets: ['[', ']'], hideLinkHrefIfSameAsText: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    // Layout tables are for the eye: read cell by cell, one per line, never as a grid.
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
    { selector: 'th', format: 'block' },
  ],
});
