// Every activity of Tend, as plain async functions over injected dependencies. The worker registers
// `createActivities(deps)`; workflows see its type only (`ReturnType<typeof createActivities>`). Inputs and
// outputs are JSON (contract/activityPayloads.ts): they cross Temporal's payload converter.

import type { Models } from '../db/index.js';
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
}

export function createActivities(deps: ActivityDeps) {
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger ?? silentLogger;
  const { models } = deps;
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
  };
}
