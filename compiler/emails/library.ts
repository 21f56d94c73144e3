// Every email template, layout and partial of a playbooks folder, parsed and checked once: front matter,
// Handlebars syntax, helpers, partials and the names they read. What depends on the step that sends an email
// (does its run have an event?) is checked per use, in uses.ts.

import path from 'node:path';
import Handlebars from 'handlebars';
import { isScalar } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { didYouMean } from '../didYouMean.js';
import { FrontMatter } from '../schema/frontMatter.js';
import { schemaDiagnostics } from '../schema/messages.js';
import { TEMPLATE_NAME_PATTERN } from '../schema/playbook.js';
import { validator } from '../schema/validator.js';
import type { FolderFacts } from '../playbook/folderFacts.js';
import type { PlaybookSources, SourceFile } from '../sources.js';
import { TEMPLATE_COMPILE_OPTIONS } from '../templates/helpers.js';
import { diagnosticAt, parseYaml, positionOf } from '../yaml/yamlFile.js';
import type { YamlFile } from '../yaml/yamlFile.js';
import { isMustache, isPath } from './ast.js';
import { splitFrontMatter } from './frontMatter.js';
import { parseHbs } from './hbsSource.js';
import type { HbsSource, Origin } from './hbsSource.js';
import { collectPartialParams, walkTemplate } from './walk.js';
import type { WalkLibrary, WalkResult, WalkSetting } from './walk.js';

export interface EmailSource {
  name: string;
  file: string;
  subject: HbsSource;
  preheader: HbsSource | null;
  body: HbsSource;
  texts: { subject: string; preheader: string | null; html: string };
  layout: string | null;
  /** Front matter `track_clicks` (default true). */
  trackClicks: boolean;
}

export interface LayoutSource {
  source: HbsSource;
  text: string;
}

export interface TemplateLibrary extends WalkLibrary {
  emails: ReadonlyMap<string, EmailSource>;
  /** Who the folder's playbooks send each email to: a suggestion for a missing one stays with its readers. */
  audiences: FolderFacts['audiences'];
  layouts: ReadonlyMap<string, LayoutSource>;
  partialTexts: ReadonlyMap<string, string>;
  /** Files with a template-level error: an email that is one of them, or uses one, cannot be sent. */
  broken: ReadonlySet<string>;
  /** The partials each email (with its layout) uses, directly or through other partials. */
  partialsOf: ReadonlyMap<string, ReadonlySet<string>>;
  templatesDir: string;
  layoutsDir: string;
  diagnostics: Diagnostic[];
}

const frontMatter = validator(FrontMatter);
export const LAYOUT_EXTRAS = new Map([
  ['subject', { kind: 'value', date: false }],
  ['preheader', { kind: 'value', date: false }],
  ['body', { kind: 'value', date: false }],
] as const);
const EVERYWHERE: WalkSetting = {
  availability: { eventId: true, received: true, introduce: true, member: true, report: true },
  extras: new Map(),
  explain: () => '',
};

export function buildTemplateLibrary(sources: PlaybookSources, facts: FolderFacts): TemplateLibrary {
  const diagnostics: Diagnostic[] = [];
  const templatesDir = `${sources.root}/templates`;
  const layoutsDir = `${templatesDir}/layouts`;
  const partialsDir = `${templatesDir}/partials`;
  const named = (files: readonly SourceFile[]) => files.flatMap((file) => nameOf(file, diagnostics));
  const plain = (file: SourceFile): HbsSource => {
    const { source, problems } = parseHbs(file.text, { file: file.path, line: 1, col: 1 }, 'html');
    diagnostics.push(...problems);
    return source;
  };

  const partials = new Map(named(sources.partials).map(([name, file]) => [name, plain(file)]));
  const partialTexts = new Map(named(sources.partials).map(([name, file]) => [name, file.text]));
  const layouts = new Map(
    named(sources.layouts).map(([name, file]) => [name, { source: plain(file), text: file.text }]),
  );
  const emails = new Map<string, EmailSource>();
  for (const [name, file] of named(sources.templates)) {
    const email = readEmail(name, file, layouts, layoutsDir, diagnostics);
    if (email) emails.set(name, email);
  }

  const all = [...emails.values()].flatMap((e) => [e.subject, e.preheader, e.body]);
  const layoutSources = [...layouts.values()].map((layout) => layout.source);
  const programs = [...all, ...layoutSources, ...partials.values()].map((source) => source?.ast ?? null);
  const library = {
    partials,
    partialParams: collectPartialParams(programs),
    partialsDir,
    memberAttributes: facts.attributes,
  };

  const walk = (source: HbsSource | null, setting: WalkSetting): WalkResult => {
    const result: WalkResult = { findings: [], roots: new Set(), partials: new Set(), readsEmails7d: false };
    if (source) walkTemplate(source, setting, library, result);
    diagnostics.push(
      ...result.findings.filter((f) => f.kind === 'template').map(({ kind: _kind, ...d }) => d),
    );
    return result;
  };
  const layoutPartials = new Map(
    [...layouts].map(([name, layout]) => {
      checkBody(layout.source, diagnostics);
      return [name, walk(layout.source, { ...EVERYWHERE, extras: LAYOUT_EXTRAS }).partials];
    }),
  );
  const partialsOf = new Map(
    [...emails.values()].map((email) => {
      const used = new Set(
        [email.subject, email.preheader, email.body].flatMap((s) => [...walk(s, EVERYWHERE).partials]),
      );
      for (const partial of email.layout === null ? [] : (layoutPartials.get(email.layout) ?? []))
        used.add(partial);
      return [email.name, used];
    }),
  );
  for (const source of [...all, ...layoutSources, ...partials.values()]) {
    if (source) checkCompiles(source, diagnostics);
  }

  return {
    ...library,
    emails,
    audiences: facts.audiences,
    layouts,
    partialTexts,
    broken: new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file)),
    partialsOf,
    templatesDir,
    layoutsDir,
    diagnostics,
  };
}

