// The run journal as the interpreter core writes it: what the run did at each step, in the order it did it.
// The core only notes; the runtime decides where the notes go (a real run batches them onto the activities
// it already calls and flushes them when it waits or closes; the preview keeps none). Notes are plain JSON.

/** What a run did at a step. The run's closing note (`completed`, `exited`, `run_failed`) ends the journal. */
export const JOURNAL_NOTE_KINDS = [
  'entered',
  'branch',
  'waiting',
  'held',
  'sent',
  'skipped',
  'failed',
  'exited',
  'completed',
  'run_failed',
] as const;
export type JournalNoteKind = (typeof JOURNAL_NOTE_KINDS)[number];

export interface JournalNote {
  stepId: string;
  kind: JournalNoteKind;
  /** ms epoch, the run's time. */
  at: number;
  /** `branch`: which way an `if` went. */
  branch?: 'then' | 'else';
  /** `waiting`, `held`: when the run wakes (ms epoch); null waits for an event only. */
  until?: number | null;
  /** `held`: quiet_hours or frequency_cap; `skipped`, `failed` (the SMTP reply), `exited`: why. */
  reason?: string;
  /** Sends: the template, and the occurrence that with the step id names one email of the run. */
  template?: string;
  occurrence?: number;
}

/** A note numbered in its run: the number makes its id, so writing it again (a retry, a replay) is a no-op. */
export interface JournalEntry extends JournalNote {
  seq: number;
}

/** The reason a run's note gives when it ends because its member reached the playbook's goal. */
export const GOAL_REACHED = 'goal';

/** The reason of a send that was held and then never made because the run ended meanwhile. */
export const EXITED_WHILE_HELD = 'exited while held';
