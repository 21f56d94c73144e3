// deliver: sends one email of a run, at most once, through the delivery ledger.
//
//   (a) The ledger key is `<run>/<stepId>/<occurrence>[/peer]`. A row already settled (sent, failed,
//       skipped) answers with its recorded outcome: a retried activity or a replayed step never sends twice.
//   (b) The recipient is re-read; a missing member, an address that bounced or complained, no address, or an
//       unsubscribed category skips the email, with the reason recorded in the ledger.
//   (c) The delivery policy (policy.ts) may hold it: until quiet hours end, or until the frequency cap has
//       room. The run sleeps until then and asks again; the ledger records nothing, and the hold is written
//       down beside it for people (db/holds.ts), a note delivery never reads.
//   (d) The row is claimed (inserted as `claimed` under the unique key). If another attempt owns the key, its
//       outcome is returned when settled; a claim still open is this email's earlier attempt, continued.
//   (e) With no transactions to count and claim atomically, the cap is checked again after claiming, and
//       this claim sends only if the claims and sends of everyone else in the window leave it room. Of runs
//       racing for the last slot at most one sends: the later of any two claims sees the earlier one. When
//       several see each other, those behind in a fixed order (ledger `_id`) give their slot back and are
//       held; the first waits a moment for them to do so, then sends.
//   (f) The pinned template is rendered for the reader, with links signed for them.
//   (g) nodemailer sends it with a Message-ID derived from the key and List-Unsubscribe headers.
//   (h) The outcome is recorded: `sent`; or `failed` with the server's reply on a permanent (5xx) refusal,
//       returned, not thrown, because the same message would be refused again. A temporary refusal (4xx) or
//       an unreachable relay leaves the claim in place and throws: Temporal retries with backoff, and the
//       retry finds the claim and sends again with the SAME Message-ID.
//
//   (i) Between the server's 250 and the ledger's `sent` the email is known only to this attempt, so the
//       attempt says so at once in its Temporal heartbeat (sentMemory.ts), which the server keeps for the
//       activity's next attempt. When the write fails for longer than it is retried in place (the database
//       away), or the worker dies before it, the next attempt finds the claim still open, reads the
//       heartbeat, and records the email as sent without sending it again. A run's first attempt runs in its
//       workflow task, without a heartbeat: when its write fails, its failure carries the email, which the
//       run hands to the next attempt (`sentEarlier`).
//
// The one window left: a crash after the server's 250 and before that heartbeat reaches Temporal (a few
// milliseconds; for a first attempt in the workflow task, before the ledger's write or the failure that
// carries the email reaches the run) makes the retry send the message again, with the same Message-ID,
// which receiving servers and clients de-duplicate. The choice is deliberate: an email may, very rarely, go
// out twice under one Message-ID; it is never dropped.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Models } from '../../db/index.js';
import type { DeliveryOutcome } from '../../contract/runtime.js';
import type { LinkSigner } from '../../domain/links/signedLinks.js';
import type { ActivityLogger } from '../../contract/logger.js';
import { findMember, loadRecords } from '../../domain/records/loadRecords.js';
import { EVERY_RECORD } from '../../domain/records/recordStore.js';
import type { DeliverInput } from '../../contract/activityPayloads.js';
import { addressing } from '../../domain/delivery/addressing.js';
import {
  claim,
  claimOf,
  countedRows,
  findRow,
  recordedOutcome,
  release,
  settle,
  type CountedRow,
  type NewRow,
} from './ledger.js';
import { deliveryKey } from '../../domain/delivery/deliveryKey.js';
import { recordHold } from './holds.js';
import { recordDeadline, rememberSent, sentByEarlierAttempt } from './sentMemory.js';
import { classifySmtpError, SmtpTransientError, type Mailer } from '../../domain/delivery/mailer.js';
import { mailMessage, messageIdFor, renderDelivery } from '../../domain/delivery/message.js';
import { emailPolicy, isTooLate, type EmailPolicy, type HeldDecision } from '../../domain/delivery/policy.js';
import { writeRiding } from '../runs/recordJournal.js';
import { sentNotRecorded } from '../../contract/errors.js';