/** `templates/welcome.hbs` -> `welcome`; a name a playbook cannot write is reported, and the file skipped. */
function nameOf(file: SourceFile, diagnostics: Diagnostic[]): Array<[string, SourceFile]> {
  const name = path.posix.basename(file.path, '.hbs');
  if (TEMPLATE_NAME_PATTERN.test(name)) return [[name, file]];
  diagnostics.push({
    file: file.path,
    line: 1,
    col: 1,
    message: `"${name}" cannot be named from a playbook: rename the file with lowercase letters, digits, - and _`,
    severity: 'error',
  });
  return [];
}

function readEmail(
  name: string,
  file: SourceFile,
  layouts: ReadonlyMap<string, LayoutSource>,
  layoutsDir: string,
  diagnostics: Diagnostic[],
): EmailSource | null {
  const fail = (message: string): null => {
    diagnostics.push({ file: file.path, line: 1, col: 1, message, severity: 'error' });
    return null;
  };
  const split = splitFrontMatter(file.text);
  if (!split.ok) return fail(split.message);
  const parsed = parseYaml({ path: file.path, text: split.frontMatter }, 1);
  if (!parsed.ok) {
    diagnostics.push(...parsed.diagnostics);
    return null;
  }
  const yaml = parsed.file;
  // An empty front matter is a mapping without a subject, and is told so.
  const value = yaml.value ?? {};
  if (!frontMatter.is(value)) {
    diagnostics.push(...schemaDiagnostics(yaml, frontMatter.errors(value)));
    return null;
  }
  const piece = (text: string, key: 'subject' | 'preheader'): HbsSource => {
    const { source, problems } = parseHbs(text, valueOrigin(yaml, key), 'plain');
    diagnostics.push(...problems);
    return source;
  };
  const body = parseHbs(split.body, { file: file.path, line: split.bodyLine, col: 1 }, 'html');
  diagnostics.push(...body.problems);
  const layout =
    value.layout === 'none' ? null : (value.layout ?? (layouts.has('default') ? 'default' : null));
  if (layout !== null && !layouts.has(layout)) {
    const hint = didYouMean(layout, [...layouts.keys(), 'none']);
    diagnostics.push(diagnosticAt(yaml, ['layout'], `layout "${layout}" not found in ${layoutsDir}${hint}`));
  }
  return {
    name,
    file: file.path,
    subject: piece(value.subject, 'subject'),
    preheader: value.preheader === undefined ? null : piece(value.preheader, 'preheader'),
    body: body.source,
    texts: { subject: value.subject, preheader: value.preheader ?? null, html: split.body },
    layout,
    trackClicks: value.track_clicks ?? true,
  };
}

/** Where a front matter value's text starts: after its opening quote when it has one. */
function valueOrigin(yaml: YamlFile, key: string): Origin {
  const node = yaml.doc.get(key, true);
  const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
  const { line, col } = positionOf(yaml, [key], 'value');
  return { file: yaml.path, line, col: col + (quoted ? 1 : 0) };
}

/** A layout that never shows the body would send every email empty. */
function checkBody(layout: HbsSource, diagnostics: Diagnostic[]): void {
  if (layout.ast === null) return;
  const mentions = layout.ast.body
    .filter(isMustache)
    .filter((node) => isPath(node.path) && node.path.original === 'body');
  const escaped = mentions.find((node) => node.escaped);
  if (escaped) {
    const { line, col } = layout.position(escaped.loc.start.line, escaped.loc.start.column);
    diagnostics.push({
      file: layout.file,
      line,
      col,
      message: 'write {{{body}}} with three braces: {{body}} would show the HTML as text',
      severity: 'error',
    });
  } else if (mentions.length === 0) {
    diagnostics.push({
      file: layout.file,
      line: 1,
      col: 1,
      message: 'this layout never shows the email: put {{{body}}} where the body goes',
      severity: 'error',
    });
  }
}

/** Handlebars' own compiler, with the helper set the renderer uses: what it refuses, the renderer would too. */
function checkCompiles(source: HbsSource, diagnostics: Diagnostic[]): void {
  if (source.ast === null || diagnostics.some((d) => d.file === source.file && d.severity === 'error'))
    return;
  try {
    // precompile rewrites the tree it is given (partials get an explicit `this`): give it a copy.
    Handlebars.precompile(structuredClone(source.ast), {
      ...TEMPLATE_COMPILE_OPTIONS,
      noEscape: source.mode === 'plain',
    });
  } catch (error) {
    const line =
      error instanceof Error && 'lineNumber' in error && typeof error.lineNumber === 'number'
        ? error.lineNumber
        : 1;
    const column =
      error instanceof Error && 'column' in error && typeof error.column === 'number' ? error.column : 0;
    const message = error instanceof Error ? error.message.replace(/ - \d+:\d+$/, '') : String(error);
    diagnostics.push({
      file: source.file,
      ...source.position(line, column),
      message: `Handlebars cannot compile this: ${message}`,
      severity: 'error',
    });
  }
}
