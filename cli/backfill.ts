// `tend backfill`: records in the member activity history what the existing records already say, and
// recomputes every member's `member.activity` facts (domain/memberActivity/backfill.ts). Idempotent.

import { backfillActivity } from '../domain/memberActivity/backfill.js';
import { MissingDatabase, withDatabase } from './database.js';

export const BACKFILL_USAGE = `usage: tend backfill

Fills the member activity history from the records (lastActiveAt, RSVPs going, attended marks, survey
responses) and recomputes every member's member.activity facts. Safe to run again, and while Tend runs.
Reads MONGODB_URI.`;

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
    const result = await withDatabase(env, (models) => backfillActivity(models));
    console.log(
      `${result.activities} activities found in the records; facts written for ${result.members} members`,
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
