// When a file does not parse, the YAML parser's own words ("All mapping items must start at the same column",
// four of them for one misplaced line) describe its state, not the manager's mistake. This reads the file the
// way a manager lays it out, line by line: keys line up under keys, `- ` under `- `, a nested block goes
// further right than its key. Each line that breaks that is one mistake, told as what to write and where
// ("indent send_email 2 more spaces, to line up with id on line 4"). A file it cannot explain is left to the
// parser's messages.

export interface LayoutMistake {
  /** 1-based, in the text given. */
  line: number;
  /** 1-based. */
  col: number;
  message: string;
}

/** A container the lines so far have opened: a mapping's keys, or a list's `- `, at one column. */
interface Open {
  kind: 'map' | 'list';
  /** 0-based. */
  col: number;
  /** The last key written in a mapping, or the first item of a list, as a line may be told to line up with it. */
  anchor: { text: string; line: number };
  /** Lines placed in it so far. */
  members: number;
  /** The line that opened it: when that one is out of line, the lines after it say so (see `openerMisplaced`). */
  opener: { line: number; col: number; shown: string; dashCol: number | null };
}

/** What the line just read leaves open for the next one. */
type After =
  | { kind: 'nothing' }
  /** `key:` or `-` alone: a nested block follows, further right than `col` (a list may start at `col`). */
  | { kind: 'nested'; col: number; listAtSameCol: boolean }
  /** A plain value: a deeper line without a key continues it. */
  | { kind: 'plain' }
  /** `- word`: a list item that a manager may have meant as `key: value`. */
  | { kind: 'item'; col: number; text: string; line: number };

