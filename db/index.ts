// Tend's MongoDB records: models, indexes and record types.

export { createModels, ensureIndexes, type Models } from './models.js';
export { isDuplicateKeyError, upsertRacing } from './errors.js';
export { upsertInPages } from './pagedUpserts.js';
export { EMAIL_STATUSES, type EmailStatus, type MemberDoc } from './members.js';
export { EVENT_STATUSES, type EventStatus, type EventDoc } from './events.js';
export { RSVP_STATUSES, type RsvpStatus, type RsvpDoc } from './rsvps.js';
export type { SurveyResponseDoc } from './surveyResponses.js';
export { pairKey, type IntroductionDoc } from './introductions.js';
export {
  DELIVERY_STATUSES,
  RECIPIENT_KINDS,
  type DeliveryStatus,
  type RecipientKind,
  type DeliveryDoc,
  type StoredDelivery,
} from './deliveries.js';
export {
  DELIVERY_FEED_ENTRIES,
  FEED_STATUSES,
  type DeliveryFeedDoc,
  type FeedStatus,
} from './deliveryFeed.js';
export { HOLD_REASONS, type HoldReason, type HoldDoc } from './holds.js';
export { RUN_RECORD_STATUSES, runKey, runRecordId, type RunRecordStatus, type RunDoc } from './runs.js';
export { EVENT_LOG_STATUSES, type EventLogStatus, type EventLogDoc } from './eventLog.js';
export { PLANS_CHANGE_ID, type PlanDoc, type PlanChangeDoc } from './plans.js';
export { JOURNAL_KINDS, journalEntryId, type JournalKind, type JournalDoc } from './journal.js';
export type { ConsoleSessionDoc } from './consoleSessions.js';
export { ACTIVITY_KINDS, type ActivityKind, type ActivityDoc } from './activities.js';
export type { MemberActivityDoc } from './members.js';
export type { MemberEmailDoc } from './memberEmails.js';
export type { ApplicationDoc } from './applications.js';
export { JOIN_FEED_ENTRIES, type JoinFeedDoc } from './joinFeed.js';
export type { NameWordDoc } from './nameWords.js';
export {
  MEMBER_INDEX_LISTS,
  type IndexedActivity,
  type IndexedRecord,
  type MemberIndexDoc,
  type MemberIndexList,
} from './memberIndex.js';
export {
  CLICK_AGENTS,
  RAW_CLICK_REASONS,
  type ClickAgent,
  type RawClickReason,
  type ClickDoc,
} from './clicks.js';
