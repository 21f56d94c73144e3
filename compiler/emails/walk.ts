// Walks a template's Handlebars syntax tree the way Handlebars will render it, and checks every name it reads:
// helpers from the fixed set, partials that exist, and paths that the context has where the email is sent.
// Block helpers change what `this` is (`{{#each upcoming_events}}{{title}}{{/each}}` reads an event's title),
// partials see their caller's context plus their hash parameters, and `@root` and `../` climb back out.
//
// Findings come in two kinds: `template` ones are wrong wherever the template is used (a typo, a missing
// partial); `context` ones depend on the step that sends it (`event` in a playbook whose runs have none).
//
// The walk also notes whether the template can show `member.activity.emails7d` (a count that costs a query
// whenever records are loaded): exactly where a path names it, through `with` blocks, block parameters and
// partials, and conservatively where it cannot tell (a record holding it printed, handed to a helper or
// iterated, the whole context read as `this`): a run that counts for nothing costs a query, a run that does
// not count what a template shows would show a wrong number.

import { didYouMean } from '../didYouMean.js';
import type { Diagnostic } from '../diagnostics.js';
import {
  ANY,
  EMAILS_7D,
  exposesEmails7d,
  isRootName,
  missingRequirement,
  resolveContextPath,
  resolveFields,
  ROOTS,
} from '../context.js';
import type { Availability, Requirement, RootName, Shape } from '../context.js';
import { TEMPLATE_HELPER_NAMES } from '../templates/helpers.js';
import { isBlock, isMustache, isNumber, isPartial, isPartialBlock, isPath, isSubExpression } from './ast.js';
import type { HbsSource } from './hbsSource.js';

const BLOCK_HELPERS = ['if', 'unless', 'each', 'with'] as const;
const HELPERS: readonly string[] = TEMPLATE_HELPER_NAMES;
const DATA_VARIABLES = ['index', 'key', 'first', 'last'];
const VALUE: Shape = { kind: 'value', date: false };

export interface WalkLibrary {
  partials: ReadonlyMap<string, HbsSource>;
  /** Hash keys any caller passes to each partial: a partial may read them though this caller does not pass them. */
  partialParams: ReadonlyMap<string, ReadonlySet<string>>;
  /** `playbooks/templates/partials`, for messages. */
  partialsDir: string;
  /** Names some playbook writes under `member.attributes`: the only ones a suggestion may name there. */
  memberAttributes: ReadonlySet<string>;
}

export interface WalkSetting {
  availability: Availability;
  /** Names a layout sees besides the run's context: subject, preheader, body. */
  extras: ReadonlyMap<string, Shape>;
  /** Why a root or a helper that needs `requirement` is not there, for the path or helper `what`. */
  explain(requirement: Requirement, what: string): string;
}

export interface Finding extends Diagnostic {
  kind: 'template' | 'context';
}

export interface WalkResult {
  findings: Finding[];
  roots: Set<RootName>;
  partials: Set<string>;
  /** Whether the template can show `member.activity.emails7d` (or the peer's). */
  readsEmails7d: boolean;
}

/**
 * How a template uses what an expression names: as a `value` (printed, a helper's argument, iterated), or as
 * the `this` of a block or partial, whose own reads the walk then follows field by field.
 */
type Use = 'value' | 'context';

interface Frame {
  /** `root`: the run's context itself; else the shape of `this`. */
  shape: Shape | 'root';
  /** Names added to `this` by a partial's hash (`{{> button label="Approve"}}`). */
  overlay: ReadonlyMap<string, Shape>;
}

interface Scope {
  source: HbsSource;
  /** Contexts from the outermost in; `../` steps back one. */
  frames: readonly Frame[];
  blockParams: ReadonlyMap<string, Shape>;
  /** The partial being walked, and the ones that led to it (a partial may include itself). */
  partials: readonly string[];
}

const ROOT_FRAME: Frame = { shape: 'root', overlay: new Map() };

