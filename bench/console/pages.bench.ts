// The managers' console over 20,000 members (with their activity, runs, run journal, RSVPs, survey answers
// and deliveries) on the MongoDB-wire server of MONGODB_URI (FerretDB under `npm run bench`) and the Temporal
// server of TEMPORAL_ADDRESS: each page's server time, logged in, through app.inject (no network, no
// browser), as p50 and p99 over BENCH_CONSOLE_LOADS loads (20) after a first load that is reported on its
// own (reports the console caches are computed there). Beside them, baselines of the same run: GET /healthz
// (the app's own overhead), GET /readyz (one round trip to each server) and one scan of the members
// collection. The issue asks for pages under 300 ms on the dev stack with 20,000 members.
// BENCH_CONSOLE_SCALE (default 1) scales every count, e.g. 0.02 to check the benchmark runs; only a full-size
// run writes bench/RESULTS.md.

import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { buildApp } from '../../api/app.js';
import { createPlaybooksFolderSource } from '../../api/playbooksFolder.js';
import { compilePlaybooks, readPlaybooksDir } from '../../compiler/index.js';
import type { TendConfig } from '../../contract/config.js';
import { createModels, ensureIndexes, runRecordId, type Models } from '../../db/index.js';
import { consoleLoginUrl } from '../../domain/links/consoleLogin.js';
import { createLinkSigner } from '../../domain/links/signedLinks.js';
import { activityId } from '../../domain/memberActivity/activityId.js';
import { storeValid } from '../../domain/plans/planStore.js';
import { injectBrowser } from '../../test/console/support/injectBrowser.js';
import { measuredOn, recordResult } from '../engine/support/results.js';
import { inBatches } from '../engine/support/seed.js';
import { backfillMemberIndex } from '../../domain/memberIndex/backfill.js';
import { DELIVERY_FEED_ENTRIES } from '../../db/index.js';

const SCALE = Number(process.env.BENCH_CONSOLE_SCALE ?? 1);
const LOADS = Number(process.env.BENCH_CONSOLE_LOADS ?? 20);
/** A page whose first load takes longer than this is loaded SLOW_LOADS more times, not LOADS. */
const SLOW_MS = 2_000;
const SLOW_LOADS = 3;
const count = (full: number) => Math.max(1, Math.round(full * SCALE));
const MEMBERS = count(20_000);
const EVENTS = count(500);
/** Per member, on average. */
const ACTIVITIES_EACH = 3;
const DELIVERIES_EACH = 5;
const DAY = 24 * 3600 * 1000;
const NOW = Date.now();
const YEAR = 365 * DAY;
const PLAYBOOKS_DIR = 'playbooks';
const MANAGER = 'organisers@riverside.example';
const PUBLIC_URL = 'http://tend.bench';

const mongoUri = process.env.MONGODB_URI;
const temporalAddress = process.env.TEMPORAL_ADDRESS;
if (!mongoUri || !temporalAddress) {
  throw new Error('MONGODB_URI and TEMPORAL_ADDRESS are not set: run through `npm run bench -- console`');
}
const dbName = `bench_console_${randomBytes(3).toString('hex')}`;
const connection = await mongoose.createConnection(mongoUri, { dbName, autoIndex: false }).asPromise();
const models = createModels(connection);
const temporalConnection = await Connection.connect({ address: temporalAddress });
const temporal = new Client({ connection: temporalConnection });
const logger = pino({ level: 'silent' });
const config: TendConfig = {
  playbooksDir: PLAYBOOKS_DIR,
  temporal: { address: temporalAddress, namespace: 'default', taskQueue: `bench-console-${dbName}` },
  mongodbUri: mongoUri,
  smtpUrl: 'smtp://127.0.0.1:1',
  port: 0,
  publicUrl: PUBLIC_URL,
  apiKeys: ['bench-key-0123456789'],
  secret: randomBytes(24).toString('hex'),
  dataDir: '.data',
};
const links = createLinkSigner({ secret: config.secret, publicUrl: PUBLIC_URL });
const app = await buildApp({
  config,
  models,
  temporal,
  plans: createPlaybooksFolderSource({ dir: PLAYBOOKS_DIR, models, logger }),
  links,
  logger,
});

