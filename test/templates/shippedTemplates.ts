// The shipped playbooks folder, compiled as the worker compiles it: each email with the templates of the plan
// that sends it, exactly as pinned into that plan.

import { join } from 'node:path';
import { compilePlaybooks, readPlaybooksDir, type CompileResult } from '../../compiler/index.js';
import type { PlanTemplates } from '../../compiler/plan.js';

export const PLAYBOOKS_DIR = join(import.meta.dirname, '../../playbooks');

export async function compileShipped(): Promise<CompileResult> {
  return compilePlaybooks(await readPlaybooksDir(PLAYBOOKS_DIR));
}

/** Every email of the compiled plans, with the templates of the plan that sends it. */
export function emailsOf(result: CompileResult): Map<string, PlanTemplates> {
  return new Map(
    result.plans.flatMap((plan) => Object.keys(plan.templates.emails).map((name) => [name, plan.templates])),
  );
}
