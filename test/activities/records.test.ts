// loadRecords and pageAudience on a real MongoDB-wire server: records come back as plain JSON with ISO dates
// and only what the plan needs (member.activity.emails7d counted only for plans that can read it); audiences page through 1,000 members by id, and refuse operators outside
// the allowlist before anything reaches the database.

import { beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createMailer } from '../../domain/delivery/mailer.js';
import { compilePlaybooks } from '../../compiler/index.js';
import type { Audience, ContextNeeds } from '../../compiler/plan.js';
import { createMongoRecordStore } from '../../domain/records/mongoRecordStore.js';
import { BASE_FILES, sourcesFrom } from '../compiler/sources.js';
import { createModels, ensureIndexes, type DeliveryDoc, type Models } from '../../db/index.js';
import { useTestDatabase } from '../support/mongo.js';
import { DAY, member, signer, temporalDeps } from './fixtures.js';

const db = useTestDatabase();
let models: Models;
let activities: ReturnType<typeof createActivities>;
const NOW = Date.parse('2026-06-10T12:00:00Z');

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  // Nothing here sends email: the transport is never connected.
  activities = createActivities({
    ...temporalDeps(),
    models,
    mailer: createMailer('smtp://127.0.0.1:9'),
    links: signer,
    clock: () => NOW,
  });
});

describe('loadRecords', () => {
  beforeAll(async () => {
    await models.members.create(
      member('ada', {
        joinedAt: new Date('2026-01-02T03:04:05Z'),
        profile: { bio: 'Hi', since: new Date('2020-01-01T00:00:00Z') },
        activity: {
          rsvps: 2,
          attended: 1,
          lastRsvpAt: new Date('2026-06-01T18:00:00Z'),
          surveys: 0,
          introductions: 1,
        },
      }),
    );
    // emails7d counts what ada read herself in the 7 days before now: sent, to her as member or peer.
    const sent = (key: string, daysAgo: number, fields: Partial<DeliveryDoc> = {}): DeliveryDoc => ({
      key,
      status: 'sent',
      memberId: 'ada',
      recipientKind: 'member',
      to: ['ada@example.org'],
      template: 'hello',
      category: 'community',
      playbook: 'onboarding',
      version: 'v1',
      workflowId: 'run:onboarding:ada',
      stepId: key,
      claimedAt: new Date(NOW - daysAgo * DAY),
      sentAt: new Date(NOW - daysAgo * DAY),
      messageId: null,
      error: null,
      ...fields,
    });
    await models.deliveries.create([
      sent('recent', 1),
      sent('as-peer', 6, { recipientKind: 'peer', category: 'transactional' }),
      sent('too-old', 8),
      sent('to-organisers', 1, { recipientKind: 'manager', to: ['org@example.org'] }),
      sent('only-claimed', 1, { status: 'claimed', sentAt: null }),
    ]);
    await models.events.create([
      { _id: 'ev-past', title: 'Past', status: 'published', startsAt: new Date(NOW - DAY) },
      { _id: 'ev-2', title: 'Second', status: 'published', startsAt: new Date(NOW + 2 * DAY) },
      { _id: 'ev-1', title: 'First', status: 'published', startsAt: new Date(NOW + DAY) },
      { _id: 'ev-draft', title: 'Draft', status: 'draft', startsAt: new Date(NOW + DAY) },
    ]);
    await models.rsvps.create({
      eventId: 'ev-1',
      memberId: 'ada',
      status: 'going',
      createdAt: new Date(NOW - DAY),
    });
  });

  it('returns JSON records with ISO dates, the event and the RSVP of the run, and upcoming published events', async () => {
    const records = await activities.loadRecords({
      memberId: 'ada',
      eventId: 'ev-1',
      needs: { event: true, rsvp: true, upcomingEvents: true },
      zone: 'Europe/London',
    });
    expect(records.member).toEqual({
      _id: 'ada',
      email: 'ada@example.org',
      firstName: 'Ada',
      name: 'ada Runner',
      status: 'active',
      interests: [],
      tags: [],
      unsubscribed: [],
      joinedAt: '2026-01-02T03:04:05.000Z',
      profile: { bio: 'Hi', since: '2020-01-01T00:00:00.000Z' },
      activity: {
        rsvps: 2,
        attended: 1,
        lastRsvpAt: '2026-06-01T18:00:00.000Z',
        surveys: 0,
        introductions: 1,
        emails7d: 2,
      },
    });
    expect(records.event).toMatchObject({
      _id: 'ev-1',
      title: 'First',
      startsAt: new Date(NOW + DAY).toISOString(),
    });
    expect(records.rsvp).toEqual({
      eventId: 'ev-1',
      memberId: 'ada',
      status: 'going',
      createdAt: new Date(NOW - DAY).toISOString(),
    });
    expect(records.upcomingEvents.map((event) => event._id)).toEqual(['ev-1', 'ev-2']);
    expect(JSON.parse(JSON.stringify(records))).toEqual(records);
  });

  it('reads only what the plan needs, and answers null for records that are not there', async () => {
    const records = await activities.loadRecords({
      memberId: 'nobody',
      eventId: 'ev-1',
      needs: { event: false, rsvp: false, upcomingEvents: false },
      zone: 'Europe/London',
    });
    expect(records).toEqual({ member: null, event: null, rsvp: null, report: null, upcomingEvents: [] });
  });
});

