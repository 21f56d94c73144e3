// The API's view of the playbooks. Playbook reports come from the `plans` collection, which the worker's
// playbook registry keeps (it compiles the folder, keeps the last good version in service and stores every
// error); only when that collection is empty (no worker has run yet) does the API compile the folder itself.
// community.yaml is compiled here, from the same folder, at most once per `refreshMs`; when it stops
// compiling, the last good version stays in use, as with playbooks.

import type { FastifyBaseLogger } from 'fastify';
import {
  compilePlaybooks,
  formatDiagnostic,
  readPlaybooksDir,
  type CompileResult,
} from '../compiler/index.js';
import type { Models } from '../db/index.js';
import { playbookReports } from '../domain/plans/planStore.js';
import { ServiceUnavailable } from './errors.js';
import type { CommunityView, PlaybookReport, PlansSource } from './plansSource.js';

export interface PlaybooksFolderOptions {
  dir: string;
  models: Pick<Models, 'plans'>;
  logger: FastifyBaseLogger;
  /** How long a compile of the folder is used before the folder is read again. */
  refreshMs?: number;
}

export function createPlaybooksFolderSource({
  dir,
  models,
  logger,
  refreshMs = 10_000,
}: PlaybooksFolderOptions): PlansSource {
  let compiled: { at: number; result: Promise<CompileResult> } | null = null;
  let lastGoodCommunity: CommunityView | null = null;

  const compile = (): Promise<CompileResult> => {
    if (compiled === null || Date.now() - compiled.at > refreshMs) {
      const result = readPlaybooksDir(dir).then(compilePlaybooks);
      // A folder that cannot be read is tried again on the next request, not remembered.
      result.catch(() => (compiled = null));
      compiled = { at: Date.now(), result };
    }
    return compiled.result;
  };

  async function community(): Promise<CommunityView> {
    const result = await compile();
    if (result.community !== null) {
      lastGoodCommunity = result.community;
      return result.community;
    }
    const problems = result.communityDiagnostics.map(formatDiagnostic);
    if (lastGoodCommunity !== null) {
      logger.warn({ problems }, 'community.yaml does not compile: its last good version stays in use');
      return lastGoodCommunity;
    }
    throw new ServiceUnavailable(`community.yaml does not compile: ${problems.slice(0, 3).join('; ')}`);
  }

  async function playbooks(): Promise<PlaybookReport[]> {
    const stored = await playbookReports(models);
    if (stored.length > 0) return stored;
    const result = await compile();
    return result.playbooks.map((playbook) => ({
      id: playbook.id,
      version: playbook.plan?.version ?? null,
      enabled: playbook.plan?.enabled ?? false,
      valid: playbook.plan !== null,
      errors: playbook.diagnostics.map(formatDiagnostic),
    }));
  }

  return { community, playbooks };
}
