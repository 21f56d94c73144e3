// The record store of `tend preview`: the records of one member's world, held in memory. Nothing a preview
// does reaches the database; reads hand out copies, so a run cannot change the records except by writing.

import type { EventRecord, MemberRecord, RsvpRecord } from '../../compiler/records.js';
import { applyMemberUpdate } from '../members/memberUpdate.js';
import type { RecordStore } from './recordStore.js';

export interface MemoryRecords {
  member: MemberRecord;
  event: EventRecord | null;
  rsvp: RsvpRecord | null;
  upcomingEvents: EventRecord[];
  /** Other members (introductions pick among them). */
  peers: MemberRecord[];
}

export function createMemoryRecordStore(records: MemoryRecords): RecordStore {
  const memberById = (memberId: string | null): MemberRecord | null =>
    memberId === null
      ? null
      : memberId === records.member._id
        ? records.member
        : (records.peers.find((peer) => peer._id === memberId) ?? null);
  return {
    loadRecords({ memberId, needs }) {
      const { event, rsvp, upcomingEvents } = records;
      return Promise.resolve(
        structuredClone({
          member: memberById(memberId),
          event: needs.event ? event : null,
          rsvp: needs.rsvp ? rsvp : null,
          upcomingEvents: needs.upcomingEvents ? upcomingEvents : [],
          // Preview follows one member; community playbooks (the only readers of `report`) have none.
          report: null,
        }),
      );
    },
    findMember: (memberId) => Promise.resolve(structuredClone(memberById(memberId))),
    updateMember(memberId, update) {
      const member = memberById(memberId);
      if (member !== null) applyMemberUpdate(member, update);
      return Promise.resolve(member !== null);
    },
  };
}
