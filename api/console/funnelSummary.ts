// A playbook page's step counts from the funnel (domain/journal/funnel.ts): the figures `tend stats` and
// GET /v1/playbooks/:id/stats serve, worded as lines to draw on each step. The console only draws them.

import {
  playbookFunnel,
  type Counted,
  type FunnelModels,
  type StepFunnel,
} from '../../domain/journal/funnel.js';
import type { PlaybookFunnel } from './reportSources.js';

export function createFunnelSummary(
  models: FunnelModels,
  clock: () => number,
): (playbook: string, version: string) => Promise<PlaybookFunnel> {
  return async (playbook, version) => {
    const funnel = await playbookFunnel(models, { playbook, version, from: null, to: null }, clock());
    const steps = Object.fromEntries(funnel.steps.map((step) => [step.stepId, { lines: stepLines(step) }]));
    const { goal } = funnel;
    if (goal === null) return { steps, goal: null };
    if (goal.rate === null) return { steps, goal: `"${goal.name}": no run decided yet` };
    const rate = `${Math.round(goal.rate * 100)}%`;
    return {
      steps,
      goal: `"${goal.name}": ${goal.conversions} of ${goal.decided} decided runs converted (${rate})`,
    };
  };
}

/** Only the figures that are not zero, so that a step reads at a glance. */
function stepLines(step: StepFunnel): string[] {
  const lines = [`entered ${step.entered}`];
  if (step.branches !== null) lines.push(`then ${step.branches.then}, else ${step.branches.else}`);
  if (step.sent > 0) lines.push(`sent ${step.sent}`);
  if (step.held.sends > 0) lines.push(`held ${step.held.sends}`);
  lines.push(...byReason('skipped', step.skipped), ...byReason('failed', step.failed));
  lines.push(...byReason('exited here', step.exited));
  const { clicks } = step;
  if (clicks.sentTo > 0 || clicks.raw > 0) {
    const rate = clicks.rate === null ? '' : ` (${Math.round(clicks.rate * 100)}%)`;
    lines.push(`clicked ${clicks.members} of ${clicks.sentTo}${rate}, ${clicks.raw} raw`);
  }
  if (step.waiting.runs > 0) lines.push(`waiting now ${step.waiting.runs}`);
  return lines;
}

function byReason(label: string, counted: Counted): string[] {
  return Object.entries(counted.byReason).map(([reason, count]) => `${label} ${count} (${reason})`);
}
