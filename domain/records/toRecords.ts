// Stored documents -> the records a run sees (compiler/records.ts): only the known fields, dates as ISO 8601
// strings, free-form objects as plain JSON, so that they cross Temporal's payload converter unchanged and a
// condition or template reads the same value in a real run and in a preview.

import { Types } from 'mongoose';
import type { EventRecord, MemberActivityRecord, MemberRecord, RsvpRecord } from '../../compiler/records.js';
import type { EventDoc, MemberActivityDoc, MemberDoc, RsvpDoc } from '../../db/index.js';

/**
 * `emails7d`: the member's emails of the last 7 days (domain/memberActivity/emailsReceived.ts), read with the
 * record; null when they were not counted (the plan cannot read them): the record then has no `emails7d`.
 */
export function toMemberRecord(doc: MemberDoc, emails7d: number | null): MemberRecord {
  return compact({
    _id: doc._id,
    email: doc.email,
    name: doc.name,
    firstName: doc.firstName,
    status: doc.status,
    timezone: doc.timezone,
    joinedAt: iso(doc.joinedAt),
    approvedAt: iso(doc.approvedAt),
    lastActiveAt: iso(doc.lastActiveAt),
    interests: doc.interests,
    tags: doc.tags,
    subgroup: doc.subgroup,
    profile: jsonObject(doc.profile),
    attributes: jsonObject(doc.attributes),
    unsubscribed: doc.unsubscribed,
    emailStatus: doc.emailStatus,
    activity: toActivityRecord(doc.activity, emails7d),
  });
}

/** A member the backfill has not reached yet has done nothing Tend knows of: zeros, not a missing field. */
function toActivityRecord(
  facts: MemberActivityDoc | undefined,
  emails7d: number | null,
): MemberActivityRecord {
  return compact({
    rsvps: facts?.rsvps ?? 0,
    attended: facts?.attended ?? 0,
    lastRsvpAt: iso(facts?.lastRsvpAt),
    lastAttendedAt: iso(facts?.lastAttendedAt),
    surveys: facts?.surveys ?? 0,
    introductions: facts?.introductions ?? 0,
    emails7d: emails7d ?? undefined,
  });
}

export function toEventRecord(doc: EventDoc): EventRecord {
  return compact({
    _id: doc._id,
    title: doc.title,
    description: doc.description,
    startsAt: iso(doc.startsAt),
    endsAt: iso(doc.endsAt),
    timezone: doc.timezone,
    location: doc.location,
    url: doc.url,
    status: doc.status,
  });
}

export function toRsvpRecord(doc: RsvpDoc): RsvpRecord {
  return compact({
    eventId: doc.eventId,
    memberId: doc.memberId,
    status: doc.status,
    attended: doc.attended,
    createdAt: iso(doc.createdAt),
  });
}

function iso(date: Date | undefined): string | undefined {
  return date?.toISOString();
}

/** Leaves out absent fields, so a record has no `"name": undefined` that a JSON round trip would drop. */
function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** A free-form object as plain JSON: nested dates become ISO strings, object ids their hex form. */
function jsonObject(value: unknown): Record<string, unknown> | undefined {
  const json = toJson(value);
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? json : undefined;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function toJson(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).flatMap(([key, item]) => {
      const json = toJson(item);
      return json === undefined ? [] : [[key, json] as const];
    });
    return Object.fromEntries(entries);
  }
  // Anything else a platform may have stored (binary data, a driver type) has no JSON form: left out.
  return value instanceof Types.ObjectId ? value.toHexString() : undefined;
}