export function walkTemplate(
  source: HbsSource,
  setting: WalkSetting,
  library: WalkLibrary,
  result: WalkResult,
): void {
  if (source.ast === null) return;
  new Walker(setting, library, result).program(source.ast, {
    source,
    frames: [ROOT_FRAME],
    blockParams: new Map(),
    partials: [],
  });
}

class Walker {
  constructor(
    private readonly setting: WalkSetting,
    private readonly library: WalkLibrary,
    private readonly result: WalkResult,
  ) {}

  program(program: hbs.AST.Program, scope: Scope): void {
    for (const statement of program.body) this.statement(statement, scope);
  }

  private statement(node: hbs.AST.Statement, scope: Scope): void {
    if (isMustache(node)) this.mustache(node, scope);
    else if (isBlock(node)) this.block(node, scope);
    else if (isPartial(node)) this.partial(node, scope, null);
    else if (isPartialBlock(node)) this.partial(node, scope, node.program);
    else if (node.type === 'Decorator' || node.type === 'DecoratorBlock') {
      this.find(
        scope,
        node,
        'template',
        'inline partials and decorators are not used: put the partial in templates/partials',
      );
    }
  }

  private mustache(node: hbs.AST.MustacheStatement, scope: Scope): void {
    const path = node.path;
    if (!isPath(path)) return;
    const isCall = node.params.length > 0 || node.hash?.pairs.length > 0 || this.isHelperName(path);
    if (isCall) this.helper(path, node.params, node.hash, scope, false);
    else this.expression(path, scope);
    const body = path.original === 'body' && this.setting.extras.has('body');
    if (!node.escaped && scope.source.mode === 'html' && !body) {
      this.find(
        scope,
        node,
        'template',
        `{{{${path.original}}}} inserts HTML unescaped: write {{${path.original}}}`,
      );
    }
  }

  private isHelperName(path: hbs.AST.PathExpression): boolean {
    return !path.data && path.depth === 0 && path.parts.length === 1 && HELPERS.includes(path.original);
  }

  private block(node: hbs.AST.BlockStatement, scope: Scope): void {
    const name = node.path.original;
    const subject = node.params[0];
    const inner = (shape: Shape, params: ReadonlyArray<[string | undefined, Shape]>): Scope => ({
      ...scope,
      frames: [...scope.frames, { shape, overlay: new Map() }],
      blockParams: new Map([
        ...scope.blockParams,
        ...params.filter((entry): entry is [string, Shape] => entry[0] !== undefined),
      ]),
    });
    const blockParams = node.program?.blockParams ?? [];
    if (name === 'each' || name === 'with') {
      this.hash(node.hash, scope);
      const shape = subject === undefined ? ANY : this.expression(subject, scope, 'context');
      // `each` over a record goes through its fields, whatever they are: the walk cannot follow which.
      if (name === 'each' && shape.kind !== 'list') this.uses(shape, 'value');
      const element = name === 'each' ? (shape.kind === 'list' ? shape.of : ANY) : shape;
      const params: Array<[string | undefined, Shape]> = [
        [blockParams[0], element],
        [blockParams[1], VALUE],
      ];
      if (node.program) this.program(node.program, inner(element, params));
    } else if ((BLOCK_HELPERS as readonly string[]).includes(name) || HELPERS.includes(name)) {
      this.helper(node.path, node.params, node.hash, scope, true);
      if (node.program) this.program(node.program, scope);
    } else {
      this.find(
        scope,
        node.path,
        'template',
        `{{#${name}}} is not a block: use #if, #unless, #each or #with`,
      );
      if (node.program) this.program(node.program, inner(ANY, []));
    }
    if (node.inverse) this.program(node.inverse, scope);
  }

