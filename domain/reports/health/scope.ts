// What a health report is asked for, and the members it is about. The members in scope (all, or one
// subgroup's) are held in memory, a few fields each: every other collection is streamed and folded against
// them, so memory grows with the members, never with the activities, RSVPs or deliveries.

import type { Models } from '../../../db/index.js';
import type { MemberStatus } from '../../../compiler/records.js';

export type ReportModels = Pick<
  Models,
  | 'members'
  | 'events'
  | 'rsvps'
  | 'surveyResponses'
  | 'introductions'
  | 'deliveries'
  | 'holds'
  | 'activities'
  | 'runs'
  | 'eventLog'
>;

export interface HealthOptions {
  /** The period, `from` inclusive, `to` exclusive. */
  from: Date;
  to: Date;
  /** Only members with this `subgroup`; null for the whole community. */
  subgroup: string | null;
  now: Date;
  /** The community's IANA zone: cohorts are its calendar months. */
  zone: string;
  /** A member with no activity for this many days is at risk (30 by default). */
  atRiskDays?: number;
  /** The playbook whose runs in flight count as re-engagement ('re-engagement' by default). */
  reEngagementPlaybook?: string;
}

export const DEFAULT_PERIOD_DAYS = 90;
export const DEFAULT_AT_RISK_DAYS = 30;
export const DEFAULT_RE_ENGAGEMENT_PLAYBOOK = 're-engagement';

export interface ScopedMember {
  name: string | null;
  email: string;
  status: MemberStatus;
  joinedAt: number | null;
  leftAt: number | null;
  lastActiveAt: number | null;
}

export type MemberScope = Map<string, ScopedMember>;

export async function membersInScope(models: ReportModels, subgroup: string | null): Promise<MemberScope> {
  const scope: MemberScope = new Map();
  const filter = subgroup === null ? {} : { subgroup: String(subgroup) };
  for await (const doc of models.members
    .find(filter)
    .select({ name: 1, email: 1, status: 1, joinedAt: 1, leftAt: 1, lastActiveAt: 1 })
    .lean()
    .cursor()) {
    scope.set(doc._id, {
      name: doc.name ?? null,
      email: doc.email,
      status: doc.status,
      joinedAt: doc.joinedAt?.getTime() ?? null,
      leftAt: doc.leftAt?.getTime() ?? null,
      lastActiveAt: doc.lastActiveAt?.getTime() ?? null,
    });
  }
  return scope;
}
