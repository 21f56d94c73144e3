// How long a run's history is, counting what the current workflow task will add.
// `workflowInfo().historyLength` is the length when the task began: the local activities a task runs
// (records, journal, sends) become markers only once it completes, so a run that sends many emails without
// waiting between them would pass its continue-as-new threshold unseen within one task. Deterministic on
// replay: the length at each task and the local activities called in it are the same.

import { workflowInfo } from '@temporalio/workflow';

export class TaskHistory {
  private taskStartLength = -1;
  private markers = 0;

  /** `counting` false: the length Temporal reports, as it is (runs started before this was counted). */
  constructor(private readonly counting: boolean) {}

  /** A local activity called in the current task: one marker once the task completes. */
  addMarker(): void {
    this.sync();
    if (this.counting) this.markers += 1;
  }

  /** The history's length when the current task's markers are in it. */
  length(): number {
    this.sync();
    return this.taskStartLength + this.markers;
  }

  /** Counts from zero again when a new task has begun (the length Temporal reports has moved). */
  private sync(): void {
    const { historyLength } = workflowInfo();
    if (historyLength === this.taskStartLength) return;
    this.taskStartLength = historyLength;
    this.markers = 0;
  }

  /** `work`, noting a marker at each call. */
  counted<Input, Output>(work: (input: Input) => Promise<Output>): (input: Input) => Promise<Output> {
    return (input) => {
      this.addMarker();
      return work(input);
    };
  }
}
