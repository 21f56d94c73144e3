// One piece of Handlebars (an email body, a subject line, a layout, a partial), parsed, with the way back from
// a position in it to a line and column in the file the manager edits.

import Handlebars from 'handlebars';
import type { Diagnostic } from '../diagnostics.js';

export interface FilePosition {
  line: number;
  col: number;
}

export interface HbsSource {
  file: string;
  /** `html` is escaped on output; `plain` (subject, preheader) is text. */
  mode: 'html' | 'plain';
  /** Null when it does not parse (the parse error is reported). */
  ast: hbs.AST.Program | null;
  /** A Handlebars position (1-based line, 0-based column) as a position in the file. */
  position(line: number, column: number): FilePosition;
}

/** Where a piece starts in its file: a body starts a few lines down, a subject part-way along a line. */
export interface Origin {
  file: string;
  line: number;
  col: number;
}

export function parseHbs(
  text: string,
  origin: Origin,
  mode: HbsSource['mode'],
): { source: HbsSource; problems: Diagnostic[] } {
  const position = (line: number, column: number): FilePosition => ({
    line: origin.line + line - 1,
    col: (line === 1 ? origin.col : 1) + column,
  });
  try {
    return { source: { file: origin.file, mode, ast: Handlebars.parse(text), position }, problems: [] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = parseErrorPosition(message, text);
    return {
      source: { file: origin.file, mode, ast: null, position },
      problems: [
        {
          file: origin.file,
          ...position(at.line, at.column),
          message: parseErrorMessage(message),
          severity: 'error',
        },
      ],
    };
  }
}

/**
 * Handlebars reports a parse error as "Parse error on line N:", then the 20 characters before the error
 * (newlines removed), then a caret. The column is where those characters end on line N.
 */
function parseErrorPosition(message: string, text: string): { line: number; column: number } {
  const line = Number(/on line (\d+)/.exec(message)?.[1] ?? '1');
  const [, excerpt = '', caret = ''] = message.split('\n');
  const before = excerpt.slice(0, caret.indexOf('^')).replace(/^\.\.\./, '');
  const lines = text.split('\n');
  const lineStart = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
  const lineText = lines[line - 1] ?? '';
  for (let end = 0; end <= lineText.length; end += 1) {
    const consumed = text.slice(0, lineStart + end).replace(/\n/g, '');
    if (before !== '' && consumed.endsWith(before)) return { line, column: end };
  }
  return { line, column: 0 };
}

function parseErrorMessage(message: string): string {
  const got = /got '([^']+)'$/.exec(message)?.[1];
  if (got === 'EOF') return 'the template ends before a {{#block}} is closed: add its {{/block}}';
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(message);
  if (mismatch) return `{{/${mismatch[2]}}} closes {{#${mismatch[1]}}}: write {{/${mismatch[1]}}}`;
  return 'this is not valid Handlebars: check that every {{ is closed by }} and every {{#block}} by {{/block}}';
}