  private helper(
    path: hbs.AST.PathExpression,
    params: readonly hbs.AST.Expression[],
    hash: hbs.AST.Hash | undefined,
    scope: Scope,
    block: boolean,
  ): void {
    const name = path.original;
    const known = block ? [...BLOCK_HELPERS, ...HELPERS] : HELPERS;
    if (!known.includes(name)) {
      const hint = didYouMean(name, known) || `: the helpers are ${HELPERS.join(', ')}`;
      this.find(scope, path, 'template', `unknown helper "${name}"${hint}`);
    }
    if (name === 'surveyUrl') {
      if (!this.setting.availability.eventId) {
        this.find(scope, path, 'context', this.setting.explain('eventId', 'surveyUrl'));
      }
      // A score written out must be one the survey can record; one read from a path is checked when sent.
      const score = hash?.pairs.find((pair) => pair.key === 'score')?.value;
      const written = score && isNumber(score) ? score.value : null;
      if (
        score === undefined ||
        (written !== null && !(Number.isInteger(written) && written >= 0 && written <= 10))
      ) {
        this.find(
          scope,
          path,
          'template',
          'surveyUrl takes a score from 0 to 10, like {{surveyUrl score=9}}',
        );
      }
    }
    for (const param of params) this.expression(param, scope);
    this.hash(hash, scope);
  }

  private hash(hash: hbs.AST.Hash | undefined, scope: Scope, use: Use = 'value'): Map<string, Shape> {
    return new Map((hash?.pairs ?? []).map((pair) => [pair.key, this.expression(pair.value, scope, use)]));
  }

  private expression(node: hbs.AST.Expression, scope: Scope, use: Use = 'value'): Shape {
    if (isPath(node)) {
      const shape = this.path(node, scope);
      this.uses(shape, use);
      return shape;
    }
    if (isSubExpression(node)) {
      this.helper(node.path, node.params, node.hash, scope, false);
      return ANY;
    }
    return VALUE;
  }

  private partial(
    node: hbs.AST.PartialStatement | hbs.AST.PartialBlockStatement,
    scope: Scope,
    content: hbs.AST.Program | null,
  ): void {
    if (content) this.program(content, scope);
    const nameNode = node.name;
    if (!isPath(nameNode)) {
      this.find(scope, node, 'template', "write the partial's name, like {{> footer}}");
      return;
    }
    // {{> @partial-block}} renders what the caller wrapped, which was walked in the caller's context.
    if (nameNode.data) return;
    const name = nameNode.original;
    const partial = this.library.partials.get(name);
    if (partial === undefined) {
      const hint = didYouMean(name, [...this.library.partials.keys()]);
      this.find(
        scope,
        nameNode,
        'template',
        `partial "${name}" not found in ${this.library.partialsDir}${hint}`,
      );
      return;
    }
    this.result.partials.add(name);
    const current = scope.frames.at(-1) ?? ROOT_FRAME;
    const explicit = node.params[0];
    const shape = explicit === undefined ? current.shape : this.expression(explicit, scope, 'context');
    const overlay = new Map([
      ...(explicit === undefined ? current.overlay : []),
      ...this.hash(node.hash, scope, 'context'),
    ]);
    if (scope.partials.includes(name) || partial.ast === null) {
      // Not walked again (a partial that includes itself): what it was handed may be read any way.
      if (shape === 'root') this.result.readsEmails7d = true;
      else this.uses(shape, 'value');
      for (const added of overlay.values()) this.uses(added, 'value');
      return;
    }
    this.program(partial.ast, {
      source: partial,
      frames: [...scope.frames.slice(0, -1), { shape, overlay }],
      blockParams: new Map(),
      partials: [...scope.partials, name],
    });
  }

  private path(path: hbs.AST.PathExpression, scope: Scope): Shape {
    const [head, ...rest] = path.parts;
    if (path.data) {
      if (head === 'root') return this.inFrame(ROOT_FRAME, rest, path, scope);
      if (head === 'partial-block') return ANY;
      if (head !== undefined && DATA_VARIABLES.includes(head)) return VALUE;
      this.find(scope, path, 'template', `@${head ?? ''} is not something a template can read`);
      return ANY;
    }
    const frame = scope.frames[scope.frames.length - 1 - path.depth];
    if (frame === undefined) {
      this.find(scope, path, 'template', `"${path.original}" climbs above the top of the template`);
      return ANY;
    }
    const blockParam = path.depth === 0 && head !== undefined ? scope.blockParams.get(head) : undefined;
    if (blockParam !== undefined) return this.fields(blockParam, rest, path, scope, `${head}.`);
    return this.inFrame(frame, path.parts, path, scope);
  }

