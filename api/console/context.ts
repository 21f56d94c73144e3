// What every console page is built from, and the one way a page is answered: with the community's name,
// the manager signed in, and the CSRF token for its forms.

import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { TendConfig } from '../../contract/config.js';
import type { Mailer } from '../../domain/delivery/mailer.js';
import type { LinkSigner } from '../../domain/links/signedLinks.js';
import type { Models } from '../../db/index.js';
import { OPEN_RUN_STATUSES } from '../../domain/runs/runRecords.js';
import type { AcceptEvents } from '../acceptEvents.js';
import type { RateLimit } from '../deps.js';
import type { PlansSource } from '../plansSource.js';
import { reportCache, type Cached } from './reportCache.js';
import type { HealthSummary, PlaybookFunnel, ReportSources } from './reportSources.js';
import type { Manager } from './session.js';
import { sendPage, type ConsolePage } from './view.js';

export interface ConsoleDeps {
  config: Pick<TendConfig, 'publicUrl' | 'secret'>;
  models: Models;
  temporal: Client;
  plans: PlansSource;
  links: LinkSigner;
  accept: AcceptEvents;
  /** Sends login links; absent, the login form says that email is not configured. */
  mailer: Mailer | null;
  logger: FastifyBaseLogger;
  loginRateLimit: RateLimit;
  reports: ReportSources;
}

export interface ConsoleContext extends ConsoleDeps {
  /** The community's settings as community.yaml has them now (the last good version). */
  community(): Promise<{ name: string; timezone: string; managers: string[]; from: string }>;
  /** The manager of a request that passed the session check. */
  manager(request: FastifyRequest): Manager;
  page(request: FastifyRequest, reply: FastifyReply, page: ConsolePage): Promise<FastifyReply>;
  /** The Overview's health figures, as last computed (reportCache.ts); null when no report is connected. */
  health(): Promise<Cached<HealthSummary> | null>;
  /** A playbook version's funnel, as last computed; null when no report is connected. */
  funnel(playbook: string, version: string): Promise<Cached<PlaybookFunnel> | null>;
  /** Open runs per playbook, as last counted (a count reads every run record on FerretDB). */
  runsInFlight(): Promise<Cached<ReadonlyMap<string, number>>>;
  /** Starts computing the cached reports a manager's first pages read, without waiting for them. */
  warmUp(): void;
}

/** The health report's figures are over 90-day periods: a few minutes' lag changes little. */
const HEALTH_FRESH_MS = 5 * 60_000;
/** A funnel counts runs as they move: a manager watching one sees it a minute behind at most. */
const FUNNEL_FRESH_MS = 60_000;
const FUNNELS_KEPT = 50;
/** Runs in flight move by the second, but a manager reads the count to see which playbooks are busy. */
const IN_FLIGHT_FRESH_MS = 30_000;

export function createConsoleContext(
  deps: ConsoleDeps,
  managers: WeakMap<FastifyRequest, Manager>,
): ConsoleContext {
  const community = async () => (await deps.plans.community()).settings;
  const manager = (request: FastifyRequest): Manager => {
    const found = managers.get(request);
    if (found === undefined) throw new Error('a console page was served without a session check');
    return found;
  };
  const onRefreshError = (error: unknown) =>
    deps.logger.warn({ err: error }, 'a console report could not be computed again; the last one stays');
  const { health, funnel } = deps.reports;
  const cachedHealth =
    health &&
    reportCache(health, () => 'health', {
      freshMs: HEALTH_FRESH_MS,
      maxKeys: 1,
      clock: Date.now,
      onRefreshError,
    });
  const cachedFunnel =
    funnel &&
    reportCache(funnel, (playbook, version) => `${playbook}@${version}`, {
      freshMs: FUNNEL_FRESH_MS,
      maxKeys: FUNNELS_KEPT,
      clock: Date.now,
      onRefreshError,
    });
  const cachedInFlight = reportCache(
    () => runsInFlight(deps.models),
    () => 'in-flight',
    {
      freshMs: IN_FLIGHT_FRESH_MS,
      maxKeys: 1,
      clock: Date.now,
      onRefreshError,
    },
  );
  return {
    ...deps,
    community,
    manager,
    runsInFlight: () => cachedInFlight(),
    warmUp: () => {
      const reports = [cachedHealth?.(Date.now()), cachedInFlight()];
      for (const report of reports) report?.catch(onRefreshError);
    },
    health: async () => (cachedHealth ? cachedHealth(Date.now()) : null),
    funnel: async (playbook, version) => (cachedFunnel ? cachedFunnel(playbook, version) : null),
    page: async (request, reply, page) => {
      const settings = await community();
      return sendPage(
        reply,
        { community: settings.name, manager: managers.get(request)?.email ?? null },
        page,
      );
    },
  };
}

/** Open runs per playbook, counted by the server ($group with $sum, which FerretDB serves). */
async function runsInFlight(models: Models): Promise<ReadonlyMap<string, number>> {
  const counts = await models.runs
    .aggregate<{ _id: string; runs: number }>([
      { $match: { status: { $in: [...OPEN_RUN_STATUSES] } } },
      { $group: { _id: '$playbook', runs: { $sum: 1 } } },
    ])
    .exec();
  return new Map(counts.map((count) => [count._id, count.runs]));
}
