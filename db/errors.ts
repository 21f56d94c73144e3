// MongoDB reports a unique-index violation as code 11000, on MongoDB and FerretDB alike; the ledger, the
// introductions and the run records rely on it instead of transactions.

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}

/**
 * Runs an upsert, and runs it once more if it lost a race: two writers that both find no document both
 * insert, and the unique index refuses the second. MongoDB retries such an upsert on the server; FerretDB
 * does not, so the loser here finds the winner's document on its second try and updates it.
 */
export async function upsertRacing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return write();
  }
}
