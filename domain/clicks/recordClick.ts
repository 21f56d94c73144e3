// Recording one request to a tracked link: the email it came from is read from the delivery ledger, the click
// is classified (classify.ts) and stored as a row of its own, and a human click is answered with the
// `email.clicked` event it becomes (the caller accepts it through the one event path, under an id named after
// the row, so that it is applied and routed exactly once). A raw click is stored and becomes nothing.
//
// When a click turns out to be the second of several different links opened within 2 seconds, the earlier
// ones of that burst are marked raw too, so that reports count the burst as the scanner it was. An earlier
// one that looked human on its own has been routed already: its event stands (an event is never taken back).

import type { TendEvent } from '../../compiler/events.js';
import type { ClickDoc, DeliveryDoc, Models } from '../../db/index.js';
import { newId } from '../events/newId.js';
import { CLICK_EVENT } from '../memberActivity/fromEvent.js';
import { classifyClick, SCANNER_WINDOW_MS, type ClickRequest } from './classify.js';

export type ClickModels = Pick<Models, 'clicks' | 'deliveries'>;

/** What a click link's signed token names. */
export interface ClickLink {
  /** The delivery ledger key. */
  delivery: string;
  memberId: string;
  url: string;
}

export interface RecordedClick {
  click: ClickDoc;
  /** The event a human click becomes; null for a raw one. */
  event: (TendEvent & { id: string }) | null;
}

type LedgerRow = Pick<
  DeliveryDoc,
  'key' | 'workflowId' | 'playbook' | 'version' | 'stepId' | 'template' | 'sentAt'
>;

const LEDGER_FIELDS = { key: 1, workflowId: 1, playbook: 1, version: 1, stepId: 1, template: 1, sentAt: 1 };

/**
 * The email's ledger row: by `_id`, its key (db/deliveries.ts), or, for an email sent before the ledger was
 * keyed that way, by `key` (a scan, only for such links).
 */
async function ledgerRow(models: ClickModels, key: string): Promise<LedgerRow | null> {
  const keyed = await models.deliveries.findById(key).select(LEDGER_FIELDS).lean<LedgerRow>().exec();
  return keyed ?? models.deliveries.findOne({ key }).select(LEDGER_FIELDS).lean<LedgerRow>().exec();
}

/** Stores the click; null when the ledger has no such email (nothing to count it against). */
export async function recordClick(
  models: ClickModels,
  link: ClickLink,
  request: ClickRequest,
): Promise<RecordedClick | null> {
  const row = await ledgerRow(models, String(link.delivery));
  if (row === null) return null;
  const at = new Date(request.at);
  const earlier = await models.clicks
    .find({ delivery: String(row.key), at: { $gt: new Date(request.at - SCANNER_WINDOW_MS), $lte: at } })
    .select({ url: 1, at: 1 })
    .lean<Pick<ClickDoc, '_id' | 'url' | 'at'>[]>()
    .exec();
  const kind = classifyClick(
    request,
    row.sentAt?.getTime() ?? null,
    earlier.map((other) => ({ url: other.url, at: other.at.getTime() })),
  );
  const click: ClickDoc = {
    _id: newId(request.at),
    delivery: row.key,
    memberId: link.memberId,
    playbook: row.playbook,
    version: row.version,
    stepId: row.stepId,
    template: row.template,
    workflowId: row.workflowId,
    runStartedAt: new Date(runStartOf(row)),
    url: request.url,
    at,
    method: request.method,
    ...kind,
  };
  await models.clicks.create(click);
  if (kind.reason === 'several-links') {
    const burst = earlier.filter((other) => other.url !== request.url).map((other) => other._id);
    await models.clicks
      .updateMany({ _id: { $in: burst }, human: true }, { $set: { human: false, reason: 'several-links' } })
      .exec();
  }
  return { click, event: kind.human ? clickEvent(click) : null };
}

/** The sending run's start, from the ledger key `<workflowId>@<run start>/<stepId>/...`. */
function runStartOf(row: LedgerRow): number {
  const rest = row.key.startsWith(`${row.workflowId}@`) ? row.key.slice(row.workflowId.length + 1) : '';
  const start = Number(rest.split('/')[0]);
  if (!Number.isSafeInteger(start)) throw new Error(`delivery ${row.key} names no run start`);
  return start;
}

/** `email.clicked`, as the language page gives it, with the run's start to tell re-entries apart. */
function clickEvent(click: ClickDoc): TendEvent & { id: string } {
  return {
    type: CLICK_EVENT,
    id: `click:${click._id}`,
    memberId: click.memberId,
    occurredAt: click.at.toISOString(),
    data: {
      url: click.url,
      template: click.template,
      playbook: click.playbook,
      stepId: click.stepId,
      runId: click.workflowId,
      runStartedAt: click.runStartedAt.toISOString(),
    },
  };
}
