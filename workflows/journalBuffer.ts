// The run journal's notes on their way out of a workflow. Notes wait here, numbered in the run, and leave on
// the next activity the run calls anyway (loadRecords before every step, deliver for every send); when the
// run is about to wait or to close they leave on their own. They are forgotten only once an activity that
// carried them has succeeded, so a failed activity's notes go with the next one. Each note's number makes its
// id in the journal, so a note written twice (a retried activity, a replayed workflow task) is stored once.

import type { JournalEntry, JournalNote } from '../contract/journal.js';

export class JournalBuffer {
  private pending: JournalEntry[] = [];

  /**
   * @param nextSeq the number of the run's next note (carried across continue-as-new)
   * @param enabled false for a run that began before the journal existed: it writes none, so that its
   *   history replays unchanged (see `patched` in playbookRun.ts)
   */
  constructor(
    private nextSeq: number,
    readonly enabled: boolean,
  ) {}

  add(note: JournalNote): void {
    if (!this.enabled) return;
    this.pending.push({ ...note, seq: this.nextSeq });
    this.nextSeq += 1;
  }

  /** The notes not yet written, or undefined when there are none (the activity input then leaves them out). */
  unwritten(): JournalEntry[] | undefined {
    return this.pending.length === 0 ? undefined : [...this.pending];
  }

  /** An activity carrying `entries` succeeded: they are stored. */
  written(entries: readonly JournalEntry[] | undefined): void {
    const last = entries?.at(-1);
    if (last === undefined) return;
    this.pending = this.pending.filter((entry) => entry.seq > last.seq);
  }

  /** The number the next note will get: a run that continues as new goes on from it. */
  get seq(): number {
    return this.nextSeq;
  }
}
