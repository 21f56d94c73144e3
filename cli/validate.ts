// `tend validate [dir] [--json]`: compiles a playbooks folder and reports every problem, one line each, then a
// summary. Exit 0 when nothing is wrong (warnings allowed), 1 when something is, 2 for a wrong command line.

import { parseArgs } from 'node:util';
import { compilePlaybooks, formatDiagnostic, readPlaybooksDir } from '../compiler/index.js';
import type { CompileResult, Diagnostic } from '../compiler/index.js';

export const USAGE = 'usage: tend validate [dir] [--json]   (dir: PLAYBOOKS_DIR, else ./playbooks)';

export async function validateCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (parsed.positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const dir = parsed.positionals[0] ?? env.PLAYBOOKS_DIR ?? './playbooks';
  const json = parsed.values.json === true;
  let sources;
  try {
    sources = await readPlaybooksDir(dir);
  } catch (error) {
    const message = `cannot read the playbooks folder ${dir}: ${error instanceof Error ? error.message : String(error)}`;
    if (json) console.log(JSON.stringify({ ok: false, error: message }, null, 2));
    else console.error(message);
    return 1;
  }
  const result = compilePlaybooks(sources);
  console.log(json ? JSON.stringify(jsonReport(result), null, 2) : humanReport(result));
  return result.ok ? 0 : 1;
}

function counts(result: CompileResult) {
  const count = (severity: Diagnostic['severity']) =>
    result.diagnostics.filter((d) => d.severity === severity).length;
  return {
    playbooks: result.playbooks.length,
    valid: result.playbooks.filter((playbook) => playbook.plan !== null).length,
    errors: count('error'),
    warnings: count('warning'),
  };
}

function humanReport(result: CompileResult): string {
  const { playbooks, valid, errors, warnings } = counts(result);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const validText =
    valid === playbooks
      ? `${plural(playbooks, 'playbook')} valid`
      : `${valid} of ${plural(playbooks, 'playbook')} valid`;
  const summary = `${validText}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return [...result.diagnostics.map(formatDiagnostic), summary].join('\n');
}

function jsonReport(result: CompileResult) {
  return {
    ok: result.ok,
    summary: counts(result),
    playbooks: result.playbooks.map((playbook) => ({
      id: playbook.id,
      file: playbook.file,
      valid: playbook.plan !== null,
      version: playbook.plan?.version ?? null,
    })),
    diagnostics: result.diagnostics,
  };
}
