// Phase 1, parse: YAML text -> a document that remembers where every key and value is. Syntax errors are
// reported alone (nothing after them would be trustworthy); so are the YAML features a playbook has no use for
// and that make files mean something else than they seem: tags (`!Ref`, `!!binary`), non-scalar keys, and
// aliases past a small number (a few aliases are a convenience; thousands are an attack).

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node, ParsedNode, YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import type { SourceFile } from '../sources.js';
import { layoutMistakes } from './layout.js';

export type YamlPath = readonly (string | number)[];

export interface YamlFile {
  path: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** Lines above this document in its file (the `---` of a template's front matter). */
  lineOffset: number;
  /** The document as plain JSON values. */
  value: unknown;
}

export type ParsedYaml = { ok: true; file: YamlFile } | { ok: false; diagnostics: Diagnostic[] };

const MAX_ALIASES = 20;

export function parseYaml(source: SourceFile, lineOffset = 0): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(source.text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    schema: 'core',
  });
  const at = (offset: number): Pick<Diagnostic, 'line' | 'col'> => {
    const { line, col } = lines.linePos(offset);
    return { line: line + lineOffset, col };
  };
  const error = (offset: number, message: string): Diagnostic => ({
    file: source.path,
    ...at(offset),
    message,
    severity: 'error',
  });

  if (doc.errors.length > 0) {
    // The manager's mistake in their words when the layout explains it; the parser's words otherwise.
    const mistakes = layoutMistakes(source.text);
    if (mistakes.length > 0) {
      return {
        ok: false,
        diagnostics: mistakes.map((m) => ({
          file: source.path,
          line: m.line + lineOffset,
          col: m.col,
          message: m.message,
          severity: 'error',
        })),
      };
    }
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => {
        const { offset, message } = syntaxProblem(e, source.text);
        return error(offset, message);
      }),
    };
  }
  const unsupported = unsupportedFeatures(doc, source.text, error);
  if (unsupported.length > 0) return { ok: false, diagnostics: unsupported };
  try {
    const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIASES });
    return { ok: true, file: { path: source.path, doc, lines, lineOffset, value } };
  } catch {
    const firstAlias = findFirstAlias(doc);
    return {
      ok: false,
      diagnostics: [
        error(
          firstAlias,
          `too many aliases (*name): a file may repeat anchored values at most ${MAX_ALIASES} times`,
        ),
      ],
    };
  }
}

function unsupportedFeatures(
  doc: Document.Parsed,
  text: string,
  error: (offset: number, message: string) => Diagnostic,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(doc, {
    Node(_key, node) {
      if (node.tag !== undefined && node.range) {
        const tag = tagText(node);
        // The node's range starts at its value; the tag is written just before it.
        const tagOffset = text.lastIndexOf(tag, node.range[0]);
        found.push(
          error(
            tagOffset === -1 ? node.range[0] : tagOffset,
            `tags such as ${tag} are not used here: write the value plainly`,
          ),
        );
      }
    },
    Pair(_key, pair) {
      if (pair.key !== null && !isScalar(pair.key) && isNodeWithRange(pair.key)) {
        found.push(error(pair.key.range[0], 'a key must be a plain word, not a list or a mapping'));
      }
    },
  });
  return found;
}

function tagText(node: Node): string {
  const tag = node.tag ?? '';
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

function findFirstAlias(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, alias) {
      offset = alias.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** yaml's messages, minus the location it appends (ours comes first), in a manager's words where we can. */
function syntaxProblem(error: YAMLError, text: string): { offset: number; message: string } {
  const offset = error.pos[0];
  const found = text.slice(offset, error.pos[1]);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  // The usual cause in front matter: `subject: {{member.firstName}}` reads as a YAML mapping.
  const braces = /:\s*\{\{/.exec(line);
  if (braces) {
    return {
      offset: lineStart + braces.index + braces[0].indexOf('{'),
      message: 'a value that starts with {{ must be in quotes, like subject: "{{member.firstName}}, welcome"',
    };
  }
  const unclosed =
    /^Flow (map|sequence) in block collection must be sufficiently indented and end with an? ([}\]])/.exec(
      error.message,
    );
  if (unclosed) {
    const [, kind, close] = unclosed;
    const opened = kind === 'map' ? '{' : '[';
    return {
      offset,
      message: `a ${opened} above is not closed: end it with ${close} (or indent this line further)`,
    };
  }
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = /^["']?([^"':\n]*)/.exec(text.slice(offset))?.[1]?.trim() ?? found;
      return { offset, message: `"${key}" appears twice in the same mapping: keep one` };
    }
    case 'TAB_AS_INDENT':
      return { offset, message: 'indent with spaces, not tabs' };
    case 'MULTIPLE_DOCS':
      return {
        offset,
        message: 'one document per file: remove this "---" and what follows, or move it to a file of its own',
      };
    default:
      return {
        offset,
        message: error.message.replace(/ at line \d+, column \d+[\s\S]*$/, '').replace(/\.$/, ''),
      };
  }
}

/** Where a path points: the key itself (an unknown field) or its value (a wrong value). */
export type PathTarget = 'key' | 'value';

/**
 * The position of the node at `path`, or of the deepest node that exists along it: a message about
 * `send_email.template` lands on `send_email: welcome` when the manager used the short form.
 */
export function positionOf(
  file: YamlFile,
  path: YamlPath,
  target: PathTarget,
): Pick<Diagnostic, 'line' | 'col'> {
  const offset = offsetOf(file.doc, path, target);
  const { line, col } = file.lines.linePos(offset);
  return { line: line + file.lineOffset, col };
}

function offsetOf(doc: Document.Parsed, path: YamlPath, target: PathTarget): number {
  let node: unknown = doc.contents;
  let best = rangeStart(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return best;
      const keyStart = rangeStart(pair.key);
      if (last && target === 'key' && keyStart !== null) return keyStart;
      best = rangeStart(pair.value) ?? keyStart ?? best;
      node = pair.value;
    } else if (isSeq(node) && Number.isInteger(Number(segment))) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined) return best;
      best = rangeStart(item) ?? best;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

function isNodeWithRange(value: unknown): value is ParsedNode {
  return typeof value === 'object' && value !== null && 'range' in value && Array.isArray(value.range);
}

function rangeStart(value: unknown): number | null {
  if (isAlias(value) || isScalar(value) || isMap(value) || isSeq(value)) return value.range?.[0] ?? null;
  return null;
}

/** A diagnostic at a path of a YAML file. */
export function diagnosticAt(
  file: YamlFile,
  path: YamlPath,
  message: string,
  options: { target?: PathTarget; severity?: Diagnostic['severity'] } = {},
): Diagnostic {
  return {
    file: file.path,
    ...positionOf(file, path, options.target ?? 'value'),
    message,
    severity: options.severity ?? 'error',
  };
}
