// deliver against a real MongoDB-wire server and a real SMTP server: the ledger (one email per key, stable
// Message-ID), List-Unsubscribe, quiet hours, the frequency cap (also under a race), skips, and what SMTP
// refusals do (5xx recorded as failed; 4xx and a relay that is down retried, then sent exactly once).

import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { claim, settle, type NewRow } from '../../activities/delivery/ledger.js';
import { createMailer, type Mailer } from '../../domain/delivery/mailer.js';
import { SmtpTransientError } from '../../domain/delivery/mailer.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { startMailbox, type Mailbox, type ReceivedMessage } from '../../cli/dev/mailbox.js';
import { useTestDatabase } from '../support/mongo.js';
import { community, DAY, deliverInput, emails, member, signer, temporalDeps } from './fixtures.js';

const db = useTestDatabase();
let models: Models;
let mailbox: Mailbox;
let mailer: Mailer;
/** The activities' clock: a June afternoon in London unless a test moves it. */
let now = 0;
const AFTERNOON = DateTime.fromISO('2026-06-10T14:00', { zone: 'Europe/London' }).toMillis();
let activities: ReturnType<typeof createActivities>;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  mailbox = await startMailbox({ port: 0 });
  mailer = createMailer(`smtp://127.0.0.1:${mailbox.port}`);
  activities = createActivities({ models, mailer, links: signer, clock: () => now, ...temporalDeps() });
});

afterAll(async () => {
  mailer.close();
  await mailbox.close();
});

beforeEach(async () => {
  now = AFTERNOON;
  await mailbox.clear();
  await Promise.all([
    models.members.deleteMany({}),
    models.deliveries.deleteMany({}),
    models.holds.deleteMany({}),
    models.deliveryFeed.deleteMany({}),
  ]);
});

const keyOf = (memberId: string, stepId = 'welcome', occurrence = 0) =>
  `run:onboarding:${memberId}@${Date.UTC(2026, 0, 1)}/${stepId}/${occurrence}`;
/** The token of the first link to `/l/<action>` in the plain-text part, where links are written out. */
const tokenIn = (message: ReceivedMessage | undefined, action: string) =>
  new RegExp(`https://tend\\.test/l/${action}\\?t=([A-Za-z0-9_.-]+)`).exec(message?.text ?? '')?.[1] ?? '';
const expectedMessageId = (key: string) =>
  `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@riverside.example>`;

