// One playbook file, through the three phases: parse (YAML syntax, reported alone), normalise (schema and
// shape), validate (meaning). A plan comes out only when nothing is wrong.

import path from 'node:path';
import type { CommunityConfig } from '../community.js';
import type { Diagnostic } from '../diagnostics.js';
import { finishDiagnostics, hasErrors } from '../diagnostics.js';
import type { TemplateLibrary } from '../emails/library.js';
import type { Plan } from '../plan.js';
import { PLAYBOOK_ID_PATTERN } from '../schema/playbook.js';
import type { SourceFile } from '../sources.js';
import { parseYaml } from '../yaml/yamlFile.js';
import { buildPlan } from './buildPlan.js';
import { normalisePlaybook } from './normalise.js';
import { validatePlaybook } from './validate.js';

export interface PlaybookResult {
  id: string;
  file: string;
  plan: Plan | null;
  diagnostics: Diagnostic[];
}

export function compilePlaybook(
  source: SourceFile,
  community: CommunityConfig | null,
  library: TemplateLibrary,
): PlaybookResult {
  const id = path.posix.basename(source.path).replace(/\.ya?ml$/, '');
  const fileProblems = fileNameProblems(source.path, id);
  const result = (diagnostics: Diagnostic[], plan: Plan | null = null): PlaybookResult => ({
    id,
    file: source.path,
    plan,
    diagnostics: finishDiagnostics([...fileProblems, ...diagnostics]),
  });

  const parsed = parseYaml(source);
  if (!parsed.ok) return result(parsed.diagnostics);
  const { playbook, problems } = normalisePlaybook(id, parsed.file);
  const validated = validatePlaybook(playbook, community, library);
  const diagnostics = [...problems, ...validated.diagnostics];
  if (hasErrors([...fileProblems, ...diagnostics]) || community === null) return result(diagnostics);
  return result(diagnostics, buildPlan(playbook, validated, community, library));
}

/** The id comes from the file name, so a name that is not an id is the first thing to fix. */
function fileNameProblems(file: string, id: string): Diagnostic[] {
  const at = { file, line: 1, col: 1, severity: 'error' as const };
  if (file.endsWith('.yml'))
    return [{ ...at, message: `rename ${id}.yml to ${id}.yaml: playbooks are .yaml files` }];
  if (PLAYBOOK_ID_PATTERN.test(id)) return [];
  return [
    {
      ...at,
      message: `"${id}" cannot be a playbook id: rename the file with lowercase letters, digits and -, starting with a letter`,
    },
  ];
}
