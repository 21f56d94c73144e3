// Seeding a large community for a benchmark: documents made one by one and inserted a thousand at a time, so
// that 200,000 deliveries never sit in memory at once and each insert is one round trip.

const BATCH = 1_000;

/** Makes `total` documents with `make(index)` and hands them to `insert` a batch at a time, in order. */
export async function inBatches<T>(
  total: number,
  make: (index: number) => T,
  insert: (docs: T[]) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < total; start += BATCH) {
    const docs = Array.from({ length: Math.min(BATCH, total - start) }, (_, offset) => make(start + offset));
    await insert(docs);
  }
}
