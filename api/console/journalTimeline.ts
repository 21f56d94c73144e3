// A closed run's timeline from the run journal (db/journal.ts) rather than from the run itself: asking a
// closed workflow its status makes a worker replay its whole history, and once Temporal's retention has
// passed there is nobody left to ask, while the journal keeps what the run did for good. Entries are read by
// `_id` (`<workflowId>#<sequence>#<seq>`, numbered from 0 with no gaps), the one lookup FerretDB serves from
// an index, one after another until the run's closing note: side by side they queue up in FerretDB's SQLite
// and took longer, and a lookup that finds nothing costs several that find something, so the closing note,
// not a miss, ends the read.

import { journalEntryId, type JournalDoc, type Models } from '../../db/index.js';

/** The most entries read for one run: a page shows a timeline, not an archive. */
const MOST = 100;
/** The notes that end a run's journal (contract/journal.ts). */
const CLOSING: ReadonlySet<JournalDoc['kind']> = new Set(['completed', 'exited', 'run_failed']);

export interface TimelineStep {
  /** ms epoch */
  at: number;
  stepId: string;
  outcome: string;
  detail: string | null;
}

export interface JournalTimeline {
  steps: TimelineStep[];
  /** Why the run ended early (`cancelled`, `goal`, an exit event); null when it did not. */
  exitReason: string | null;
}

/** The run's journal as a timeline; null when the journal holds nothing of the run (a run from before it). */
export async function journalTimeline(
  models: Pick<Models, 'journal'>,
  workflowId: string,
  sequence: number,
): Promise<JournalTimeline | null> {
  const entries: JournalDoc[] = [];
  while (entries.length < MOST) {
    const entry = await models.journal
      .findById(journalEntryId(workflowId, sequence, entries.length))
      .lean<JournalDoc>()
      .exec();
    if (entry === null) break;
    entries.push(entry);
    if (CLOSING.has(entry.kind)) break;
  }
  if (entries.length === 0) return null;
  const exited = entries.find((entry) => entry.kind === 'exited');
  return {
    steps: entries.flatMap(timelineStep),
    exitReason: exited?.reason ?? null,
  };
}

/** An entry as the run's own status words its steps; `entered` notes are left out (the outcome follows). */
function timelineStep(entry: JournalDoc): TimelineStep[] {
  const what = entry.template;
  const until = entry.until === null ? null : entry.until.toISOString();
  const detail = (() => {
    switch (entry.kind) {
      case 'entered':
        return undefined;
      case 'branch':
        return entry.branch === null ? null : `went ${entry.branch}`;
      case 'waiting':
        return until === null ? 'for an event' : `until ${until}`;
      case 'held':
        return [what, `${entry.reason ?? 'held'}${until === null ? '' : ` until ${until}`}`]
          .filter(Boolean)
          .join(': ');
      case 'sent':
        return what;
      default:
        return [what, entry.reason].filter(Boolean).join(': ') || null;
    }
  })();
  if (detail === undefined) return [];
  return [{ at: entry.at.getTime(), stepId: entry.stepId, outcome: entry.kind, detail }];
}
