// The playbook compiler: a playbooks folder -> one self-contained, versioned Plan per playbook, or every problem
// with its file, line and column. readPlaybooksDir is the only I/O; compilePlaybooks is pure.

import { compileCommunity } from './community.js';
import type { CommunityConfig } from './community.js';
import { compareDiagnostics, finishDiagnostics, hasErrors } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { buildTemplateLibrary } from './emails/library.js';
import { compilePlaybook } from './playbook/compilePlaybook.js';
import { readFolderFacts } from './playbook/folderFacts.js';
import type { PlaybookResult } from './playbook/compilePlaybook.js';
import type { Plan } from './plan.js';
import type { PlaybookSources } from './sources.js';

export type { CommunityConfig, FormConfig, WebhookConfig } from './community.js';
export type { Diagnostic } from './diagnostics.js';
export { formatDiagnostic } from './diagnostics.js';
export type { PlaybookResult } from './playbook/compilePlaybook.js';
export type { PlaybookSources, SourceFile } from './sources.js';
export { readPlaybooksDir } from './sources.js';

export interface CompileResult {
  /** No errors anywhere: community.yaml, every template, every playbook. Warnings do not count. */
  ok: boolean;
  community: CommunityConfig | null;
  communityDiagnostics: Diagnostic[];
  playbooks: PlaybookResult[];
  /** Problems in templates, layouts and partials themselves, whoever uses them. */
  templateDiagnostics: Diagnostic[];
  /** Every plan that compiled: the playbooks' plans without the nulls. */
  plans: Plan[];
  /** Every diagnostic of the folder in one list, sorted by file and position. */
  diagnostics: Diagnostic[];
}

export function compilePlaybooks(sources: PlaybookSources): CompileResult {
  const community = compileCommunity(sources.community, sources.root);
  const library = buildTemplateLibrary(sources, readFolderFacts(sources.playbooks));
  const playbooks = sources.playbooks.map((source) => compilePlaybook(source, community.config, library));
  const communityDiagnostics = finishDiagnostics(community.diagnostics);
  const templateDiagnostics = finishDiagnostics(library.diagnostics);
  return {
    plans: playbooks.flatMap((playbook) => (playbook.plan === null ? [] : [playbook.plan])),
    diagnostics: [
      communityDiagnostics,
      templateDiagnostics,
      ...playbooks.map((playbook) => playbook.diagnostics),
    ]
      .flat()
      .sort(compareDiagnostics),
    ok:
      !hasErrors(communityDiagnostics) &&
      !hasErrors(templateDiagnostics) &&
      playbooks.every((playbook) => playbook.plan !== null && !hasErrors(playbook.diagnostics)),
    community: community.config,
    communityDiagnostics,
    playbooks,
    templateDiagnostics,
  };
}
