// What every console page is built from, and the one way a page is answered: with the community's name,
// the manager signed in, and the CSRF token for its forms.

import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { TendConfig } from '../../contract/config.js';
import type { Mailer } from '../../domain/delivery/mailer.js';
import type { LinkSigner } from '../../domain/links/signedLinks.js';
import type { Models } from '../../db/index.js';
import type { AcceptEvents } from '../acceptEvents.js';
import type { RateLimit } from '../deps.js';
import type { PlansSource } from '../plansSource.js';
import type { ReportSources } from './reportSources.js';
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
}

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
  return {
    ...deps,
    community,
    manager,
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
