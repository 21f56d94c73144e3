// A plan's steps as the playbook page draws them: one box per step, top to bottom, with nested steps (the
// branches of `if`, `wait_for`, `at`, and the `on` handlers) inside their parent, and the funnel's counts
// on each step when the funnel report is connected.

import type { Plan, Recipient, Step } from '../../compiler/plan.js';
import { formatDuration } from './format.js';
import type { PlaybookFunnel } from './reportSources.js';

export interface StepBox {
  id: string;
  kind: string;
  text: string;
  counts: string[];
  branches: { label: string; steps: StepBox[] }[];
}

export function stepFlow(steps: readonly Step[], funnel: PlaybookFunnel | null): StepBox[] {
  return steps.map((step) => ({
    id: step.id,
    kind: step.kind,
    text: describeStep(step),
    counts: funnel?.steps[step.id]?.lines ?? [],
    branches: branchesOf(step)
      .filter(({ steps: inner }) => inner.length > 0)
      .map(({ label, steps: inner }) => ({ label, steps: stepFlow(inner, funnel) })),
  }));
}

export function describeTrigger(plan: Plan): string {
  return plan.trigger.kind === 'event'
    ? `when ${plan.trigger.event} arrives${plan.trigger.key === null ? '' : ` (one run per ${plan.trigger.key})`}`
    : `on the schedule ${plan.trigger.cron} (${plan.trigger.timezone})`;
}

function branchesOf(step: Step): { label: string; steps: Step[] }[] {
  switch (step.kind) {
    case 'if':
      return [
        { label: 'then', steps: step.then },
        { label: 'else', steps: step.else },
      ];
    case 'wait_for':
      return [
        { label: 'on the event', steps: step.onEvent },
        { label: 'on timeout', steps: step.onTimeout },
      ];
    case 'at':
      return [{ label: 'do', steps: step.do }];
    default:
      return [];
  }
}

function describeStep(step: Step): string {
  switch (step.kind) {
    case 'send_email':
      return `send ${step.template} to ${recipient(step.to)} (${step.category})${step.quietHours ? '' : ', also in quiet hours'}`;
    case 'wait':
      return `wait ${formatDuration(step.ms)}`;
    case 'wait_until':
      return `wait until ${step.time}${offset(step.offsetMs)}`;
    case 'wait_local_time':
      return `wait until ${step.localTime} local time (the member's zone, else the community's)${step.days.length === 7 ? '' : ` on ${step.days.join(', ')}`}`;
    case 'at':
      return `at ${step.time}${offset(step.offsetMs)}${step.ifPast === 'skip' ? ', skipped if already past' : ''}`;
    case 'wait_for':
      return `wait for ${step.events.join(' or ')}${step.timeoutMs === null ? '' : ` for up to ${formatDuration(step.timeoutMs)}`}`;
    case 'if':
      return `if ${JSON.stringify(step.condition)}`;
    case 'update_member': {
      const parts = [
        ...Object.entries(step.set).map(([field, value]) => `set ${field} to ${JSON.stringify(value)}`),
        ...(step.addTags.length > 0 ? [`add tags ${step.addTags.join(', ')}`] : []),
        ...(step.removeTags.length > 0 ? [`remove tags ${step.removeTags.join(', ')}`] : []),
      ];
      return `update the member: ${parts.join('; ')}`;
    }
    case 'introduce':
      return `introduce to a peer with the same ${step.match.same.join(', ')}${step.match.within === null ? '' : ` within ${step.match.within}`} (${step.template})`;
    case 'exit':
      return `exit: ${step.reason}`;
  }
}

function recipient(to: Recipient): string {
  if (to.kind === 'address') return to.address;
  return to.kind === 'manager' ? 'the managers' : 'the member';
}

function offset(ms: number): string {
  if (ms === 0) return '';
  return ms < 0 ? ` minus ${formatDuration(-ms)}` : ` plus ${formatDuration(ms)}`;
}