try {
  await ensureIndexes(models);
  const seedStart = performance.now();
  await seed(models);
  const seedSeconds = ((performance.now() - seedStart) / 1000).toFixed(0);
  // The records were written straight to the database, as by a Tend from before the members' indexes: the
  // backfill enters them, as `tend backfill` does after an upgrade.
  const indexStart = performance.now();
  const indexed = await backfillMemberIndex(models);
  const indexSeconds = ((performance.now() - indexStart) / 1000).toFixed(0);
  console.log(`  indexed ${indexed.records} records of ${indexed.members} members in ${indexSeconds} s`);
  await app.ready();

  const browser = injectBrowser(() => app);
  const login = new URL(consoleLoginUrl(links, PUBLIC_URL, MANAGER));
  const path = login.pathname + login.search;
  const loggedIn = await browser.post(path, { _csrf: await browser.csrfFrom(path) });
  if (loggedIn.location !== '/console') throw new Error(`the login link did not log in (${loggedIn.status})`);

  const member = `m${Math.floor(MEMBERS / 2)}`;
  const pages: [string, string][] = [
    ['Overview', '/console'],
    ['Members (newest)', '/console/members'],
    ['Members, search by name', `/console/members?q=${encodeURIComponent(`Member ${member.slice(1)}`)}`],
    [
      'Members, search inside every name',
      `/console/members?q=${encodeURIComponent(`Member ${member.slice(1)}`)}&inside=1`,
    ],
    ['Members, search by exact email', `/console/members?q=${member}%40bench.example`],
    ['A member', `/console/members/${member}`],
    ['Applications', '/console/applications'],
    ['Deliveries', '/console/deliveries'],
    ['Deliveries, onboarding failed', '/console/deliveries?playbook=onboarding&status=failed'],
    ['Deliveries, the whole ledger', '/console/deliveries?all=1'],
    ['Playbooks', '/console/playbooks'],
    ['A playbook (onboarding)', '/console/playbooks/onboarding'],
    ['Preview (form)', '/console/preview'],
    ['Preview of onboarding for a member', `/console/preview?playbook=onboarding&member=${member}`],
  ];

  // The member's page must show what was seeded for them, or it measures an empty page.
  const memberPage = (await browser.get(`/console/members/${member}`)).body;
  for (const empty of ['No runs.', 'No emails yet.', 'No activity recorded.'])
    if (memberPage.includes(empty)) throw new Error(`the member's page says "${empty}"`);

  const scan = await timed(async () => {
    let scanned = 0;
    for await (const doc of models.members.find({}).lean().cursor()) if (doc._id) scanned += 1;
    if (scanned !== MEMBERS) throw new Error(`the scan read ${scanned} of ${MEMBERS} members`);
  });
  const baselines = [
    { name: 'GET /healthz (baseline)', ...(await timed(() => load(browser, '/healthz'))) },
    {
      name: 'GET /readyz: one round trip to each server (baseline)',
      ...(await timed(() => load(browser, '/readyz'))),
    },
    { name: `one scan of the members collection, ${MEMBERS} documents (baseline)`, ...scan },
  ];
  const measured = [];
  for (const [name, url] of pages) {
    const result = { name: `${name}: \`${url}\``, ...(await timed(() => load(browser, url))) };
    // As it goes: a full-size run takes minutes, and a page that is slow shows here first.
    console.log(`  ${result.name}: first ${result.first.toFixed(0)} ms, p50 ${result.p50.toFixed(0)} ms`);
    measured.push(result);
  }

  const scanP50 = scan.p50;
  const row = (r: { name: string; first: number; p50: number; p99: number; loads: number }) =>
    `| ${r.name} | ${r.first.toFixed(0)} | ${r.loads} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${(r.p50 / scanP50).toFixed(2)} |`;
  const lines = [
    `${MEMBERS} members, ${MEMBERS * ACTIVITIES_EACH} activities, ${MEMBERS * 2} runs with their journal, ` +
      `${MEMBERS} RSVPs to ${EVENTS} events, ${Math.round(MEMBERS / 4)} survey answers, ` +
      `${MEMBERS * DELIVERIES_EACH} deliveries (seeded in ${seedSeconds} s; entered in the members' indexes ` +
      `by the backfill in ${indexSeconds} s). Each page loaded once, then ` +
      `${LOADS} times (${SLOW_LOADS} when the first took over ${SLOW_MS / 1000} s), logged in, through app.inject; times in ms.`,
    '',
    '| page | first load | loads | p50 | p99 | p50 ÷ scan p50 |',
    '|---|---:|---:|---:|---:|---:|',
    ...baselines.map(row),
    ...measured.map(row),
    '',
    measuredOn(),
  ];
  console.log(lines.join('\n'));
  if (SCALE === 1) await recordResult('Console', 'console-pages', `### Console pages\n\n${lines.join('\n')}`);
} finally {
  await app.close();
  await connection.dropDatabase();
  await connection.close();
  await temporalConnection.close();
}

