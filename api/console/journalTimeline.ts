// A closed run's timeline from the run journal (db/journal.ts) rather than from the run itself: asking a
// closed workflow its status makes a worker replay its whole history, and once Temporal's retention has
// passed there is nobody left to ask, while the journal keeps what the run did for good. Entries are read by
// `_id` (`<workflowId>#<sequence>#<seq>`, numbered from 0 with no gaps), the one lookup FerretDB serves from
// an index, a few at a time until the first number that is not there.

import { journalEntryId, type JournalDoc, type Models } from '../../db/index.js';

/** Entries read side by side; and the most read for one run (a page shows a timeline, not an archive). */
const AT_ONCE = 8;
const MOST = 200;

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
  for (let from = 0; from < MOST; from += AT_ONCE) {
    const batch = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, offset) =>
        models.journal
          .findById(journalEntryId(workflowId, sequence, from + offset))
          .lean<JournalDoc>()
          .exec(),
      ),
    );
    const missing = batch.findIndex((entry) => entry === null);
    entries.push(...batch.slice(0, missing === -1 ? AT_ONCE : missing).flatMap((entry) => entry ?? []));
    if (missing !== -1) break;
  }
  if (entries.length === 0) return null;
  const conversion = await models.journal
    .findById(journalEntryId(workflowId, sequence, 'goal'))
    .lean<JournalDoc>()
    .exec();
  const exited = entries.find((entry) => entry.kind === 'exited');
  return {
    steps: [...entries, ...(conversion === null ? [] : [conversion])].flatMap(timelineStep),
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
      case 'converted':
        return 'reached the goal';
      default:
        return [what, entry.reason].filter(Boolean).join(': ') || null;
    }
  })();
  if (detail === undefined) return [];
  return [{ at: entry.at.getTime(), stepId: entry.stepId, outcome: entry.kind, detail }];
}
