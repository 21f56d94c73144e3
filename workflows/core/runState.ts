// What the outside can see of a run (status queries, `tend runs`, the preview timeline), kept in one place so
// that every change is reported once and the list of steps done stays bounded however long the run lives.

import type { Plan } from '../../compiler/plan.js';
import type { RunState, RunStatus, StepOutcome, StepRecord } from '../../contract/runtime.js';

/** The most recent steps a run remembers; older ones are dropped (history, not state). */
export const MAX_STEP_RECORDS = 200;

export class RunStateTracker {
  private readonly state: RunState;

  constructor(
    identity: { plan: Plan; memberId: string | null; key: string | null },
    steps: StepRecord[],
    private readonly publish: (state: RunState) => void,
  ) {
    this.state = {
      playbook: identity.plan.id,
      version: identity.plan.version,
      memberId: identity.memberId,
      key: identity.key,
      status: 'running',
      currentStep: null,
      nextWakeAt: null,
      exitReason: null,
      steps: steps.slice(-MAX_STEP_RECORDS),
    };
  }

  /** The run is working on `stepId` (not waiting). */
  running(stepId: string): void {
    this.change({ status: 'running', currentStep: stepId, nextWakeAt: null });
  }

  /** The run sleeps in `stepId` until `until` (null: until an event comes). */
  waiting(stepId: string, until: number | null): void {
    this.change({ status: 'waiting', currentStep: stepId, nextWakeAt: until });
  }

  record(stepId: string, outcome: StepOutcome, at: number, detail: string | null = null): void {
    this.state.steps.push({ stepId, outcome, at, detail });
    if (this.state.steps.length > MAX_STEP_RECORDS)
      this.state.steps.splice(0, this.state.steps.length - MAX_STEP_RECORDS);
    this.publish(this.snapshot());
  }

  finish(status: Extract<RunStatus, 'completed' | 'exited'>, exitReason: string | null): void {
    this.change({ status, currentStep: null, nextWakeAt: null, exitReason });
  }

  get currentStep(): string | null {
    return this.state.currentStep;
  }

  /** A copy: the runtime may keep it (a query answer) while the run goes on changing its own. */
  snapshot(): RunState {
    return { ...this.state, steps: this.state.steps.map((step) => ({ ...step })) };
  }

  private change(
    fields: Partial<Pick<RunState, 'status' | 'currentStep' | 'nextWakeAt' | 'exitReason'>>,
  ): void {
    const next = { ...this.state, ...fields };
    const same =
      next.status === this.state.status &&
      next.currentStep === this.state.currentStep &&
      next.nextWakeAt === this.state.nextWakeAt &&
      next.exitReason === this.state.exitReason;
    if (same) return;
    Object.assign(this.state, fields);
    this.publish(this.snapshot());
  }
}
