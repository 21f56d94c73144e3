// MongoDB reports a unique-index violation as code 11000, on MongoDB and FerretDB alike; the ledger, the
// introductions and the run records rely on it instead of transactions.

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
