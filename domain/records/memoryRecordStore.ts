// The record store of `tend preview`: the records of one member's world, held in memory. Nothing a preview
// does reaches the database; reads hand out copies, so a run cannot change the records except by writing.

import type { EventRecord, MemberRecord, RsvpRecord } from '../../compiler/records.js';
import { memoryFacts, type MemoryActivity } from '../memberActivity/memoryFacts.js';
import { applyMemberUpdate } from '../members/memberUpdate.js';
import { countsEmails, EVERY_RECORD } from './recordStore.js';
import type { EmailsNeed, MemberEventWrite, RecordStore } from './recordStore.js';

export interface MemoryRecords {
  member: MemberRecord;
  event: EventRecord | null;
  rsvp: RsvpRecord | null;
  upcomingEvents: EventRecord[];
  /** Other members (introductions pick among them). */
  peers: MemberRecord[];
  /** The member's activity history in memory, from which `member.activity` is kept. */
  activity: MemoryActivity;
}

export function createMemoryRecordStore(records: MemoryRecords): RecordStore {
  const members = () => [records.member, ...records.peers];
  const memberById = (memberId: string | null): MemberRecord | null =>
    memberId === null ? null : (members().find((member) => member._id === memberId) ?? null);
  // A copy as the MongoDB store would read it: without `emails7d` when the plan cannot read it.
  const memberAsRead = (memberId: string | null, needs: EmailsNeed = EVERY_RECORD): MemberRecord | null => {
    const member = structuredClone(memberById(memberId));
    if (member?.activity !== undefined && !countsEmails(needs)) delete member.activity.emails7d;
    return member;
  };
  const eventById = (eventId: string): EventRecord | null =>
    [records.event, ...records.upcomingEvents].find((event) => event?._id === eventId) ?? null;
  return {
    loadRecords({ memberId, needs }) {
      const { event, rsvp, upcomingEvents } = records;
      return Promise.resolve(
        structuredClone({
          member: memberAsRead(memberId, needs),
          event: needs.event ? event : null,
          rsvp: needs.rsvp ? rsvp : null,
          upcomingEvents: needs.upcomingEvents ? upcomingEvents : [],
          // Preview follows one member; community playbooks (the only readers of `report`) have none.
          report: null,
        }),
      );
    },
    findMember: (memberId, _now, needs) => Promise.resolve(memberAsRead(memberId, needs)),
    updateMember(memberId, update) {
      const member = memberById(memberId);
      if (member !== null) applyMemberUpdate(member, update);
      return Promise.resolve(member !== null);
    },

    memberStatus: (memberId) => Promise.resolve(memberById(memberId)?.status ?? null),
    findEvent: (eventId) => Promise.resolve(structuredClone(eventById(eventId))),
    findMemberIdByEmail: (email) =>
      Promise.resolve(members().find((member) => member.email === email)?._id ?? null),
    createMemberByEmail(email, newId) {
      const found = members().find((member) => member.email === email);
      if (found === undefined) records.peers.push({ _id: newId, email, status: 'applied' });
      return Promise.resolve(found?._id ?? newId);
    },
    writeMember(memberId, write) {
      const member = memberById(memberId);
      if (member !== null) writeMemberEvent(member, write);
      return Promise.resolve();
    },
    writeRsvp({ createdAt, ...fields }) {
      // The world holds one RSVP: the member's to the event its run is about.
      const current = records.rsvp;
      const same = current?.eventId === fields.eventId && current.memberId === fields.memberId;
      if (current === null || same) {
        records.rsvp = { ...(current ?? { createdAt }), ...fields };
      }
      return Promise.resolve();
    },
    writeEvent(eventId, fields, newStatus) {
      const current = eventById(eventId);
      const updated = { ...(current ?? { _id: eventId, status: newStatus }), ...fields };
      if (current === null) {
        // The world's one event is the one its run is about; it has none when the run is about no event.
        if (records.event === null) records.event = updated;
      } else {
        if (records.event?._id === eventId) records.event = updated;
        records.upcomingEvents = records.upcomingEvents.map((event) =>
          event._id === eventId ? updated : event,
        );
      }
      return Promise.resolve();
    },
    // A preview's conditions and templates read no survey responses: there is nothing to keep.
    writeSurveyResponse: () => Promise.resolve(),
    recordActivities(activities) {
      const recorded = records.activity.recorded;
      const known = new Set(recorded.map((activity) => activity._id));
      recorded.push(...activities.filter((activity) => !known.has(activity._id)));
      return Promise.resolve();
    },
    refreshFacts(memberId) {
      // Only the member the preview is about has a history in memory; peers' facts are not read.
      if (memberId === records.member._id) records.member.activity = memoryFacts(records.activity);
      return Promise.resolve();
    },
  };
}

function writeMemberEvent(
  member: MemberRecord,
  { set, earliest, latest, unsubscribe = [] }: MemberEventWrite,
) {
  applyMemberUpdate(member, { set, addTags: [], removeTags: [] });
  const at = (time: string | undefined) => (time === undefined ? Number.NaN : Date.parse(time));
  if (earliest !== undefined && !(at(member.joinedAt) <= at(earliest.joinedAt))) {
    member.joinedAt = earliest.joinedAt;
  }
  if (latest !== undefined && !(at(member.lastActiveAt) >= at(latest.lastActiveAt))) {
    member.lastActiveAt = latest.lastActiveAt;
  }
  if (unsubscribe.length > 0)
    member.unsubscribed = [...new Set([...(member.unsubscribed ?? []), ...unsubscribe])];
}
