// Many upserts written a page at a time: FerretDB 1.24 on SQLite stood still on one `update` command of 100
// updates, where 90 went through (domain/memberActivity/backfill.ts), so a page is 50. A page that lost an
// insert race runs once more (upsertRacing).

import { upsertRacing } from './errors.js';

export const UPSERTS_PER_WRITE = 50;

interface BulkWritable<W> {
  bulkWrite(writes: W[], options: { ordered: false }): Promise<unknown>;
}

export async function upsertInPages<W>(model: BulkWritable<W>, writes: readonly W[]): Promise<void> {
  for (let start = 0; start < writes.length; start += UPSERTS_PER_WRITE) {
    const page = writes.slice(start, start + UPSERTS_PER_WRITE);
    await upsertRacing(() => model.bulkWrite(page, { ordered: false }));
  }
}
