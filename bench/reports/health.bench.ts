// The community health report over 20,000 members, 2,000 events, 40,000 RSVPs and 200,000 deliveries on the
// MongoDB-wire server of MONGODB_URI (FerretDB under `npm run bench`): its time beside one full scan of the
// members collection in the same run, and the memory it takes (peak heap above the heap before it, sampled).
// BENCH_HEALTH_SCALE (default 1) scales every count, e.g. 0.01 to check the benchmark runs; only a full-size
// run writes bench/RESULTS.md.

import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { createModels, ensureIndexes, type DeliveryDoc, type Models } from '../../db/index.js';
import { backfillActivity } from '../../domain/memberActivity/backfill.js';
import { healthReport } from '../../domain/reports/health/index.js';
import { measuredOn, recordResult } from '../engine/support/results.js';
import { inBatches } from '../engine/support/seed.js';

const SCALE = Number(process.env.BENCH_HEALTH_SCALE ?? 1);
const count = (full: number) => Math.max(1, Math.round(full * SCALE));
const MEMBERS = count(20_000);
const EVENTS = count(2_000);
const RSVPS = count(40_000);
const DELIVERIES = count(200_000);
const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2026-06-15T12:00:00Z');
const YEAR = 365 * DAY;

const uri = process.env.MONGODB_URI;
if (!uri) throw new Error('MONGODB_URI is not set: run through `npm run bench -- reports`');
const connection = await mongoose
  .createConnection(uri, { dbName: `bench_health_${randomBytes(3).toString('hex')}`, autoIndex: false })
  .asPromise();
const models = createModels(connection);

/** Runs one phase of the bench and says how long it took, as it goes: a full-size run takes minutes. */
const phases: string[] = [];
async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  const line = `${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`;
  phases.push(line);
  console.log(`  ${line}`);
  return result;
}

try {
  await ensureIndexes(models);
  await seed(models);
  await phase('activity backfill (as `tend backfill`)', () => backfillActivity(models));

  const scanStart = performance.now();
  let scanned = 0;
  for await (const member of models.members.find({}).lean().cursor()) if (member._id) scanned += 1;
  const scanMs = performance.now() - scanStart;

  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 20);
  const reportStart = performance.now();
  const report = await healthReport(models, {
    from: new Date(NOW - 90 * DAY),
    to: new Date(NOW),
    subgroup: null,
    now: new Date(NOW),
    zone: 'Europe/London',
  });
  const reportMs = performance.now() - reportStart;
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);

  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const lines = [
    `Health report over ${MEMBERS} members, ${EVENTS} events, ${RSVPS} RSVPs, ${DELIVERIES} deliveries.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| one full scan of members (${scanned} documents) | ${scanMs.toFixed(0)} ms |`,
    `| health report (90 days) | ${reportMs.toFixed(0)} ms (${(reportMs / scanMs).toFixed(1)} × the scan) |`,
    `| heap above the baseline during the report (peak) | ${mib(heapPeak - heapBefore)} MiB |`,
    `| report: at-risk members, events ended | ${report.atRisk.count}, ${report.attendance.events.length} |`,
    '',
    measuredOn(),
  ];
  console.log(lines.join('\n'));
  if (SCALE === 1) await recordResult('Reports', 'health-report', `### Health report\n\n${lines.join('\n')}`);
} finally {
  await connection.dropDatabase();
  await connection.close();
}

/** A community spread over the year before NOW: members join, RSVP to events, get email. */
async function seed(target: Models): Promise<void> {
  const spread = (index: number, total: number) => new Date(NOW - YEAR + Math.floor((index * YEAR) / total));
  await phase(`seed ${MEMBERS} members`, () =>
    inBatches(
      MEMBERS,
      (index) => ({
        _id: `m${index}`,
        email: `m${index}@bench.example`,
        status: index % 20 === 0 ? 'left' : 'active',
        joinedAt: spread(index, MEMBERS),
        ...(index % 3 === 0 ? { lastActiveAt: new Date(NOW - (index % 120) * DAY) } : {}),
        subgroup: index % 2 === 0 ? 'north' : 'south',
      }),
      (docs) => target.members.insertMany(docs),
    ),
  );
  await phase(`seed ${EVENTS} events`, () =>
    inBatches(
      EVENTS,
      (index) => {
        const startsAt = spread(index, EVENTS);
        return {
          _id: `e${index}`,
          title: `Event ${index}`,
          status: 'ended',
          startsAt,
          endsAt: new Date(startsAt.getTime() + 2 * 3600 * 1000),
        };
      },
      (docs) => target.events.insertMany(docs),
    ),
  );
  await phase(`seed ${RSVPS} RSVPs`, () =>
    inBatches(
      RSVPS,
      (index) => ({
        eventId: `e${index % EVENTS}`,
        memberId: `m${(index * 7919) % MEMBERS}`,
        status: index % 10 === 0 ? 'cancelled' : 'going',
        ...(index % 4 === 0 ? {} : { attended: index % 3 !== 0 }),
        createdAt: spread(index % EVENTS, EVENTS),
      }),
      (docs) => target.rsvps.insertMany(docs, { ordered: false }).catch(() => undefined),
    ),
  );
  await phase(`seed ${DELIVERIES} deliveries`, () =>
    inBatches(
      DELIVERIES,
      (index): DeliveryDoc => {
        const at = new Date(NOW - (index % 180) * DAY);
        const memberId = `m${index % MEMBERS}`;
        return {
          key: `d${index}`,
          status: 'sent',
          memberId,
          recipientKind: 'member',
          to: [`${memberId}@bench.example`],
          template: 'welcome',
          category: index % 5 === 0 ? 'surveys' : 'community',
          playbook: 'onboarding',
          version: 'v1',
          workflowId: `run:onboarding:${memberId}`,
          stepId: `s${index}`,
          messageId: null,
          claimedAt: at,
          sentAt: at,
          error: null,
        };
      },
      (docs) => target.deliveries.insertMany(docs),
    ),
  );
}