describe('loadRecords and member.activity.emails7d', () => {
  // The plans as the compiler builds them: the runtime counts for exactly those whose needs say so.
  const sends = (html: string) => ({
    'templates/nudge.hbs': `---\nsubject: Hello\n---\n<p>${html}</p>\n<a href="{{links.unsubscribe}}">Unsubscribe</a>\n`,
  });
  const plans = {
    condition: planNeeds('if: { member.activity.emails7d: { $lt: 3 } }', {}),
    template: planNeeds('', sends('{{member.activity.emails7d}} emails this week')),
    withBlock: planNeeds('', sends('{{#with member.activity}}{{emails7d}} emails{{/with}}')),
    nothing: planNeeds('if: { member.activity.rsvps: 2 }', sends('{{member.activity.rsvps}} RSVPs')),
  };

  /** The collections and methods the loads in `load` send to the server. */
  async function queriesOf(load: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    db.connection.set('debug', (collection: string, method: string) => seen.push(`${collection}.${method}`));
    try {
      await load();
    } finally {
      db.connection.set('debug', false);
    }
    return seen;
  }

  const load = (needs: ContextNeeds) =>
    activities.loadRecords({ memberId: 'ada', eventId: null, needs, zone: 'Europe/London' });

  it('counts them for plans that read them in a condition, a template, or a with block', async () => {
    for (const needs of [plans.condition, plans.template, plans.withBlock]) {
      expect(needs.emails7d).toBe(true);
      expect((await load(needs)).member?.activity?.emails7d).toBe(2);
    }
  });

  it('does not count them for a plan that cannot read them: the record has none, not a 0', async () => {
    expect(plans.nothing.emails7d).toBe(false);
    const records = await load(plans.nothing);
    expect(records.member?.activity).toEqual({
      rsvps: 2,
      attended: 1,
      lastRsvpAt: '2026-06-01T18:00:00.000Z',
      surveys: 0,
      introductions: 1,
    });
    expect(await queriesOf(() => load(plans.nothing))).not.toContain('deliveries.countDocuments');
    expect(await queriesOf(() => load(plans.template))).toContain('deliveries.countDocuments');
  });

  it('counts them for plans compiled before the need existed, which do not say', async () => {
    const { emails7d: _need, ...older } = plans.nothing;
    expect((await load(older)).member?.activity?.emails7d).toBe(2);
  });

  it('reads a member alone (a peer, a goal) the same way: counted unless the needs say not', async () => {
    const store = createMongoRecordStore(models);
    expect((await store.findMember('ada', NOW))?.activity?.emails7d).toBe(2);
    expect((await store.findMember('ada', NOW, plans.template))?.activity?.emails7d).toBe(2);
    const uncounted = await store.findMember('ada', NOW, plans.nothing);
    expect(uncounted?.activity).not.toHaveProperty('emails7d');
    expect(uncounted?.activity?.rsvps).toBe(2);
  });
});

