// Who an email goes to and who it is about, from the step's `to` and the fresh records, and whether it may go
// at all. A member who has no deliverable address or has unsubscribed from the category is skipped, with the
// reason; organisers and literal addresses are not members and have nothing to unsubscribe from here.

import type { Category, CommunitySettings } from '../../compiler/plan.js';
import type { MemberRecord } from '../../compiler/records.js';
import type { RecipientKind } from '../../db/index.js';
import type { DeliveryRequest } from '../../contract/runtime.js';

interface AddressedFields {
  status: 'addressed';
  recipientKind: RecipientKind;
  to: string[];
  /** Whom the template calls `peer`. */
  peer: MemberRecord | null;
}

/**
 * An email to a member (member, peer): it carries unsubscribe links and counts toward the cap. `memberId` is
 * the ledger's: the member it is to.
 */
export interface AddressedToMember extends AddressedFields {
  toMember: true;
  memberId: string;
  /** Whom the template calls `member`: in the peer's copy of an introduction, the peer. */
  reader: MemberRecord;
}

/**
 * An email to the organisers or an address, about the run's member; in a community playbook's run about no
 * member, so `memberId` and `reader` are null there.
 */
export interface AddressedToOrganisers extends AddressedFields {
  toMember: false;
  memberId: string | null;
  reader: MemberRecord | null;
}

export type Addressed = AddressedToMember | AddressedToOrganisers;

export interface Unaddressable {
  status: 'skip';
  recipientKind: RecipientKind;
  memberId: string | null;
  to: string[];
  reason: string;
}

export interface AddressingInput {
  request: Pick<DeliveryRequest, 'to' | 'peerId' | 'category'>;
  community: Pick<CommunitySettings, 'managers'>;
  /** The run's member, as just read; null when the record is gone or the run has none. */
  member: MemberRecord | null;
  /** Null in a community playbook's run, which is about no member. */
  memberId: string | null;
  /** The introduction's other member, as just read, when the request names one. */
  peer: MemberRecord | null;
}

export function addressing({
  request,
  community,
  member,
  memberId,
  peer,
}: AddressingInput): Addressed | Unaddressable {
  const to = request.to;
  const kind: RecipientKind = to.kind;
  const skip = (reason: string, about = memberId): Unaddressable => ({
    status: 'skip',
    recipientKind: kind,
    memberId: about,
    to: [],
    reason,
  });
  if (to.kind === 'peer') {
    if (request.peerId === null) return skip('no peer to introduce');
    if (peer === null) return skip('peer not found', request.peerId);
    if (member === null) return skip('member not found', peer._id);
    return toReader(peer, member, 'peer', request.category);
  }
  if (to.kind === 'member') {
    if (member === null) return skip(memberId === null ? 'no member in this run' : 'member not found');
    return toReader(member, peer, 'member', request.category);
  }
  // A community playbook's run is about no member: its email to the organisers reads no member record.
  if (member === null && memberId !== null) return skip('member not found');
  const about: Omit<AddressedToOrganisers, 'status' | 'to'> = {
    recipientKind: kind,
    memberId: member?._id ?? null,
    reader: member,
    peer,
    toMember: false,
  };
  switch (to.kind) {
    case 'manager':
      if (community.managers.length === 0) return skip('no managers listed in community.yaml');
      return { status: 'addressed', ...about, to: community.managers };
    case 'address':
      return { status: 'addressed', ...about, to: [to.address] };
    default: {
      const unknown: never = to;
      throw new Error(`unknown recipient ${JSON.stringify(unknown)}`);
    }
  }
}

function toReader(
  reader: MemberRecord,
  peer: MemberRecord | null,
  kind: 'member' | 'peer',
  category: Category,
): Addressed | Unaddressable {
  const reason = undeliverable(reader, category);
  if (reason !== null) return { status: 'skip', recipientKind: kind, memberId: reader._id, to: [], reason };
  return {
    status: 'addressed',
    recipientKind: kind,
    memberId: reader._id,
    to: [reader.email],
    reader,
    peer,
    toMember: true,
  };
}

/** Why this member cannot be sent email of this category, or null when they can. */
function undeliverable(member: MemberRecord, category: Category): string | null {
  if (member.emailStatus === 'bounced') return 'email address bounced';
  if (member.emailStatus === 'complained') return 'member marked our email as spam';
  if (!member.email) return 'no email address';
  // Transactional email (a confirmation the member asked for) cannot be unsubscribed from.
  if (category !== 'transactional' && member.unsubscribed?.includes(category)) {
    return `unsubscribed from ${category}`;
  }
  return null;
}
