// Reads and updates by _id as the store's collections grow: the baseline is the same operations on a
// collection of 100 documents, measured in the same run. A store that serves them from an index keeps the
// ratio near 1; one that scans grows it with the collection (FerretDB 1.24 on SQLite did, before its launcher
// added the lookup index: scripts/ferretdb/idindex.go). BENCH_LOOKUP_DOCS (default 20,000) is the large size.

import { randomBytes } from 'node:crypto';
import { MongoClient, type Collection } from 'mongodb';
import { measuredOn, recordResult } from '../engine/support/results.js';

const LARGE = Number(process.env.BENCH_LOOKUP_DOCS ?? 20_000);
const SMALL = 100;
const OPERATIONS = 300;

const uri = process.env.MONGODB_URI;
if (!uri) throw new Error('MONGODB_URI is not set: run through `npm run bench -- store`');
const client = await MongoClient.connect(uri);
const db = client.db(`bench_lookups_${randomBytes(3).toString('hex')}`);

interface Doc {
  _id: string;
  email: string;
  status: string;
  visits: number;
}

/** A collection of `size` member-like documents, inserted a thousand at a time. */
async function collectionOf(size: number): Promise<Collection<Doc>> {
  const collection = db.collection<Doc>(`members_${size}`);
  for (let start = 0; start < size; start += 1_000) {
    const count = Math.min(1_000, size - start);
    await collection.insertMany(
      Array.from({ length: count }, (_, offset) => {
        const n = start + offset;
        return { _id: `m${n}`, email: `m${n}@bench.example`, status: 'active', visits: 0 };
      }),
    );
  }
  // The launcher indexes a new collection within 200 ms; a read lets every connection see the index.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await collection.findOne({ _id: 'm0' });
  return collection;
}

/** Milliseconds per operation, over OPERATIONS operations one after another on ids spread over the collection. */
async function perOperation(size: number, operation: (id: string) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < OPERATIONS; i += 1) await operation(`m${(i * 7919) % size}`);
  return (performance.now() - started) / OPERATIONS;
}

try {
  const rows: { size: number; find: number; update: number }[] = [];
  for (const size of [SMALL, LARGE]) {
    const collection = await collectionOf(size);
    const find = await perOperation(size, (id) => collection.findOne({ _id: id }));
    const update = await perOperation(size, (id) =>
      collection.updateOne({ _id: id }, { $inc: { visits: 1 } }),
    );
    rows.push({ size, find, update });
  }
  const [small, large] = rows as [(typeof rows)[0], (typeof rows)[0]];
  const lines = [
    `${OPERATIONS} finds and ${OPERATIONS} updates by \`_id\`, one after another, on collections of ${SMALL} and ${LARGE} documents.`,
    '',
    '| documents | find by `_id` (ms) | update by `_id` (ms) |',
    '|---:|---:|---:|',
    ...rows.map((row) => `| ${row.size} | ${row.find.toFixed(2)} | ${row.update.toFixed(2)} |`),
    '',
    `Ratio ${LARGE} / ${SMALL} documents: finds **${(large.find / small.find).toFixed(2)}**, updates **${(large.update / small.update).toFixed(2)}** (1 means the size costs nothing: the reads come from an index).`,
    '',
    measuredOn(),
  ];
  console.log(lines.join('\n'));
  if (LARGE === 20_000)
    await recordResult(
      'Store',
      'store-id-lookups',
      `### Reads and updates by \`_id\`\n\n${lines.join('\n')}`,
    );
} finally {
  await db.dropDatabase();
  await client.close();
}
