// Storage options every Tend collection shares. Indexes are never built implicitly (mongoose's autoIndex
// would build them on first use, racing between processes); `ensureIndexes` builds them once, on purpose.
// Everything here must be served by both FerretDB 1.24 and MongoDB 7: no TTL, partial indexes or
// transactions anywhere in db/.

export function storageOptions(collection: string) {
  return { collection, autoIndex: false, autoCreate: false, versionKey: false, strict: true } as const;
}
