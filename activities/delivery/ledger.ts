// The delivery ledger (db/deliveries.ts) as the deliver activity uses it. A row is claimed under a unique key
// before SMTP is spoken and settled afterwards; the unique index, not a transaction, decides which attempt owns
// an email (FerretDB has no transactions).
//
// Rows are keyed on `_id` and every read and write of one names exactly `{ _id }`: the one filter FerretDB
// answers from an index. The insert of a claim is the only atomic step; settling reads the row by its key,
// decides in TypeScript and writes by key. Between that read and write only another attempt at the same email
// could write (Temporal runs one attempt at a time, unless one outlived its timeout), and it writes the outcome
// of the same email. A row written before the ledger was keyed on `_id` is met as a duplicate `key` on insert,
// and only then looked up by `key` (a scan, once per such row).
//
// Beside the rows: each is entered in its member's index before it is written (db/memberIndex.ts), which is
// how the frequency cap finds a member's rows in its window; and each settled row is added to the delivery
// feed the console lists (db/deliveryFeed.ts).

import type { DeliveryDoc, Models, StoredDelivery } from '../../db/index.js';
import { isDuplicateKeyError } from '../../db/index.js';
import type { DeliveryOutcome } from '../../contract/runtime.js';
import { COUNTED_RECIPIENT_KINDS, UNCAPPED_CATEGORY } from '../../domain/delivery/policy.js';
import { enterInIndex } from '../../domain/memberIndex/enter.js';
import { memberIndexOf, newestEntries, recordsOf } from '../../domain/memberIndex/read.js';

type LedgerModels = Pick<Models, 'deliveries' | 'memberIndex' | 'deliveryFeed'>;
export type LedgerRow = StoredDelivery;
/** A row as first written: everything but what settling it decides. */
export type NewRow = Omit<StoredDelivery, '_id' | 'status' | 'messageId' | 'sentAt' | 'error'>;
/** A row as the ledger writes it now: keyed on `_id`. */
type KeyedRow = DeliveryDoc & { _id: string };
export type CountedRow = Pick<LedgerRow, 'key' | 'status' | 'claimedAt'>;
/** What settling a row records. */
export type Settlement =
  | { status: 'sent'; messageId: string; sentAt: Date }
  | { status: 'failed'; error: string }
  | { status: 'skipped'; error: string };

/** The outcome a settled row recorded; null while the row is only claimed. */
export function recordedOutcome(row: LedgerRow): DeliveryOutcome | null {
  switch (row.status) {
    case 'claimed':
      return null;
    case 'sent':
      return { status: 'sent', deliveryId: String(row._id), messageId: row.messageId ?? '' };
    case 'failed':
      return { status: 'failed', reason: row.error ?? 'failed' };
    case 'skipped':
      return { status: 'skipped', reason: row.error ?? 'skipped' };
    default: {
      const unknown: never = row.status;
      throw new Error(`unknown delivery status ${String(unknown)}`);
    }
  }
}

/** The claim as first written, from a row read back: what `settle` needs to record the row's outcome. */
export function claimOf(row: LedgerRow): NewRow {
  return {
    key: row.key,
    memberId: row.memberId,
    recipientKind: row.recipientKind,
    to: row.to,
    template: row.template,
    category: row.category,
    playbook: row.playbook,
    version: row.version,
    workflowId: row.workflowId,
    stepId: row.stepId,
    claimedAt: row.claimedAt,
  };
}

/** The row under `key`, written since the ledger was keyed on `_id`. */
export async function findRow(models: LedgerModels, key: string): Promise<LedgerRow | null> {
  return models.deliveries.findById(String(key)).lean<LedgerRow>().exec();
}

/** The row under `key`, whenever it was written: after an insert found the key taken. */
async function holderOf(models: LedgerModels, key: string): Promise<LedgerRow | null> {
  return (
    (await findRow(models, key)) ??
    models.deliveries
      .findOne({ key: String(key) })
      .lean<LedgerRow>()
      .exec()
  );
}

function enterRow(models: LedgerModels, row: NewRow): Promise<void> {
  return enterInIndex(models, row.memberId, { deliveries: [{ id: row.key, at: row.claimedAt }] });
}