describe('the ledger', () => {
  it('sends once for one key, however often it is asked, with a Message-ID derived from the key', async () => {
    await models.members.create(member('ada'));
    const first = await activities.deliver(deliverInput('ada'));
    const second = await activities.deliver(deliverInput('ada'));

    const row = await models.deliveries.findOne({ key: keyOf('ada') }).lean();
    // Keyed on `_id`: the one lookup FerretDB answers from an index.
    expect(row?._id).toBe(keyOf('ada'));
    expect(first).toEqual({
      status: 'sent',
      deliveryId: keyOf('ada'),
      messageId: expectedMessageId(keyOf('ada')),
    });
    expect(second).toEqual(first);
    const [message] = await mailbox.waitForMessages(1);
    expect(mailbox.messages()).toHaveLength(1);
    expect(message?.messageId).toBe(expectedMessageId(keyOf('ada')));
    expect(message?.envelope.to).toEqual(['ada@example.org']);
    expect(message?.subject).toBe('Hello Ada');
    expect(message?.headers['reply-to']).toBe('organisers@riverside.example');
    expect(message?.html).toContain('Hi Ada, welcome to Riverside Running Club.');
    expect(message?.text).toContain('Hi Ada, welcome to Riverside Running Club.');

    expect(row).toMatchObject({
      status: 'sent',
      messageId: expectedMessageId(keyOf('ada')),
      to: ['ada@example.org'],
    });
    expect(row?.sentAt?.getTime()).toBe(AFTERNOON);
  });

  it('keeps two runs of one workflow id apart (reentry): the later run sends again', async () => {
    await models.members.create(member('ada'));
    await activities.deliver(deliverInput('ada'));
    const later = await activities.deliver(deliverInput('ada', { run: { startedAt: Date.UTC(2026, 5, 1) } }));
    expect(later.status).toBe('sent');
    expect(await mailbox.waitForMessages(2)).toHaveLength(2);
  });

  it('answers a late attempt at settling a claim with what the first recorded, and keeps that', async () => {
    const row: NewRow = {
      key: keyOf('ada'),
      memberId: 'ada',
      recipientKind: 'member',
      to: ['ada@example.org'],
      template: 'welcome',
      category: 'community',
      playbook: 'onboarding',
      version: 'v1',
      workflowId: 'run:onboarding:ada',
      stepId: 'welcome',
      claimedAt: new Date(AFTERNOON),
    };
    expect((await claim(models, row)).claimed).toBe(true);
    const first = {
      status: 'sent',
      messageId: '<first@riverside.example>',
      sentAt: new Date(AFTERNOON),
    } as const;
    expect(await settle(models, row, first)).toMatchObject({
      status: 'sent',
      messageId: first.messageId,
    });
    // An attempt that outlived its timeout finishes the same claim later: the first outcome stands.
    const late = { ...first, messageId: '<late@riverside.example>' };
    expect(await settle(models, row, late)).toMatchObject({ messageId: first.messageId });
    const stored = await models.deliveries.findById(row.key).lean().exec();
    expect(stored).toMatchObject({ status: 'sent', messageId: first.messageId });
    expect(await models.deliveryFeed.countDocuments({ key: row.key }).exec()).toBe(1);
  });

  it('carries one-click List-Unsubscribe headers whose link the signer accepts', async () => {
    await models.members.create(member('ada'));
    await activities.deliver(deliverInput('ada'));
    const [message] = await mailbox.waitForMessages(1);

    expect(message?.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const url = /^<(https:\/\/tend\.test\/l\/unsubscribe\?t=[^>]+)>$/.exec(
      message?.headers['list-unsubscribe'] ?? '',
    )?.[1];
    expect(url).toBeDefined();
    const token = new URL(url ?? '').searchParams.get('t') ?? '';
    const verified = signer.verify(token, Math.floor(AFTERNOON / 1000));
    expect(verified).toMatchObject({ ok: true, payload: { a: 'unsubscribe', m: 'ada', c: 'community' } });
    expect(tokenIn(message, 'unsubscribe')).toBe(token);
  });
});

describe('quiet hours and the frequency cap', () => {
  it('holds a 22:00 send in London until 08:00 local, sending nothing and recording nothing in the ledger', async () => {
    await models.members.create(member('ada', { timezone: 'Europe/London' }));
    now = DateTime.fromISO('2026-06-10T22:00', { zone: 'Europe/London' }).toMillis();
    const outcome = await activities.deliver(deliverInput('ada'));

    const until = DateTime.fromISO('2026-06-11T08:00', { zone: 'Europe/London' }).toMillis();
    expect(outcome).toEqual({ status: 'held', reason: 'quiet_hours', until });
    expect(await models.deliveries.countDocuments()).toBe(0);
    // The hold is written down for people, with the subject as it would read now.
    expect(await models.holds.find().lean().exec()).toEqual([
      {
        _id: keyOf('ada'),
        memberId: 'ada',
        to: ['ada@example.org'],
        subject: 'Hello Ada',
        template: 'hello',
        playbook: 'onboarding',
        workflowId: 'run:onboarding:ada',
        stepId: 'welcome',
        reason: 'quiet_hours',
        until: new Date(until),
        heldAt: new Date(now),
      },
    ]);

    now = outcome.status === 'held' ? outcome.until : now;
    expect((await activities.deliver(deliverInput('ada'))).status).toBe('sent');
  });

  it('holds a Los Angeles member by their own clock', async () => {
    await models.members.create(member('lin', { timezone: 'America/Los_Angeles' }));
    // 14:00 in London is 06:00 in Los Angeles.
    const outcome = await activities.deliver(deliverInput('lin'));
    expect(outcome).toEqual({
      status: 'held',
      reason: 'quiet_hours',
      until: DateTime.fromISO('2026-06-10T08:00', { zone: 'America/Los_Angeles' }).toMillis(),
    });
  });

  it('skips as too late a send held past the time its step allows', async () => {
    await models.members.create(member('ada'));
    now = DateTime.fromISO('2026-06-10T23:00', { zone: 'Europe/London' }).toMillis();
    const outcome = await activities.deliver(deliverInput('ada', { request: { notAfter: now + 3_600_000 } }));
    expect(outcome).toEqual({ status: 'skipped', reason: 'too late' });
    expect(await models.deliveries.findOne({ key: keyOf('ada') }).lean()).toMatchObject({
      status: 'skipped',
      error: 'too late',
    });
  });

  it('holds a fourth email in 7 days until the first leaves the window; transactional goes through', async () => {
    await models.members.create(member('ada'));
    const sendAt = async (
      day: number,
      stepId: string,
      category: 'community' | 'transactional' = 'community',
    ) => {
      now = AFTERNOON + day * DAY;
      return activities.deliver(deliverInput('ada', { request: { stepId, category } }));
    };
    expect((await sendAt(0, 'one')).status).toBe('sent');
    expect((await sendAt(2, 'two')).status).toBe('sent');
    expect((await sendAt(4, 'three')).status).toBe('sent');
    expect(await sendAt(5, 'four')).toEqual({
      status: 'held',
      reason: 'frequency_cap',
      until: AFTERNOON + 7 * DAY,
    });
    expect((await sendAt(5, 'receipt', 'transactional')).status).toBe('sent');
    expect((await sendAt(7, 'four')).status).toBe('sent');
    expect(await mailbox.waitForMessages(5)).toHaveLength(5);
  });

  it('lets exactly one of several runs racing for the last slot send', async () => {
    // Several members, so that the race is run more than once; each has two of its three slots taken.
    const ids = ['ada', 'bo', 'cy', 'di', 'ed'];
    await models.members.create(ids.map((id) => member(id)));
    for (const id of ids) {
      for (const stepId of ['one', 'two'])
        await activities.deliver(deliverInput(id, { request: { stepId } }));
    }
    await mailbox.clear();

    const race = await Promise.all(
      ids.flatMap((id) =>
        ['reminders', 'digest', 'survey', 'nudge'].map(async (playbook) => ({
          id,
          outcome: await activities.deliver(
            deliverInput(id, { run: { workflowId: `run:${playbook}:${id}`, playbook } }),
          ),
        })),
      ),
    );
    for (const id of ids) {
      const outcomes = race.filter((entry) => entry.id === id).map((entry) => entry.outcome.status);
      expect(outcomes.filter((status) => status === 'sent')).toHaveLength(1);
      expect(outcomes.filter((status) => status === 'held')).toHaveLength(3);
    }
    expect(await models.deliveries.countDocuments({ status: { $in: ['sent', 'claimed'] } })).toBe(
      3 * ids.length,
    );
    // The mailbox keeps a message before it answers 250, so every email sent is there once deliver returns.
    expect(
      mailbox
        .messages()
        .map((message) => message.envelope.to[0])
        .sort(),
    ).toEqual(ids.map((id) => `${id}@example.org`));
  });
});

describe('skips', () => {
  it('skips a member unsubscribed from the category, with the reason in the ledger; transactional still goes', async () => {
    await models.members.create(member('ada', { unsubscribed: ['community'] }));
    expect(await activities.deliver(deliverInput('ada'))).toEqual({
      status: 'skipped',
      reason: 'unsubscribed from community',
    });
    expect(await models.deliveries.findOne({ key: keyOf('ada') }).lean()).toMatchObject({
      status: 'skipped',
      error: 'unsubscribed from community',
    });
    const receipt = await activities.deliver(
      deliverInput('ada', { request: { stepId: 'receipt', category: 'transactional' } }),
    );
    expect(receipt.status).toBe('sent');
    expect(await mailbox.waitForMessages(1)).toHaveLength(1);
  });

  it.each([
    [{ emailStatus: 'bounced' as const }, 'email address bounced'],
    [{ emailStatus: 'complained' as const }, 'member marked our email as spam'],
  ])('skips a member whose address cannot take email (%o)', async (fields, reason) => {
    await models.members.create(member('ada', fields));
    expect(await activities.deliver(deliverInput('ada'))).toEqual({ status: 'skipped', reason });
  });

  /** Rewrites the row under `key` as the ledger wrote rows before it was keyed on `_id`: an ObjectId `_id`. */
  async function asOlderRow(key: string, fields: Record<string, unknown>): Promise<void> {
    const row = await models.deliveries.findById(key).lean();
    if (row === null) throw new Error(`no row ${key}`);
    await models.deliveries.deleteOne({ _id: key });
    await models.deliveries.collection.insertOne({ ...row, ...fields, _id: new Types.ObjectId() });
    await mailbox.clear();
  }

  it('finishes a claim written before the ledger was keyed on _id, once, and answers its outcome after', async () => {
    await models.members.create(member('ada'));
    await activities.deliver(deliverInput('ada'));
    await asOlderRow(keyOf('ada'), { status: 'claimed', messageId: null, sentAt: null });

    const first = await activities.deliver(deliverInput('ada'));
    const again = await activities.deliver(deliverInput('ada'));

    expect(first.status).toBe('sent');
    expect(again).toEqual(first);
    expect(await mailbox.waitForMessages(1)).toHaveLength(1);
    expect(mailbox.messages()).toHaveLength(1);
    const rows = await models.deliveries.find({ key: keyOf('ada') }).lean();
    expect(rows).toHaveLength(1);
    expect(rows[0]?._id).toBeInstanceOf(Types.ObjectId);
    expect(rows[0]).toMatchObject({ status: 'sent', messageId: expectedMessageId(keyOf('ada')) });
  });

  it('answers a row settled before the ledger was keyed on _id with its outcome, sending nothing', async () => {
    await models.members.create(member('ada'));
    await activities.deliver(deliverInput('ada'));
    await asOlderRow(keyOf('ada'), { status: 'failed', messageId: null, sentAt: null, error: '550 no' });

    expect(await activities.deliver(deliverInput('ada'))).toEqual({ status: 'failed', reason: '550 no' });
    expect(await models.deliveries.countDocuments({})).toBe(1);
    expect(mailbox.messages()).toHaveLength(0);
  });

  it('skips a member who is gone', async () => {
    expect(await activities.deliver(deliverInput('nobody'))).toEqual({
      status: 'skipped',
      reason: 'member not found',
    });
  });
});

describe('SMTP refusals', () => {
  it('records a 550 as failed and returns it, without throwing or retrying', async () => {
    await models.members.create(member('ada'));
    mailbox.failNext({ code: 550, message: 'No such user here' });
    const outcome = await activities.deliver(deliverInput('ada'));

    expect(outcome.status === 'failed' && outcome.reason).toContain('550 No such user here');
    expect(await models.deliveries.findOne({ key: keyOf('ada') }).lean()).toMatchObject({ status: 'failed' });
    expect(await activities.deliver(deliverInput('ada'))).toEqual(outcome);
    expect(mailbox.messages()).toHaveLength(0);
  });

  it('throws a retryable error on a 451, and the retry sends exactly once with the same Message-ID', async () => {
    await models.members.create(member('ada'));
    mailbox.failNext({ code: 451, message: 'Try again later' });
    await expect(activities.deliver(deliverInput('ada'))).rejects.toBeInstanceOf(SmtpTransientError);
    expect(await models.deliveries.findOne({ key: keyOf('ada') }).lean()).toMatchObject({
      status: 'claimed',
    });

    now += 60_000;
    const retry = await activities.deliver(deliverInput('ada'));
    expect(retry).toMatchObject({ status: 'sent', messageId: expectedMessageId(keyOf('ada')) });
    await activities.deliver(deliverInput('ada'));
    const [message] = await mailbox.waitForMessages(1);
    expect(mailbox.messages()).toHaveLength(1);
    expect(message?.messageId).toBe(expectedMessageId(keyOf('ada')));
  });

  it('honours an unsubscribe that arrives between a deferred attempt and its retry', async () => {
    await models.members.create(member('ada'));
    mailbox.failNext({ code: 451 });
    await expect(activities.deliver(deliverInput('ada'))).rejects.toBeInstanceOf(SmtpTransientError);
    await models.members.updateOne({ _id: 'ada' }, { $set: { unsubscribed: ['community'] } });

    expect(await activities.deliver(deliverInput('ada'))).toEqual({
      status: 'skipped',
      reason: 'unsubscribed from community',
    });
    expect(await models.deliveries.findOne({ key: keyOf('ada') }).lean()).toMatchObject({
      status: 'skipped',
    });
    expect(mailbox.messages()).toHaveLength(0);
  });

  it('throws a retryable error while the relay is down, and sends once it is back', async () => {
    await models.members.create(member('ada'));
    await mailbox.pause();
    try {
      await expect(activities.deliver(deliverInput('ada'))).rejects.toBeInstanceOf(SmtpTransientError);
    } finally {
      await mailbox.resume();
    }
    expect(await activities.deliver(deliverInput('ada'))).toMatchObject({ status: 'sent' });
    expect(await mailbox.waitForMessages(1)).toHaveLength(1);
  });
});

describe('recipients', () => {
  it('sends `to: manager` to every organiser, with approve/decline links and no unsubscribe headers', async () => {
    await models.members.create(member('ada', { status: 'applied' }));
    const outcome = await activities.deliver(
      deliverInput('ada', {
        email: emails.review,
        request: { to: { kind: 'manager' }, category: 'transactional' },
      }),
    );
    expect(outcome.status).toBe('sent');
    const [message] = await mailbox.waitForMessages(1);
    expect(message?.envelope.to).toEqual(community.managers);
    expect(message?.subject).toBe('New application: ada Runner');
    expect(message?.headers['list-unsubscribe']).toBeUndefined();
    expect(message?.html).not.toContain('Unsubscribe');
    const token = tokenIn(message, 'approve');
    expect(signer.verify(token, Math.floor(AFTERNOON / 1000))).toMatchObject({
      ok: true,
      payload: { a: 'approve', m: 'ada' },
    });
  });

  it('sends `to: <address>` to that address, about the member, outside the cap and without unsubscribe links', async () => {
    await models.members.create(member('ada'));
    const outcome = await activities.deliver(
      deliverInput('ada', { request: { to: { kind: 'address', address: 'coach@riverside.example' } } }),
    );
    expect(outcome.status).toBe('sent');
    const [message] = await mailbox.waitForMessages(1);
    expect(message?.envelope.to).toEqual(['coach@riverside.example']);
    expect(message?.subject).toBe('Hello Ada');
    expect(message?.headers['list-unsubscribe']).toBeUndefined();
    expect(await models.deliveries.findOne({ key: keyOf('ada') }).lean()).toMatchObject({
      memberId: 'ada',
      recipientKind: 'address',
    });
  });

  it('sends an introduction to both members, each reading it as `member` with the other as `peer`', async () => {
    await models.members.create([member('ada'), member('bo')]);
    const intro = { stepId: 'first-introduction', peerId: 'bo' };
    await activities.deliver(deliverInput('ada', { email: emails.intro, request: intro }));
    await activities.deliver(
      deliverInput('ada', { email: emails.intro, request: { ...intro, to: { kind: 'peer' } } }),
    );
    const messages = await mailbox.waitForMessages(2);

    const toAda = messages.find((message) => message.envelope.to[0] === 'ada@example.org');
    const toBo = messages.find((message) => message.envelope.to[0] === 'bo@example.org');
    expect(toAda?.subject).toBe('Ada, meet Bo');
    expect(toBo?.subject).toBe('Bo, meet Ada');
    expect(toBo?.messageId).toBe(expectedMessageId(`${keyOf('ada', 'first-introduction')}/peer`));
    const peerUnsubscribe = /t=([^>]+)>/.exec(toBo?.headers['list-unsubscribe'] ?? '')?.[1] ?? '';
    expect(signer.verify(peerUnsubscribe, Math.floor(AFTERNOON / 1000))).toMatchObject({
      payload: { m: 'bo' },
    });
  });

  it('reads the records the plan says it needs: upcoming events only for a plan that lists them', async () => {
    await models.members.create(member('ada'));
    await models.events.create({
      _id: 'ev-next',
      title: 'Hill repeats',
      status: 'published',
      startsAt: new Date(AFTERNOON + DAY),
    });
    const digest = {
      ...emails.hello,
      name: 'digest',
      html: '<p>Coming up:{{#each upcoming_events}} {{title}}{{/each}}.</p>',
    };
    const input = (stepId: string, upcomingEvents: boolean) => ({
      ...deliverInput('ada', { email: digest, request: { stepId } }),
      needs: { event: false, rsvp: false, upcomingEvents },
    });
    await activities.deliver(input('with-events', true));
    await activities.deliver(input('without-events', false));
    const [listed, unread] = await mailbox.waitForMessages(2);
    expect(listed?.html).toContain('Coming up: Hill repeats.');
    expect(unread?.html).toContain('Coming up:.');
    await models.events.deleteMany({}).exec();
  });

  it('signs survey links for the run event, and fails (not retries) a template that cannot render', async () => {
    await models.members.create(member('ada'));
    await models.events.create({ _id: 'ev1', title: 'Park run', status: 'ended' });
    const withEvent = { ...deliverInput('ada', { email: emails.survey, request: { category: 'surveys' } }) };
    withEvent.trigger = { ...withEvent.trigger, type: 'event.ended', eventId: 'ev1' };
    expect((await activities.deliver(withEvent)).status).toBe('sent');
    const [message] = await mailbox.waitForMessages(1);
    expect(message?.subject).toBe('How was Park run?');
    expect(signer.verify(tokenIn(message, 'survey'), Math.floor(AFTERNOON / 1000))).toMatchObject({
      payload: { a: 'survey', m: 'ada', e: 'ev1', s: 9 },
    });

    const noEvent = deliverInput('ada', {
      email: emails.survey,
      request: { stepId: 'survey-2', category: 'surveys' },
    });
    const failed = await activities.deliver(noEvent);
    expect(failed.status === 'failed' && failed.reason).toContain('surveyUrl needs an event');
  });
});
