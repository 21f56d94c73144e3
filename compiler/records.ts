// The records a condition or template may name, as a run sees them: plain JSON, dates as ISO 8601 strings.
// The compiler checks paths against these field lists; db/ models store the same fields.

export const MEMBER_STATUSES = ['applied', 'active', 'declined', 'left', 'banned'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export interface MemberRecord {
  _id: string;
  email: string;
  name?: string;
  firstName?: string;
  status: MemberStatus;
  timezone?: string;
  joinedAt?: string;
  approvedAt?: string;
  lastActiveAt?: string;
  interests?: string[];
  tags?: string[];
  subgroup?: string;
  /** Free-form: whatever the community keeps about its members. */
  profile?: Record<string, unknown>;
  attributes?: Record<string, unknown>;
  /** Categories the member has unsubscribed from. */
  unsubscribed?: string[];
  emailStatus?: 'ok' | 'bounced' | 'complained';
  /** What the member has done: kept by the engine, never written by a playbook. */
  activity?: MemberActivityRecord;
}

/** `member.activity`: facts the engine keeps as events arrive (dates as ISO 8601 strings, as everywhere). */
export interface MemberActivityRecord {
  rsvps: number;
  attended: number;
  lastRsvpAt?: string;
  lastAttendedAt?: string;
  surveys: number;
  introductions: number;
  /**
   * Emails the member received in the 7 days before the record was read. Absent when the run's plan cannot
   * read it (ContextNeeds.emails7d false): it is then not counted, and never shown as a 0 nobody counted.
   */
  emails7d?: number;
}

export interface EventRecord {
  _id: string;
  title?: string;
  description?: string;
  startsAt?: string;
  endsAt?: string;
  timezone?: string;
  location?: string;
  url?: string;
  status: 'draft' | 'published' | 'cancelled' | 'ended';
}

export interface RsvpRecord {
  eventId: string;
  memberId: string;
  status: 'going' | 'maybe' | 'cancelled';
  attended?: boolean;
  createdAt?: string;
}

export interface SurveyResponseRecord {
  memberId: string;
  eventId: string;
  score: number;
  comment?: string;
  respondedAt: string;
}

/**
 * Field names per record; `*` marks a free-form object under which any path is allowed, and a dotted name
 * (`activity.rsvps`) a field of a nested record.
 */
export const RECORD_FIELDS = {
  member: [
    '_id',
    'email',
    'name',
    'firstName',
    'status',
    'timezone',
    'joinedAt',
    'approvedAt',
    'lastActiveAt',
    'interests',
    'tags',
    'subgroup',
    'profile.*',
    'attributes.*',
    'unsubscribed',
    'emailStatus',
    'activity.rsvps',
    'activity.attended',
    'activity.lastRsvpAt',
    'activity.lastAttendedAt',
    'activity.surveys',
    'activity.introductions',
    'activity.emails7d',
  ],
  event: ['_id', 'title', 'description', 'startsAt', 'endsAt', 'timezone', 'location', 'url', 'status'],
  rsvp: ['eventId', 'memberId', 'status', 'attended', 'createdAt'],
  survey: ['memberId', 'eventId', 'score', 'comment', 'respondedAt'],
} as const;

/** Fields that hold dates, so `$before`/`$within` and `wait_until`/`at` can check they name one. */
export const DATE_FIELDS = {
  member: ['joinedAt', 'approvedAt', 'lastActiveAt', 'activity.lastRsvpAt', 'activity.lastAttendedAt'],
  event: ['startsAt', 'endsAt'],
  rsvp: ['createdAt'],
  survey: ['respondedAt'],
} as const;