/** Inserts the row as `claimed`; when the key is taken, answers with the row that holds it. */
export async function claim(
  models: LedgerModels,
  row: NewRow,
): Promise<{ claimed: true; row: LedgerRow } | { claimed: false; row: LedgerRow }> {
  const claimed: KeyedRow = {
    ...row,
    _id: row.key,
    status: 'claimed',
    messageId: null,
    sentAt: null,
    error: null,
  };
  // Entered in the member's index before the row exists, so the index never misses a row (db/memberIndex.ts).
  await enterRow(models, row);
  try {
    await models.deliveries.create(claimed);
    return { claimed: true, row: claimed };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await holderOf(models, row.key);
    if (existing === null) throw error;
    return { claimed: false, row: existing };
  }
}

/**
 * Gives a claim back (the re-check found the cap full): the email did not go out and is not recorded. Only
 * the claimant releases, right after claiming, so the row is still its claim.
 */
export async function release(models: LedgerModels, key: string): Promise<void> {
  await models.deliveries.deleteOne({ _id: String(key) }).exec();
}

/**
 * Records how an email ended, on its claim or (a skip decided before claiming) on a new row, and returns the
 * outcome the ledger now holds: when another attempt settled the key first, that attempt's outcome.
 */
export async function settle(
  models: LedgerModels,
  row: NewRow,
  settlement: Settlement,
): Promise<DeliveryOutcome> {
  const fields = { messageId: null, sentAt: null, error: null, ...settlement };
  const current = await findRow(models, row.key);
  if (current === null) {
    const created: KeyedRow = { ...row, _id: row.key, ...fields };
    await enterRow(models, row);
    try {
      await models.deliveries.create(created);
      await addToFeed(models, created);
      return settledOutcome(created);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  const holder = current ?? (await holderOf(models, row.key));
  if (holder === null) throw new Error(`delivery ${row.key}: could not record its outcome`);
  const recorded = recordedOutcome(holder);
  if (recorded !== null) return recorded;
  // A row from before the ledger was keyed on `_id` is written back through its `key`.
  const filter = typeof holder._id === 'string' ? { _id: holder._id } : { key: holder.key };
  await models.deliveries.updateOne(filter, { $set: fields }).exec();
  await addToFeed(models, { ...holder, ...fields });
  return settledOutcome({ ...holder, ...fields });
}

/** The settled row in the delivery feed the console lists (db/deliveryFeed.ts). */
async function addToFeed(models: LedgerModels, row: LedgerRow): Promise<void> {
  if (row.status === 'claimed') return;
  await models.deliveryFeed.create({
    key: row.key,
    status: row.status,
    memberId: row.memberId,
    to: row.to,
    playbook: row.playbook,
    template: row.template,
    error: row.error,
    at: row.sentAt ?? new Date(),
  });
}

function settledOutcome(row: LedgerRow): DeliveryOutcome {
  const outcome = recordedOutcome(row);
  if (outcome === null) throw new Error(`delivery ${row.key}: settled as claimed`);
  return outcome;
}

/**
 * This reader's deliveries that count toward the frequency cap (`countsTowardCap` in domain/delivery/policy.ts)
 * and are still in its window: claimed or sent. Ordered by `_id`: any fixed order serves, as long as every
 * claim racing for the same slot sees the same one.
 *
 * Found through the member's index (db/memberIndex.ts), which names every row before it is written: a filter
 * on `memberId` would make each send decode the whole ledger on FerretDB. Every row has an entry at its own
 * `claimedAt` (retries add later ones), so the entries after the window's start name every row in it; the
 * rows are then read by `_id` and the window and the cap's conditions applied here.
 */
export async function countedRows(
  models: LedgerModels,
  memberId: string,
  windowStart: number,
): Promise<CountedRow[]> {
  const index = await memberIndexOf(models, String(memberId));
  const recent = newestEntries(
    index?.deliveries?.filter((entry) => entry.at.getTime() > windowStart),
    Number.POSITIVE_INFINITY,
  );
  const rows = await recordsOf(recent, (id) => models.deliveries.findById(id).lean<LedgerRow>().exec());
  return rows
    .filter(
      (row) =>
        row.memberId === String(memberId) &&
        (COUNTED_RECIPIENT_KINDS as readonly string[]).includes(row.recipientKind) &&
        row.category !== UNCAPPED_CATEGORY &&
        (row.status === 'claimed' || row.status === 'sent') &&
        row.claimedAt.getTime() > windowStart,
    )
    .sort((a, b) => compareIds(a._id, b._id))
    .map(({ key, status, claimedAt }) => ({ key, status, claimedAt }));
}

/** `_id` order as MongoDB sorts it: strings (by code unit) before ObjectIds (rows from before the keyed ledger). */
function compareIds(a: LedgerRow['_id'], b: LedgerRow['_id']): number {
  const rank = (id: LedgerRow['_id']) => (typeof id === 'string' ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
