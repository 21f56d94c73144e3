// Every activity of Tend, as plain async functions over injected dependencies: the run's activities (records,
// delivery, members, audience), event ingestion, and the run-identity activities of the fan-out. The worker
// registers `createActivities(deps)`, as the tests and benchmarks do; workflows see its type only
// (`ReturnType<typeof createActivities>`). Inputs and outputs are JSON (contract/activityPayloads.ts): they
// cross Temporal's payload converter.

import type { Client } from '@temporalio/client';
import type { Models } from '../db/index.js';
import { createCurrentPlans } from '../domain/plans/planStore.js';
import { createEventActivities } from './events/activities.js';
import { createRunActivities } from './runs/activities.js';
import { createPageAudience } from './audience/pageAudience.js';
import { createDeliver } from './delivery/deliver.js';
import type { Mailer } from '../domain/delivery/mailer.js';
import type { LinkSigner } from '../domain/links/signedLinks.js';
import { silentLogger, type ActivityLogger } from '../contract/logger.js';
import { createIntroduce } from './members/introduce.js';
import { createMongoRecordStore } from '../domain/records/mongoRecordStore.js';
import { createUpdateMember } from './members/updateMember.js';
import type { LoadRecordsInput } from '../contract/activityPayloads.js';
import { createRecordJournal, writeRiding } from './runs/recordJournal.js';

export interface ActivityDeps {
  models: Models;
  /** A nodemailer transport built from SMTP_URL (`createMailer`). */
  mailer: Mailer;
  links: LinkSigner;
  /** ms epoch; tests pass a fixed clock. */
  clock?: () => number;
  logger?: ActivityLogger;
  /** A client of the Temporal namespace runs and fan-outs are started in. */
  temporalClient: Client;
  /** The task queue runs and fan-outs are started on (this worker's). */
  taskQueue: string;
}

export function createActivities(deps: ActivityDeps) {
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger ?? silentLogger;
  const { models, temporalClient, taskQueue } = deps;
  const store = createMongoRecordStore(models);
  return {
    loadRecords: async (input: LoadRecordsInput) => {
      await writeRiding(models, input.journal);
      return store.loadRecords(input, clock());
    },
    recordJournal: createRecordJournal({ models, clock }),
    deliver: createDeliver({ models, mailer: deps.mailer, links: deps.links, clock, logger }),
    updateMember: createUpdateMember({ store, logger }),
    introduce: createIntroduce({ models, clock }),
    pageAudience: createPageAudience({ models }),
    ...createEventActivities({
      client: temporalClient,
      models,
      taskQueue,
      plans: createCurrentPlans(models),
      logger,
    }),
    ...createRunActivities({ temporalClient, models, taskQueue }),
  };
}
