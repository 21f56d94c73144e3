// The playbooks in service. The registry compiles PLAYBOOKS_DIR, keeps the last good plan of every playbook,
// watches the folder and compiles it again after an edit. A playbook whose file stops validating stays in
// service at its last good version, and every error is logged and stored, so `GET /v1/playbooks` and
// `tend validate` tell the manager what to fix. Every compiled version is stored in the `plans` collection
// (playbook + version): the API reads playbooks from there, and a fan-out loads its exact version.
//
// The last good version survives a restart: a playbook that does not compile when the worker starts is
// served at the version the `plans` collection holds as current.

import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import { compilePlaybooks, formatDiagnostic, readPlaybooksDir } from '../compiler/index.js';
import type { Plan } from '../compiler/plan.js';
import type { Models } from '../db/index.js';
import { currentPlan, retireRemoved, storeInvalid, storeValid } from '../domain/plans/planStore.js';

export interface PlaybookRegistryOptions {
  dir: string;
  models: Pick<Models, 'plans' | 'planChanges'>;
  logger: Logger;
  /** Called after every reload with the plans in service (e.g. to keep schedules in step). */
  onReload?: (plans: Plan[]) => Promise<void>;
  /** Quiet time after the last change in the folder before compiling (editors write a file in steps). */
  debounceMs?: number;
}

/** What the registry knows of one playbook file after a reload. */
export interface PlaybookStatus {
  playbook: string;
  /** The version in service: the one just compiled, or the last good one; null when there never was one. */
  version: string | null;
  /** Whether the file as it is now compiles. */
  valid: boolean;
  /** Every problem of the file, formatted `file:line:col  message`. */
  diagnostics: string[];
}

export interface PlaybookRegistry {
  /** The plans in service, one per playbook. */
  plans(): Plan[];
  /** Compiles the folder now (the watcher calls this after an edit); resolves when the result is stored. */
  reload(): Promise<PlaybookStatus[]>;
  /** Starts watching the folder for edits. */
  watch(): void;
  close(): void;
}

export async function startPlaybookRegistry(options: PlaybookRegistryOptions): Promise<PlaybookRegistry> {
  const { dir, models, logger } = options;
  const inService = new Map<string, Plan>();
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  // Reloads run one after another, never side by side: each stores what the folder said when it ran.
  let queue: Promise<unknown> = Promise.resolve();

  const compileAndStore = async (): Promise<PlaybookStatus[]> => {
    const result = compilePlaybooks(await readPlaybooksDir(dir));
    for (const diagnostic of result.diagnostics) {
      if (diagnostic.severity === 'error') logger.error(formatDiagnostic(diagnostic));
      else logger.warn(formatDiagnostic(diagnostic));
    }
    // A playbook that does not compile may fail for a problem in a file it shares with the others.
    const shared = [...result.communityDiagnostics, ...result.templateDiagnostics];
    const statuses: PlaybookStatus[] = [];
    for (const { id: playbook, plan: compiled, diagnostics } of result.playbooks) {
      const problems = [...diagnostics, ...(compiled === null ? shared : [])].map(formatDiagnostic);
      if (compiled !== null) {
        inService.set(playbook, compiled);
        await storeValid(models, compiled, problems);
        statuses.push({ playbook, version: compiled.version, valid: true, diagnostics: problems });
        continue;
      }
      const lastGood = inService.get(playbook) ?? (await currentPlan(models, playbook));
      if (lastGood !== null) {
        inService.set(playbook, lastGood);
        logger.warn(
          { playbook, version: lastGood.version },
          'playbook does not compile: its last good version stays in service',
        );
      }
      await storeInvalid(models, playbook, lastGood?.version ?? null, problems);
      statuses.push({ playbook, version: lastGood?.version ?? null, valid: false, diagnostics: problems });
    }
    const present = new Set(result.playbooks.map(({ id }) => id));
    for (const playbook of inService.keys()) if (!present.has(playbook)) inService.delete(playbook);
    await retireRemoved(models, present);
    logger.info({ playbooks: [...inService.keys()] }, 'playbooks compiled');
    await options.onReload?.([...inService.values()]);
    return statuses;
  };

  const reload = (): Promise<PlaybookStatus[]> => {
    const next = queue.then(compileAndStore);
    queue = next.catch(() => undefined);
    return next;
  };

  const scheduleReload = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      reload().catch((error: unknown) => logger.error({ err: error }, 'reloading the playbooks failed'));
    }, options.debounceMs ?? 300);
  };

  await reload();
  return {
    plans: () => [...inService.values()],
    reload,
    watch: () => {
      watcher ??= watch(dir, { recursive: true }, scheduleReload).on('error', (error) =>
        logger.error({ err: error, dir }, 'watching the playbooks folder failed'),
      );
    },
    close: () => {
      watcher?.close();
      if (timer) clearTimeout(timer);
    },
  };
}