/** One page load; anything but a 200 stops the benchmark (a login page would measure the wrong thing). */
async function load(browser: ReturnType<typeof injectBrowser>, url: string): Promise<void> {
  const answer = await browser.get(url);
  if (answer.status !== 200) throw new Error(`${url} answered ${answer.status} ${answer.location ?? ''}`);
}

/**
 * The first load on its own, then LOADS more (SLOW_LOADS for a page slower than SLOW_MS, so that a full-size
 * run ends): p50 and p99 (nearest rank) of those.
 */
async function timed(
  run: () => Promise<void>,
): Promise<{ first: number; p50: number; p99: number; loads: number }> {
  const once = async () => {
    const start = performance.now();
    await run();
    return performance.now() - start;
  };
  const first = await once();
  const loads = first > SLOW_MS ? SLOW_LOADS : LOADS;
  const times: number[] = [];
  for (let index = 0; index < loads; index += 1) times.push(await once());
  times.sort((a, b) => a - b);
  const rank = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? 0;
  return { first, p50: rank(50), p99: rank(99), loads };
}

/** A community spread over the year before now: members join, act, RSVP, answer surveys, run, get email. */
async function seed(target: Models): Promise<void> {
  const { plans } = compilePlaybooks(await readPlaybooksDir(PLAYBOOKS_DIR));
  for (const plan of plans) await storeValid(target, plan, []);
  const onboarding = plans.find((plan) => plan.id === 'onboarding');
  if (onboarding === undefined) throw new Error('the shipped playbooks have no onboarding');
  const onboardingVersion = onboarding.version;

  const spread = (index: number, total: number) => new Date(NOW - YEAR + Math.floor((index * YEAR) / total));
  const eventOf = (index: number) => `e${index % EVENTS}`;
  await inBatches(
    MEMBERS,
    (index) => ({
      _id: `m${index}`,
      email: `m${index}@bench.example`,
      name: `Member ${index}`,
      status: index % 20 === 0 ? 'applied' : index % 20 === 1 ? 'left' : 'active',
      joinedAt: spread(index, MEMBERS),
      ...(index % 3 === 0 ? { lastActiveAt: new Date(NOW - (index % 120) * DAY) } : {}),
      ...(index % 10 === 0 ? { unsubscribed: ['surveys'] } : {}),
      interests: [index % 2 === 0 ? 'trail' : 'road'],
    }),
    (docs) => target.members.insertMany(docs),
  );
  await inBatches(
    EVENTS,
    (index) => {
      // A tenth of the events are ahead of now, published.
      const startsAt = new Date(NOW - YEAR + Math.floor((index * YEAR * 1.1) / EVENTS));
      const ahead = startsAt.getTime() > NOW;
      return {
        _id: `e${index}`,
        title: `Event ${index}`,
        status: ahead ? 'published' : 'ended',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3600 * 1000),
      };
    },
    (docs) => target.events.insertMany(docs),
  );
  await inBatches(
    MEMBERS,
    (index) => ({
      eventId: eventOf(index),
      memberId: `m${(index * 7919) % MEMBERS}`,
      status: index % 10 === 0 ? 'cancelled' : 'going',
      ...(index % 4 === 0 ? {} : { attended: index % 3 !== 0 }),
      createdAt: spread(index, MEMBERS),
    }),
    (docs) => target.rsvps.insertMany(docs, { ordered: false }).catch(() => undefined),
  );
  await inBatches(
    Math.round(MEMBERS / 4),
    (index) => ({
      memberId: `m${(index * 4) % MEMBERS}`,
      eventId: eventOf(index),
      score: index % 11,
      respondedAt: spread(index, MEMBERS / 4),
    }),
    (docs) => target.surveyResponses.insertMany(docs, { ordered: false }).catch(() => undefined),
  );
  const kinds = ['active', 'rsvp', 'attended', 'survey', 'click'] as const;
  await inBatches(
    MEMBERS * ACTIVITIES_EACH,
    (index) => {
      const memberId = `m${index % MEMBERS}`;
      const kind = kinds[index % kinds.length] ?? 'active';
      // A second apart from one another, so that every activity has an `_id` of its own.
      const at = new Date(NOW - (index % 365) * DAY - index * 1000);
      const eventId = kind === 'active' || kind === 'click' ? null : eventOf(index);
      return {
        _id: activityId(kind, memberId, eventId, at),
        memberId,
        kind,
        at,
        ...(eventId === null ? {} : { eventId }),
        ref: `bench:${index}`,
      };
    },
    (docs) => target.activities.insertMany(docs),
  );
  // Two closed runs per member (the review, then onboarding), each with a journal of what it did.
  await inBatches(
    MEMBERS * 2,
    (index) => {
      const memberId = `m${Math.floor(index / 2)}`;
      const playbook = index % 2 === 0 ? 'application-review' : 'onboarding';
      const startedAt = spread(Math.floor(index / 2), MEMBERS);
      return {
        _id: runRecordId(`${playbook}:${memberId}`, 0),
        runKey: `${playbook}:${memberId}`,
        sequence: 0,
        playbook,
        version: playbook === 'onboarding' ? onboarding.version : 'v-bench',
        memberId,
        key: null,
        workflowId: `run:${playbook}:${memberId}`,
        triggerId: `bench:${index}`,
        status: 'completed',
        startedAt,
        closedAt: new Date(startedAt.getTime() + 35 * DAY),
      };
    },
    (docs) => target.runs.insertMany(docs),
  );
  const journalSteps = [
    ['welcome', 'entered'],
    ['welcome', 'sent'],
    ['profile-nudge', 'entered'],
    ['first-introduction', 'entered'],
    ['thirty-day-survey', 'sent'],
    ['thirty-day-survey', 'completed'],
  ] as const;
  await inBatches(
    MEMBERS * journalSteps.length,
    (index) => {
      const member = Math.floor(index / journalSteps.length);
      const seq = index % journalSteps.length;
      const [stepId, kind] = journalSteps[seq] ?? ['welcome', 'entered'];
      const workflowId = `run:onboarding:m${member}`;
      const runStartedAt = spread(member, MEMBERS);
      return {
        _id: `${workflowId}#0#${seq}`,
        workflowId,
        sequence: 0,
        playbook: 'onboarding',
        version: onboarding.version,
        memberId: `m${member}`,
        runStartedAt,
        seq,
        stepId,
        kind,
        at: new Date(runStartedAt.getTime() + seq * 6 * DAY),
        branch: null,
        until: null,
        reason: null,
        template: kind === 'sent' ? stepId : null,
        occurrence: kind === 'sent' ? 0 : null,
      };
    },
    (docs) => target.journal.insertMany(docs),
  );
  await inBatches(MEMBERS * DELIVERIES_EACH, delivery, (docs) => target.deliveries.insertMany(docs));
  // The delivery feed as settling those rows would have left it: the newest DELIVERY_FEED_ENTRIES, written
  // oldest first.
  const total = MEMBERS * DELIVERIES_EACH;
  const oldestFirst: number[] = [];
  for (let day = 364; day >= 0; day -= 1)
    for (let index = day; index < total; index += 365) oldestFirst.push(index);
  const newest = oldestFirst.slice(-DELIVERY_FEED_ENTRIES);
  await inBatches(
    newest.length,
    (position) => {
      const row = delivery(newest[position] ?? 0);
      const { key, status, memberId, to, playbook, template, error } = row;
      return { key, status, memberId, to, playbook, template, error, at: row.sentAt ?? row.claimedAt };
    },
    (docs) => target.deliveryFeed.insertMany(docs),
  );

  function delivery(index: number) {
    const memberId = `m${index % MEMBERS}`;
    const at = new Date(NOW - (index % 365) * DAY);
    const failed = index % 50 === 0;
    return {
      key: `run:onboarding:${memberId}@0/s${index}/0`,
      status: failed ? 'failed' : 'sent',
      memberId,
      recipientKind: 'member',
      to: [`${memberId}@bench.example`],
      template: 'welcome',
      category: index % 5 === 0 ? 'surveys' : 'community',
      playbook: index % 3 === 0 ? 'event-reminders' : 'onboarding',
      version: onboardingVersion,
      workflowId: `run:onboarding:${memberId}`,
      stepId: `s${index}`,
      messageId: null,
      claimedAt: at,
      sentAt: failed ? null : at,
      error: failed ? '550 5.1.1 mailbox unavailable' : null,
    };
  }
}