export interface DeliverDeps {
  models: Models;
  mailer: Mailer;
  links: LinkSigner;
  clock: () => number;
  logger: ActivityLogger;
}

/** How often, and how far apart, a claim first in line checks whether the claims racing it have given way. */
const RACE_CHECKS = 20;
const RACE_WAIT_MS = 50;

/** Tries at recording a sent email (backoff from 200 ms, at most 5 s apart: about 30 s in all). */
const RECORD_SENT_ATTEMPTS = 10;

export function createDeliver(deps: DeliverDeps) {
  const { models, mailer, clock, logger } = deps;

  return async function deliver(input: DeliverInput): Promise<DeliveryOutcome> {
    const { run, request, community, trigger } = input;
    const key = deliveryKey(run, request);
    await writeRiding(models, input.journal);

    const existing = await findRow(models, key);
    const recorded = existing === null ? null : recordedOutcome(existing);
    if (recorded !== null) return recorded;
    const sentEarlier = existing === null ? null : (input.sentEarlier ?? sentByEarlierAttempt());
    if (existing !== null && sentEarlier !== null) {
      logger.info({ key, messageId: sentEarlier.messageId }, 'recording an email an earlier attempt sent');
      return recordSent(claimOf(existing), {
        status: 'sent',
        messageId: sentEarlier.messageId,
        sentAt: new Date(sentEarlier.sentAt),
      });
    }

    const now = clock();
    const records = await loadRecords(
      models,
      {
        memberId: run.memberId,
        eventId: trigger.eventId,
        // The plan's needs: the digest's `report` (two health reports) only for the plans that read it.
        needs: input.needs ?? EVERY_RECORD,
        zone: community.timezone,
      },
      now,
    );
    const peer =
      request.peerId === null
        ? null
        : await findMember(models, request.peerId, now, input.needs ?? EVERY_RECORD);
    const target = addressing({ request, community, member: records.member, memberId: run.memberId, peer });
    const row: NewRow = {
      key,
      memberId: target.memberId,
      recipientKind: target.recipientKind,
      to: target.to,
      template: request.template,
      category: request.category,
      playbook: run.playbook,
      version: run.version,
      workflowId: run.workflowId,
      stepId: request.stepId,
      claimedAt: new Date(now),
    };
    if (target.status === 'skip') {
      logger.info({ key, reason: target.reason }, 'email skipped');
      return settle(models, row, { status: 'skipped', error: target.reason });
    }

    const policy = emailPolicy({
      request,
      target,
      settings: input.delivery,
      communityTimezone: community.timezone,
    });
    const timezone = policy.timezone;
    // A claim left by an earlier attempt has passed the policy already: this attempt only finishes it.
    if (existing === null) {
      const admission = await admit(input, policy, row, now);
      if (admission?.status === 'held') {
        await noteHold(
          row,
          admission,
          () => renderDelivery(input, target, records, render(timezone, now)),
          now,
        );
      }
      if (admission !== null) return admission;
    }

    const result = renderDelivery(input, target, records, render(timezone, now));
    if (!result.ok) {
      logger.warn({ key, error: result.error }, 'email could not be rendered');
      return settle(models, row, { status: 'failed', error: result.error });
    }
    const { rendered, links } = result;

    const messageId = messageIdFor(key, community.from);
    try {
      await mailer.sendMail(mailMessage(input, target, rendered, links, messageId));
    } catch (error) {
      const { kind, reply } = classifySmtpError(error);
      if (kind === 'permanent') {
        logger.warn({ key, reply }, 'SMTP refused the email for good');
        return settle(models, row, { status: 'failed', error: reply });
      }
      logger.warn({ key, reply }, 'SMTP did not take the email; retrying');
      throw new SmtpTransientError(`SMTP did not take the email: ${reply}`, { cause: error });
    }
    const sent = { messageId, sentAt: clock() };
    rememberSent(sent);
    try {
      return await recordSent(
        row,
        { status: 'sent', messageId, sentAt: new Date(sent.sentAt) },
        recordDeadline(),
      );
    } catch (error) {
      throw sentNotRecorded(sent, error);
    }
  };

  function render(timezone: string, now: number) {
    return { signer: deps.links, timezone, now };
  }

  /**
   * Writes the hold down (activities/delivery/holds.ts) with the subject as it reads now. Only a note for
   * people: when it cannot be written, the email is held all the same.
   */
  async function noteHold(
    row: NewRow,
    decision: HeldDecision,
    rendered: () => ReturnType<typeof renderDelivery>,
    now: number,
  ): Promise<void> {
    try {
      const result = rendered();
      await recordHold(models, row, decision, result.ok ? result.rendered.subject : null, now);
    } catch (error) {
      logger.warn({ key: row.key, error: String(error) }, 'could not write down a held email');
    }
  }

  /**
   * Once SMTP has taken the email, its record should land now: a database error here (FerretDB on SQLite
   * answers "database is locked" under load) is retried in place for about half a minute. Past that the
   * activity fails, and its next attempt records the email from the heartbeat (step (i)), with Temporal's
   * backoff, for as long as the database stays away. An attempt without a heartbeat (in the workflow task)
   * gives up by `deadline` (ms epoch), so that its failure, which carries the email, is what the run hears
   * rather than its timeout, which would not.
   */
  async function recordSent(
    row: NewRow,
    settlement: Parameters<typeof settle>[2],
    deadline = Infinity,
  ): Promise<DeliveryOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await beforeDeadline(settle(models, row, settlement), deadline);
      } catch (error) {
        if (attempt >= RECORD_SENT_ATTEMPTS || Date.now() >= deadline) throw error;
        logger.warn(
          { key: row.key, attempt, error: String(error) },
          'could not record a sent email; retrying',
        );
        await sleep(Math.min(100 * 2 ** attempt, 5_000));
      }
    }
  }

  /**
   * Steps (c) to (e): null when this attempt holds a claim and may send; otherwise the outcome to return
   * (held, skipped as too late, or the outcome another attempt recorded for the key).
   */
  async function admit(
    input: DeliverInput,
    policy: EmailPolicy,
    row: NewRow,
    now: number,
  ): Promise<DeliveryOutcome | null> {
    const { capped } = policy;
    const counted = (): Promise<CountedRow[]> =>
      capped === null ? Promise.resolve([]) : countedRows(models, capped.memberId, now - capped.perMs);
    const decide = (rows: CountedRow[]) =>
      policy.decide(
        now,
        rows.map((counted) => counted.claimedAt.getTime()),
      );

    const before = decide(await counted());
    if (before.status === 'held') return held(input, row, before);

    const claimed = await claim(models, row);
    if (!claimed.claimed) return recordedOutcome(claimed.row);
    if (capped === null) return null;

    for (let check = 1; ; check += 1) {
      const inWindow = await counted();
      const others = inWindow.filter((counted) => counted.key !== row.key);
      const room = decide(others);
      if (room.status === 'send') return null;
      const position = inWindow.findIndex((counted) => counted.key === row.key);
      const ahead = others.filter(
        (counted) => counted.status === 'sent' || position === -1 || inWindow.indexOf(counted) < position,
      );
      const inLine = decide(ahead);
      if (inLine.status === 'held' || check === RACE_CHECKS) {
        await release(models, row.key);
        return held(input, row, inLine.status === 'held' ? inLine : room);
      }
      await sleep(RACE_WAIT_MS);
    }
  }

  /** A held email, or skipped as `too late` when it would go out after the time its step allows. */
  async function held(input: DeliverInput, row: NewRow, decision: HeldDecision): Promise<DeliveryOutcome> {
    if (!isTooLate(input.request, decision)) return decision;
    return settle(models, row, { status: 'skipped', error: 'too late' });
  }
}

/** `work`, or an error once `deadline` (ms epoch) has passed; the write may still land later, harmlessly. */
async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  if (deadline === Infinity) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('the ledger did not answer in the time the attempt has left')),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