/** Content that is a key: plain (`send_email:`) or quoted, followed by `:` and a space or the line's end. */
const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`?-][^#]*?|-\S[^#]*?)\s*:(?=\s|$)/;
const WORD = /^[A-Za-z_][\w.-]*/;
const DASH = /^\s*-(\s|$)/;

export function layoutMistakes(text: string): LayoutMistake[] {
  return new LayoutReader(text.split('\n').map((line) => line.replace(/\r$/, ''))).read();
}

class LayoutReader {
  private readonly open: Open[] = [];
  private readonly mistakes: LayoutMistake[] = [];
  private after: After = { kind: 'nothing' };

  constructor(private readonly lines: readonly string[]) {}

  read(): LayoutMistake[] {
    let index = 0;
    let seenContent = false;
    while (index < this.lines.length) {
      const raw = this.lines[index] ?? '';
      const number = index + 1;
      index += 1;
      const trimmed = raw.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      // Directives, several documents and complex keys are rare enough in playbooks to leave to the parser.
      if (/^(%|\? |---|\.\.\.)/.test(trimmed) && !(trimmed === '---' && !seenContent)) return this.mistakes;
      if (trimmed === '---') continue;
      seenContent = true;
      const skip = this.line(raw, number);
      if (skip === 'stop') return this.mistakes;
      index = this.skipContinuation(index, skip);
    }
    return this.mistakes;
  }

  /** Lines that belong to the value the last line opened: a block scalar, or a flow collection. */
  private skipContinuation(index: number, skip: Skip): number {
    let next = index;
    if (skip.kind === 'block') {
      while (next < this.lines.length) {
        const line = this.lines[next] ?? '';
        if (line.trim() !== '' && indentOf(line) <= skip.col) break;
        next += 1;
      }
    } else if (skip.kind === 'flow') {
      let depth = skip.depth;
      while (next < this.lines.length && depth > 0) {
        depth += scanValue(this.lines[next] ?? '', true).depth;
        next += 1;
      }
    }
    return next;
  }

  private line(raw: string, number: number): Skip | 'stop' {
    const whitespace = /^[ \t]*/.exec(raw)?.[0] ?? '';
    const tab = whitespace.indexOf('\t');
    let col = whitespace.length;
    let rest = raw.slice(col);
    const dashes: number[] = [];
    while (/^-(\s|$)/.test(rest)) {
      dashes.push(col);
      const step = /^-\s*/.exec(rest)?.[0].length ?? 1;
      col += step;
      rest = rest.slice(step);
    }
    const key = KEY.exec(rest);
    const first: Token = dashes.length > 0 ? 'list' : key ? 'map' : 'scalar';
    const shown = shownToken(first, key?.[1], rest);

    if (tab !== -1) {
      // Where the manager meant the line to be: aligned with what it most likely continues.
      const target = this.intended(first);
      const where =
        target === null
          ? 'start this line with spaces'
          : target.anchor === null
            ? `start this line with ${spaces(target.col)}`
            : `start this line with ${spaces(target.col)}, to line up ${shown} with ${target.anchor.text} on line ${target.anchor.line}`;
      this.report(number, tab, `indent with spaces, not tabs: ${where}`);
      this.resync(target?.col ?? 0, first, shown, number);
    } else if (!this.place(whitespace.length, first, shown, number, rest)) {
      return 'stop';
    }

    // The rest of the line, after its first token: nested list items, then a key or a value.
    for (const dash of dashes.slice(1))
      this.open.push(opened('list', dash, anchorText(raw, dash), number, null));
    if (dashes.length > 0) {
      if (key) this.open.push(opened('map', col, unquote(key[1] ?? ''), number, dashes.at(-1) ?? null));
      else if (rest.trim() === '' || rest.trim().startsWith('#')) {
        this.after = { kind: 'nested', col: dashes.at(-1) ?? col, listAtSameCol: false };
        return { kind: 'none' };
      }
    }
    if (!key) return this.value(rest, col, number, dashes.length > 0 || this.open.length === 0);
    const valueStart = key[0].length + (/^\s*/.exec(rest.slice(key[0].length))?.[0].length ?? 0);
    const value = rest.slice(valueStart);
    if (value === '' || value.startsWith('#') || /^[&!]\S*\s*(#.*)?$/.test(value)) {
      this.after = { kind: 'nested', col, listAtSameCol: true };
      return { kind: 'none' };
    }
    return this.value(value, col + valueStart, number, false);
  }

  /** A value (or a list item's scalar): what it leaves open, and an unclosed quote. */
  private value(value: string, col: number, number: number, isItem: boolean): Skip | 'stop' {
    if (/^[|>]/.test(value)) {
      this.after = { kind: 'nothing' };
      return { kind: 'block', col: this.open.at(-1)?.col ?? 0 };
    }
    const scan = scanValue(value, false);
    if (scan.unclosedQuote !== null) {
      const quote = value[scan.unclosedQuote] ?? '"';
      if (this.quoteIsUnclosed(number, quote)) {
        const written = value.slice(scan.unclosedQuote + 1).trim();
        const like = written === '' ? '' : `, like ${quote}${written}${quote}`;
        this.report(
          number,
          col + scan.unclosedQuote,
          `this ${quote} is not closed: end the value with ${quote} on the same line${like}`,
        );
        return 'stop';
      }
    }
    if (scan.depth > 0) {
      this.after = { kind: 'nothing' };
      return { kind: 'flow', depth: scan.depth };
    }
    const plain = !/^["'[{]/.test(value);
    this.after =
      isItem && plain
        ? { kind: 'item', col, text: value.replace(/\s+#.*$/, '').trim(), line: number }
        : plain
          ? { kind: 'plain' }
          : { kind: 'nothing' };
    return { kind: 'none' };
  }

  /** A quote left open on its line is a mistake unless it closes before the next line that looks like YAML. */
  private quoteIsUnclosed(number: number, quote: string): boolean {
    for (const line of this.lines.slice(number)) {
      if (line.includes(quote)) return false;
      if (KEY.test(line.trim().replace(/^-\s+/, '')) || /^\s*-\s/.test(line)) return true;
    }
    return true;
  }

  /**
   * Puts the line's first token (at 0-based `col`) in the structure, or reports how to line it up. Returns
   * false when the layout is beyond what this reader explains.
   */
  private place(col: number, token: Token, shown: string, number: number, content: string): boolean {
    const after = this.after;
    this.after = { kind: 'nothing' };
    if (
      after.kind === 'nested' &&
      (col > after.col || (col === after.col && token === 'list' && after.listAtSameCol))
    ) {
      this.push(token, col, shown, number);
      return true;
    }
    // `- id welcome` (or `name Onboarding` on the first line) followed by a key lined up under it: it was
    // meant as `id: welcome`.
    if (after.kind === 'item' && token === 'map' && col === after.col) {
      this.missingColon(after.line, after.col, after.text);
      this.push('map', col, shown, number);
      return true;
    }
    if (this.open.length === 0) {
      // A scalar alone at the top waits for the next line to say whether it was meant as a key.
      if (token !== 'scalar') this.push(token, col, shown, number);
      return true;
    }
    if (after.kind === 'plain' && token === 'scalar' && col > (this.open.at(-1)?.col ?? 0)) return true;
    const same = this.matching(col, token);
    if (same !== null) {
      this.open.length = same + 1;
      if (token === 'scalar') {
        // A line without a colon where a key belongs.
        this.missingColon(number, col, content.replace(/\s+#.*$/, '').trim());
        return true;
      }
      this.setAnchor(shown, number);
      return true;
    }
    const target = this.nearest(token === 'list' ? 'list' : 'map', col);
    if (target === null) return false;
    if (target.members === 1 && this.openerMisplaced(target, col, token, number)) {
      this.moveOpener(target, col, shown, number);
      return true;
    }
    this.report(
      number,
      col,
      `indent ${shown} ${shiftBy(target.col - col)}, to line up with ${target.anchor.text} on line ${target.anchor.line}`,
    );
    this.resync(target.col, token, shown, number);
    return true;
  }

  /**
   * Whether the line that opened `target` is the one out of line, rather than this one at `col`: the `- `
   * that follows the block sits where the opener's would be once moved, or more of the lines that follow
   * line up with this one than with the opener.
   */
  private openerMisplaced(target: Open, col: number, token: Token, number: number): boolean {
    const below = Math.min(col, target.col);
    const rest = this.lines
      .slice(number - 1)
      .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
    const dashCol = target.opener.dashCol;
    const next = rest.find((line) => indentOf(line) < below);
    if (dashCol !== null && next !== undefined && DASH.test(next)) {
      return indentOf(next) === dashCol + (col - target.col);
    }
    let agree = 0;
    let disagree = 1;
    for (const line of rest) {
      if (indentOf(line) < below) break;
      if (DASH.test(line) !== (token === 'list')) continue;
      if (indentOf(line) === col) agree += 1;
      else if (indentOf(line) === target.col) disagree += 1;
    }
    return agree > disagree;
  }

  /** Reports the opener of `target` as the line out of line, and carries on with `target` at `col`. */
  private moveOpener(target: Open, col: number, shown: string, number: number): void {
    const { opener } = target;
    const shift = col - target.col;
    const message =
      opener.dashCol === null
        ? `indent ${opener.shown} ${shiftBy(shift)}, to line up with ${shown} on line ${number}`
        : `indent "- ${opener.shown}" ${shiftBy(shift)}, so that ${opener.shown} lines up with ${shown} on line ${number}`;
    this.report(opener.line, opener.dashCol ?? opener.col, message);
    const index = this.open.indexOf(target);
    // A `- key` line opened the list too: it moves with its key.
    const list = this.open[index - 1];
    if (opener.dashCol !== null && list?.kind === 'list' && list.opener.line === opener.line)
      list.col += shift;
    target.col = col;
    target.anchor = { text: shown, line: number };
    target.members += 1;
    this.open.length = index + 1;
  }

  /** The open container at `col` that takes this token (a key at a mapping's column, `- ` at a list's). */
  private matching(col: number, token: Token): number | null {
    for (let index = this.open.length - 1; index >= 0; index -= 1) {
      const open = this.open[index];
      if (open === undefined || open.col < col) return null;
      if (open.col > col) continue;
      if (open.kind === 'list' && token === 'list') return index;
      if (open.kind === 'map' && token !== 'list') return index;
    }
    return null;
  }

  /** The open container of this kind nearest to `col` (the deeper one when two are as near). */
  private nearest(kind: Open['kind'], col: number): Open | null {
    let best: Open | null = null;
    for (const open of this.open) {
      if (open.kind !== kind) continue;
      if (best === null || Math.abs(open.col - col) <= Math.abs(best.col - col)) best = open;
    }
    return best;
  }

  /** Where a tab-indented line was meant to start: the nested block the line above opened, or its siblings. */
  private intended(token: Token): { col: number; anchor: Open['anchor'] | null } | null {
    if (this.after.kind === 'nested') {
      const sibling = this.open.at(-1);
      return {
        col: this.after.col + 2,
        anchor: sibling && sibling.col === this.after.col + 2 ? sibling.anchor : null,
      };
    }
    const open = [...this.open].reverse().find((o) => o.kind === (token === 'list' ? 'list' : 'map'));
    return open ? { col: open.col, anchor: open.anchor } : null;
  }

  /** After a reported line: carry on as if it had been written where the message says. */
  private resync(col: number, token: Token, shown: string, number: number): void {
    this.after = { kind: 'nothing' };
    const same = this.matching(col, token === 'scalar' ? 'map' : token);
    if (same === null) this.push(token, col, shown, number);
    else {
      this.open.length = same + 1;
      this.setAnchor(shown, number);
    }
  }

  private push(token: Token, col: number, shown: string, number: number): void {
    while ((this.open.at(-1)?.col ?? -1) > col) this.open.pop();
    this.open.push(opened(token === 'list' ? 'list' : 'map', col, shown, number, null));
  }

  private setAnchor(shown: string, number: number): void {
    const top = this.open.at(-1);
    if (top === undefined) return;
    top.members += 1;
    if (top.kind === 'map') top.anchor = { text: shown, line: number };
  }

  private missingColon(line: number, col: number, written: string): void {
    const word = firstWord(written);
    const value = written.slice(word.length).trim();
    const write = value === '' ? `${word}: and its value` : `${word}: ${value}`;
    this.report(line, col, `add a colon after ${word}: write ${write}`);
  }

  private report(line: number, col: number, message: string): void {
    this.mistakes.push({ line, col: col + 1, message });
  }
}

type Token = 'map' | 'list' | 'scalar';
type Skip = { kind: 'none' } | { kind: 'block'; col: number } | { kind: 'flow'; depth: number };

/** How a message names a line: its key, `- key` for a list item, or its first word. */
function shownToken(token: Token, key: string | undefined, rest: string): string {
  const name = key === undefined ? firstWord(rest.trim()) || rest.trim() : unquote(key);
  return token === 'list' ? `"- ${name}"` : name;
}

/** A container opened by line `number`, its first member. */
function opened(
  kind: Open['kind'],
  col: number,
  shown: string,
  number: number,
  dashCol: number | null,
): Open {
  return {
    kind,
    col,
    anchor: { text: shown, line: number },
    members: 1,
    opener: { line: number, col, shown, dashCol },
  };
}

/** How a nested list item (`- - x`) is named: `"- x"`. */
function anchorText(raw: string, col: number): string {
  const rest = raw.slice(col + 1).trim();
  const key = KEY.exec(rest);
  return `"- ${key ? unquote(key[1] ?? '') : firstWord(rest)}"`;
}

/** `1 more space`, `2 spaces less`: how far a line must move right (positive) or left. */
function shiftBy(columns: number): string {
  const count = Math.abs(columns);
  return columns > 0 ? `${count} more ${count === 1 ? 'space' : 'spaces'}` : `${spaces(count)} less`;
}

const firstWord = (text: string): string => WORD.exec(text)?.[0] ?? text.split(/\s/)[0] ?? '';
const unquote = (key: string): string => key.replace(/^(["'])(.*)\1$/, '$2');
const indentOf = (line: string): number => /^ */.exec(line)?.[0].length ?? 0;
const spaces = (count: number): string => (count === 1 ? '1 space' : `${count} spaces`);

/**
 * A value's brackets and quotes: how many `{`/`[` it leaves open, and where a quote starts that the line
 * does not close. Inside a flow collection (or `inFlow`), a quote may start after `[`, `{`, `,` or `:`;
 * elsewhere only at the start of the value.
 */
function scanValue(value: string, inFlow: boolean): { depth: number; unclosedQuote: number | null } {
  let depth = 0;
  let index = 0;
  while (index < value.length) {
    const char = value[index] ?? '';
    const before = value.slice(0, index).trimEnd().at(-1);
    const quoteMayStart =
      index === 0 || ((inFlow || depth > 0) && (before === undefined || '[{,:'.includes(before)));
    if ((char === '"' || char === "'") && quoteMayStart) {
      const close = closingQuote(value, index);
      if (close === -1) return { depth, unclosedQuote: index };
      index = close + 1;
      continue;
    }
    if (char === '#' && (index === 0 || /\s/.test(value[index - 1] ?? ''))) break;
    if (char === '{' || char === '[') depth += 1;
    if (char === '}' || char === ']') depth -= 1;
    index += 1;
  }
  return { depth, unclosedQuote: null };
}

function closingQuote(value: string, open: number): number {
  const quote = value[open];
  for (let index = open + 1; index < value.length; index += 1) {
    const char = value[index];
    if (quote === '"' && char === '\\') index += 1;
    else if (char === quote) {
      if (quote === "'" && value[index + 1] === "'") index += 1;
      else return index;
    }
  }
  return -1;
}