/** The needs of a compiled playbook that checks `condition` (if any) and sends `nudge.hbs` or the welcome. */
function planNeeds(condition: string, templates: Record<string, string>): ContextNeeds {
  const template = 'templates/nudge.hbs' in templates ? 'nudge' : 'welcome';
  const send = `send_email: ${template}`;
  const steps =
    condition === ''
      ? `  - id: send\n    ${send}\n`
      : `  - id: check\n    ${condition}\n    then:\n      - id: send\n        ${send}\n`;
  const files = {
    ...BASE_FILES,
    ...templates,
    'nudge.yaml': `name: Nudge\ntrigger: { event: member.approved }\nsteps:\n${steps}`,
  };
  const { plans, diagnostics } = compilePlaybooks(sourcesFrom(files));
  expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  const plan = plans.find((compiled) => compiled.id === 'nudge');
  if (plan === undefined) throw new Error('the nudge playbook did not compile');
  return plan.needs;
}

describe('pageAudience', () => {
  const ids = Array.from({ length: 1000 }, (_, index) => `m${String(index).padStart(4, '0')}`);

  beforeAll(async () => {
    await models.members.deleteMany({});
    await models.members.insertMany(
      ids.map((id, index) =>
        member(id, {
          status: index % 10 === 0 ? 'left' : 'active',
          lastActiveAt: new Date(NOW - (index % 2 === 0 ? 40 : 5) * DAY),
        }),
      ),
    );
    await models.rsvps.insertMany(
      ids.slice(0, 30).map((memberId, index) => ({
        eventId: 'ev-9',
        memberId,
        status: 'going',
        attended: index % 3 !== 0,
      })),
    );
  });

  async function everyPage(audience: Audience, limit: number, eventId: string | null = null) {
    const pages: string[][] = [];
    let afterId: string | null = null;
    do {
      const page = await activities.pageAudience({ audience, eventId, afterId, limit, now: NOW });
      pages.push(page.memberIds);
      afterId = page.nextAfterId;
    } while (afterId !== null);
    return pages;
  }

  it('pages through 1,000 members by id: every member once, in order, none skipped', async () => {
    const pages = await everyPage({ source: 'members', where: {} }, 128);
    expect(pages.map((page) => page.length)).toEqual([128, 128, 128, 128, 128, 128, 128, 104]);
    expect(pages.flat()).toEqual(ids);
  });

  it('selects with the condition, $before measured from `now`', async () => {
    const audience: Audience = {
      source: 'members',
      where: { status: 'active', lastActiveAt: { $before: 30 * DAY } },
    };
    const selected = (await everyPage(audience, 100)).flat();
    expect(selected).toEqual(ids.filter((_, index) => index % 2 === 0 && index % 10 !== 0));
    expect(selected).toHaveLength(400);
  });

  it("selects among the RSVPs of the trigger's event", async () => {
    const pages = await everyPage({ source: 'rsvps', where: { attended: true } }, 7, 'ev-9');
    expect(pages.flat()).toEqual(ids.slice(0, 30).filter((_, index) => index % 3 !== 0));
    expect(pages[0]).toHaveLength(7);
  });

  it.each([
    [{ $where: 'sleep(1000)' }, /operator "\$where" is not allowed/],
    [{ status: { $regex: '.*' } }, /operator "\$regex" is not allowed/],
    [{ $expr: { $gt: ['$a', 1] } }, /operator "\$expr" is not allowed/],
    [{ 'profile.__proto__': 1 }, /is not allowed/],
  ])('refuses %o without retrying', async (where, message) => {
    await expect(
      activities.pageAudience({
        audience: { source: 'members', where },
        eventId: null,
        afterId: null,
        limit: 10,
        now: NOW,
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(message) as unknown, nonRetryable: true });
  });

  it('refuses an rsvps audience without an event, and page sizes out of range', async () => {
    const page = { afterId: null, limit: 10, now: NOW };
    await expect(
      activities.pageAudience({ audience: { source: 'rsvps', where: {} }, eventId: null, ...page }),
    ).rejects.toMatchObject({ nonRetryable: true });
    await expect(
      activities.pageAudience({
        audience: { source: 'members', where: {} },
        eventId: null,
        ...page,
        limit: 0,
      }),
    ).rejects.toMatchObject({ nonRetryable: true });
  });
});
