// `tend backfill`: records in the member activity history what the existing records already say, enters
// every record in its member's index, and recomputes every member's `member.activity` facts
// (domain/memberActivity/backfill.ts, domain/memberIndex/backfill.ts). Idempotent.

import { backfillActivity } from '../domain/memberActivity/backfill.js';
import { backfillMemberIndex } from '../domain/memberIndex/backfill.js';
import { MissingDatabase, withDatabase } from './database.js';

export const BACKFILL_USAGE = `usage: tend backfill

Fills the member activity history from the records (lastActiveAt, RSVPs going, attended marks, survey
responses), enters every run, email, RSVP, survey answer and activity in its member's index (what the
console's member page reads), and recomputes every member's member.activity facts. Run it once after
upgrading from a Tend without them. Safe to run again, and while Tend runs. Reads MONGODB_URI.`;

export async function backfillCommand(args: string[], env = process.env): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(BACKFILL_USAGE);
    return 0;
  }
  if (args.length > 0) {
    console.error(`unexpected arguments: ${args.join(' ')}\n\n${BACKFILL_USAGE}`);
    return 2;
  }
  try {
    const [activity, index] = await withDatabase(env, async (models) => {
      const found = await backfillActivity(models);
      return [found, await backfillMemberIndex(models)] as const;
    });
    console.log(
      `${activity.activities} activities found in the records; facts written for ${activity.members} members`,
    );
    console.log(
      `${index.records} records entered in the indexes of ${index.members} members; ${index.addresses} addresses keyed; ${index.applications} applications waiting; ${index.joined} members in the join feed; ${index.words} words of names`,
    );
    return 0;
  } catch (error) {
    if (error instanceof MissingDatabase) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}
