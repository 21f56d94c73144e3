// Every Tend model on one connection, and the one place indexes are built.

import type { Connection, Model } from 'mongoose';
import { consoleSessionSchema, type ConsoleSessionDoc } from './consoleSessions.js';
import { activitySchema, type ActivityDoc } from './activities.js';
import { clickSchema, type ClickDoc } from './clicks.js';
import { deliverySchema, type DeliveryDoc } from './deliveries.js';
import { deliveryFeedSchema, type DeliveryFeedDoc } from './deliveryFeed.js';
import { eventLogSchema, type EventLogDoc } from './eventLog.js';
import { eventSchema, type EventDoc } from './events.js';
import { holdSchema, type HoldDoc } from './holds.js';
import { introductionSchema, type IntroductionDoc } from './introductions.js';
import { journalSchema, type JournalDoc } from './journal.js';
import { memberSchema, type MemberDoc } from './members.js';
import { memberIndexSchema, type MemberIndexDoc } from './memberIndex.js';
import { memberEmailSchema, type MemberEmailDoc } from './memberEmails.js';
import { applicationSchema, type ApplicationDoc } from './applications.js';
import { joinFeedSchema, type JoinFeedDoc } from './joinFeed.js';
import { nameWordSchema, type NameWordDoc } from './nameWords.js';
import { planChangeSchema, planSchema, type PlanChangeDoc, type PlanDoc } from './plans.js';
import { rsvpSchema, type RsvpDoc } from './rsvps.js';
import { runSchema, type RunDoc } from './runs.js';
import { surveyResponseSchema, type SurveyResponseDoc } from './surveyResponses.js';

export interface Models {
  members: Model<MemberDoc>;
  events: Model<EventDoc>;
  rsvps: Model<RsvpDoc>;
  surveyResponses: Model<SurveyResponseDoc>;
  introductions: Model<IntroductionDoc>;
  deliveries: Model<DeliveryDoc>;
  holds: Model<HoldDoc>;
  runs: Model<RunDoc>;
  eventLog: Model<EventLogDoc>;
  plans: Model<PlanDoc>;
  planChanges: Model<PlanChangeDoc>;
  journal: Model<JournalDoc>;
  consoleSessions: Model<ConsoleSessionDoc>;
  activities: Model<ActivityDoc>;
  clicks: Model<ClickDoc>;
  memberIndex: Model<MemberIndexDoc>;
  deliveryFeed: Model<DeliveryFeedDoc>;
  memberEmails: Model<MemberEmailDoc>;
  applications: Model<ApplicationDoc>;
  joinFeed: Model<JoinFeedDoc>;
  nameWords: Model<NameWordDoc>;
}

export function createModels(connection: Connection): Models {
  return {
    members: connection.model<MemberDoc>('Member', memberSchema),
    events: connection.model<EventDoc>('Event', eventSchema),
    rsvps: connection.model<RsvpDoc>('Rsvp', rsvpSchema),
    surveyResponses: connection.model<SurveyResponseDoc>('SurveyResponse', surveyResponseSchema),
    introductions: connection.model<IntroductionDoc>('Introduction', introductionSchema),
    deliveries: connection.model<DeliveryDoc>('Delivery', deliverySchema),
    holds: connection.model<HoldDoc>('Hold', holdSchema),
    runs: connection.model<RunDoc>('Run', runSchema),
    eventLog: connection.model<EventLogDoc>('EventLog', eventLogSchema),
    plans: connection.model<PlanDoc>('Plan', planSchema),
    planChanges: connection.model<PlanChangeDoc>('PlanChange', planChangeSchema),
    journal: connection.model<JournalDoc>('JournalEntry', journalSchema),
    consoleSessions: connection.model<ConsoleSessionDoc>('ConsoleSession', consoleSessionSchema),
    activities: connection.model<ActivityDoc>('Activity', activitySchema),
    clicks: connection.model<ClickDoc>('Click', clickSchema),
    memberIndex: connection.model<MemberIndexDoc>('MemberIndex', memberIndexSchema),
    deliveryFeed: connection.model<DeliveryFeedDoc>('DeliveryFeedEntry', deliveryFeedSchema),
    memberEmails: connection.model<MemberEmailDoc>('MemberEmail', memberEmailSchema),
    applications: connection.model<ApplicationDoc>('Application', applicationSchema),
    joinFeed: connection.model<JoinFeedDoc>('JoinFeedEntry', joinFeedSchema),
    nameWords: connection.model<NameWordDoc>('NameWord', nameWordSchema),
  };
}

/**
 * Creates every collection and index. Safe to call on every start (creating an index that exists is a
 * no-op) and from several processes at once; never drops anything.
 */
export async function ensureIndexes(models: Models): Promise<void> {
  const all: { createCollection(): Promise<unknown>; createIndexes(): Promise<unknown> }[] = [
    models.members,
    models.events,
    models.rsvps,
    models.surveyResponses,
    models.introductions,
    models.deliveries,
    models.holds,
    models.runs,
    models.eventLog,
    models.plans,
    models.planChanges,
    models.journal,
    models.consoleSessions,
    models.activities,
    models.clicks,
    models.memberIndex,
    models.deliveryFeed,
    models.memberEmails,
    models.applications,
    models.joinFeed,
    models.nameWords,
  ];
  for (const model of all) {
    await model.createCollection();
    await model.createIndexes();
  }
}