  private inFrame(frame: Frame, parts: readonly string[], path: hbs.AST.PathExpression, scope: Scope): Shape {
    const [head, ...rest] = parts;
    if (head === undefined) {
      if (frame.shape !== 'root') return frame.shape;
      // The whole context as one value (`{{#each this}}`, `{{> card this}}`): the walk cannot follow it.
      this.result.readsEmails7d = true;
      return ANY;
    }
    const added =
      frame.overlay.get(head) ?? (frame.shape === 'root' ? this.setting.extras.get(head) : undefined);
    if (added !== undefined) return this.fields(added, rest, path, scope, `${head}.`);
    if (frame.shape !== 'root') {
      if (this.isPartialParameter(head, scope)) return ANY;
      return this.fields(frame.shape, parts, path, scope, '');
    }
    if (!isRootName(head)) {
      if (this.isPartialParameter(head, scope)) return ANY;
      // Not a root: the message says so, with the root it is closest to.
      const resolved = resolveContextPath(parts.join('.'), 'templates', this.library.memberAttributes);
      if (!resolved.ok) this.find(scope, path, 'template', resolved.message);
      return ANY;
    }
    const missing = missingRequirement(head, this.setting.availability);
    if (missing !== null) this.find(scope, path, 'context', this.setting.explain(missing, path.original));
    this.result.roots.add(head);
    return this.fields(ROOTS[head].shape, rest, path, scope, `${head}.`);
  }

  private fields(
    shape: Shape,
    parts: readonly string[],
    path: hbs.AST.PathExpression,
    scope: Scope,
    prefix: string,
  ): Shape {
    const resolved = resolveFields(shape, parts, path.original, prefix, this.library.memberAttributes);
    if (resolved.ok) return resolved.shape;
    this.find(scope, path, 'template', resolved.message);
    return ANY;
  }

  /**
   * Notes a read of `member.activity.emails7d`: the field itself, however used (even `{{#with}}` over it shows
   * whether it is 0), or a value that holds it used whole.
   */
  private uses(shape: Shape, use: Use): void {
    if (use === 'value' ? exposesEmails7d(shape) : shape === EMAILS_7D) this.result.readsEmails7d = true;
  }

  /** A name a partial reads that some caller passes (`{{> button color="#8a3b2e"}}`): optional here. */
  private isPartialParameter(name: string, scope: Scope): boolean {
    const partial = scope.partials.at(-1);
    return partial !== undefined && (this.library.partialParams.get(partial)?.has(name) ?? false);
  }

  private find(scope: Scope, node: hbs.AST.Node, kind: Finding['kind'], message: string): void {
    const { line, col } = scope.source.position(node.loc.start.line, node.loc.start.column);
    this.result.findings.push({ file: scope.source.file, line, col, message, severity: 'error', kind });
  }
}

/** Hash keys passed to each partial anywhere in these trees: the parameters each partial has. */
export function collectPartialParams(
  programs: ReadonlyArray<hbs.AST.Program | null>,
): Map<string, Set<string>> {
  const params = new Map<string, Set<string>>();
  const visit = (program: hbs.AST.Program | null | undefined): void => {
    for (const node of program?.body ?? []) {
      if ((isPartial(node) || isPartialBlock(node)) && isPath(node.name) && !node.name.data) {
        const keys = params.get(node.name.original) ?? new Set<string>();
        for (const pair of node.hash?.pairs ?? []) keys.add(pair.key);
        params.set(node.name.original, keys);
      }
      if (isBlock(node)) {
        visit(node.program);
        visit(node.inverse);
      }
      if (isPartialBlock(node)) visit(node.program);
    }
  };
  programs.forEach(visit);
  return params;
}
