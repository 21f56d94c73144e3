// The delivery ledger (db/deliveries.ts) as the deliver activity uses it. A row is claimed under a unique key
// before SMTP is spoken and settled afterwards; the unique index, not a transaction, decides which attempt owns
// an email (FerretDB has no transactions).

import type { Types } from 'mongoose';
import type { DeliveryDoc, Models } from '../../db/index.js';
import { isDuplicateKeyError } from '../../db/index.js';
import type { DeliveryOutcome } from '../../contract/runtime.js';
import { COUNTED_RECIPIENT_KINDS, UNCAPPED_CATEGORY } from '../../domain/delivery/policy.js';

type LedgerModels = Pick<Models, 'deliveries'>;
export type LedgerRow = DeliveryDoc & { _id: Types.ObjectId };
/** A row as first written: everything but what settling it decides. */
export type NewRow = Omit<DeliveryDoc, 'status' | 'messageId' | 'sentAt' | 'error'>;
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
      return { status: 'sent', deliveryId: row._id.toHexString(), messageId: row.messageId ?? '' };
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

export async function findRow(models: LedgerModels, key: string): Promise<LedgerRow | null> {
  return models.deliveries
    .findOne({ key: String(key) })
    .lean<LedgerRow>()
    .exec();
}

/** Inserts the row as `claimed`; when the key is taken, answers with the row that holds it. */
export async function claim(
  models: LedgerModels,
  row: NewRow,
): Promise<{ claimed: true; row: LedgerRow } | { claimed: false; row: LedgerRow }> {
  try {
    const created = await models.deliveries.create({
      ...row,
      status: 'claimed',
      messageId: null,
      sentAt: null,
      error: null,
    });
    return { claimed: true, row: created.toObject<LedgerRow>() };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await findRow(models, row.key);
    if (existing === null) throw error;
    return { claimed: false, row: existing };
  }
}

/** Gives a claim back (the re-check found the cap full): the email did not go out and is not recorded. */
export async function release(models: LedgerModels, key: string): Promise<void> {
  await models.deliveries.deleteOne({ key: String(key), status: 'claimed' }).exec();
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
  try {
    const settled = await models.deliveries
      .findOneAndUpdate(
        { key: String(row.key), status: 'claimed' },
        { $set: fields, $setOnInsert: { ...row } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<LedgerRow>()
      .exec();
    const outcome = settled === null ? null : recordedOutcome(settled);
    if (outcome !== null) return outcome;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const existing = await findRow(models, row.key);
  const outcome = existing === null ? null : recordedOutcome(existing);
  if (outcome === null) throw new Error(`delivery ${row.key}: could not record its outcome`);
  return outcome;
}

/**
 * This reader's deliveries that count toward the frequency cap (`countsTowardCap` in domain/delivery/policy.ts)
 * and are still in its window: claimed or sent. Ordered by `_id`: any fixed order serves, as long as every
 * claim racing for the same slot sees the same one.
 */
export async function countedRows(
  models: LedgerModels,
  memberId: string,
  windowStart: number,
): Promise<CountedRow[]> {
  return models.deliveries
    .find({
      memberId: String(memberId),
      recipientKind: { $in: [...COUNTED_RECIPIENT_KINDS] },
      category: { $ne: UNCAPPED_CATEGORY },
      status: { $in: ['claimed', 'sent'] },
      claimedAt: { $gt: new Date(windowStart) },
    })
    .sort({ _id: 1 })
    .select({ key: 1, status: 1, claimedAt: 1 })
    .lean<CountedRow[]>()
    .exec();
}
