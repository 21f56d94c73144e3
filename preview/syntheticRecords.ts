// Plausible records for a preview that was given none: a community event ten days after the start (or just
// ended, for a run an ended event starts), the
// member's RSVP to it, and a peer to introduce. The timeline says when it used one, so nobody mistakes them
// for real data.

import { DateTime } from 'luxon';
import type { EventRecord, MemberRecord, RsvpRecord } from '../compiler/records.js';

export const SYNTHETIC_EVENT_ID = 'preview-event';
export const SYNTHETIC_PEER_ID = 'preview-peer';
export const SYNTHETIC_MEMBER_ID = 'preview-member';

/**
 * A published event at 18:30 in the community's zone, 10 days after `start`; or, for a run that an ended
 * event starts (a feedback survey), one that ended at `start`.
 */
export function syntheticEvent(start: number, timezone: string, ended: boolean): EventRecord {
  const startsAt = ended
    ? DateTime.fromMillis(start, { zone: timezone }).minus({ hours: 2 })
    : DateTime.fromMillis(start, { zone: timezone })
        .plus({ days: 10 })
        .set({ hour: 18, minute: 30, second: 0, millisecond: 0 });
  return {
    _id: SYNTHETIC_EVENT_ID,
    title: 'Riverside 5k social run',
    description: 'An easy 5k along the river, then drinks.',
    startsAt: new Date(startsAt.toMillis()).toISOString(),
    endsAt: new Date(startsAt.plus({ hours: 2 }).toMillis()).toISOString(),
    timezone,
    location: 'Riverside Park, main gate',
    url: 'http://localhost:3000/events/preview-event',
    status: 'published',
  };
}

/** The member is going; to an event that has ended, they went. */
export function syntheticRsvp(event: EventRecord, memberId: string, start: number): RsvpRecord {
  const ended = event.endsAt !== undefined && Date.parse(event.endsAt) <= start;
  return {
    eventId: event._id,
    memberId,
    status: 'going',
    createdAt: new Date(start).toISOString(),
    ...(ended ? { attended: true } : {}),
  };
}

/** A peer who shares everything an introduction can match on with the member. */
export function syntheticPeer(member: MemberRecord): MemberRecord {
  const { interests, tags, subgroup, timezone, profile, attributes } = member;
  return {
    ...structuredClone({ interests, tags, subgroup, timezone, profile, attributes }),
    _id: SYNTHETIC_PEER_ID,
    email: 'sam.rivers@example.org',
    name: 'Sam Rivers',
    firstName: 'Sam',
    status: 'active',
  };
}

/** A member who joined at `start`, for a preview that names nobody (the console's "synthetic member"). */
export function syntheticMember(start: number, status: MemberRecord['status']): MemberRecord {
  return {
    _id: SYNTHETIC_MEMBER_ID,
    email: 'alex.morgan@example.org',
    name: 'Alex Morgan',
    firstName: 'Alex',
    status,
    joinedAt: new Date(start).toISOString(),
    interests: ['trail running'],
    tags: [],
    unsubscribed: [],
  };
}
