// The records a condition or template may name, as a run sees them: plain JSON, dates as ISO 8601 strings.
// The compiler checks paths against these field lists; db/ models store the same fields.

export const MEMBER_STATUSES = ['applied', 'active', 'declined', 'left', 'banned'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * What a member has done, kept by the engine as events are applied (never by a playbook): `member.activity`
 * in conditions and templates. A member who has done nothing has zeros, not an absent field, so that
 * `member.activity.rsvps: 0` holds for them.
 */
export interface MemberActivity {
  /** RSVPs ever made with status `going`. */
  rsvps: number;
  /** Events attended. */
  attended: number;
  /** ISO 8601, absent until the first. */
  lastRsvpAt?: string;
  lastAttendedAt?: string;
  /** Survey responses. */
  surveys: number;
  /** Introductions made to this member. */
  introductions: number;
  /** Emails this member received in the last 7 days. */
  emails7d: number;
}

export const NO_ACTIVITY: Readonly<MemberActivity> = {
  rsvps: 0,
  attended: 0,
  surveys: 0,
  introductions: 0,
  emails7d: 0,
};

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
  /** Read-only facts the engine keeps; see MemberActivity. */
  activity?: MemberActivity;
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
