// The community health report (../shared/docs/reports.md, "Community health"), as the API answers it, the
// CLI prints it, the console shows it and the weekly digest reads it. Times are ISO 8601 strings; every
// rate is a whole percentage next to the counts it comes from, and null where there is nothing to divide.

export interface HealthReport {
  period: {
    from: string;
    to: string;
    /** The community's zone: cohorts are its calendar months. */
    zone: string;
    subgroup: string | null;
    generatedAt: string;
  };
  retention: {
    /** Members whose day 30 (90) fell in the period, and how many of them stayed. */
    day30: Retained;
    day90: Retained;
    /** Every calendar month the period touches, oldest first. */
    cohorts: Cohort[];
  };
  attendance: {
    /** Over the events with attendance recorded. */
    pooled: Attendance & { events: number; notRecorded: number };
    events: EventAttendance[];
  };
  connections: Connections;
  nps: {
    pooled: Nps & { surveysSent: number; responseRate: number | null };
    events: (Nps & { eventId: string; title: string | null })[];
  };
  atRisk: { days: number; count: number; members: AtRiskMember[] };
  emailPressure: EmailPressure;
}

export interface Retained {
  members: number;
  retained: number;
  rate: number | null;
}

export type CohortFigure =
  { status: 'pending' } | { status: 'measured'; retained: number; rate: number | null };

export interface Cohort {
  /** `YYYY-MM` in the community's zone. */
  month: string;
  members: number;
  day30: CohortFigure;
  day90: CohortFigure;
}

export interface Attendance {
  going: number;
  attended: number;
  rate: number | null;
  noShowRate: number | null;
}

export interface EventAttendance extends Attendance {
  eventId: string;
  title: string | null;
  endedAt: string;
  /** False: nobody marked anyone at this event, so its rates are "not recorded" (null), never 0%. */
  recorded: boolean;
}

export interface Connections {
  /** Members who joined in the period (beside the rate; not its denominator). */
  joined: number;
  /** Members whose first 14 days ended in the period (and by now): the rate's denominator. */
  measured: number;
  /** Of those, the ones introduced to a peer within their first 14 days. */
  introduced: number;
  rate: number | null;
  introductions: {
    /** Introductions made in the period (beside the rate; not its denominator). */
    made: number;
    /** Introductions whose 14 days ended in the period (and by now): the rate's denominator. */
    measured: number;
    /** Of those, the ones after which both members were active within the 14 days. */
    took: number;
    rate: number | null;
  };
}

export interface Nps {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100 to 100; null without responses. */
  score: number | null;
  /** Fewer than 10 responses: show the count beside the score. */
  lowConfidence: boolean;
}

export interface AtRiskMember {
  memberId: string;
  name: string | null;
  email: string;
  /** The last time Tend saw them do anything; null when never. */
  lastActivityAt: string | null;
  joinedAt: string | null;
  /** A run of the re-engagement playbook is in flight for them. */
  reEngagementInFlight: boolean;
}

export interface EmailPressure {
  /** Active members, each with the emails they received per week in the period (0 counts). */
  members: number;
  sent: number;
  perMemberPerWeek: { median: number; p90: number; max: number };
  /** Emails the frequency cap held, by their latest hold in the period (the holds collection). */
  heldByCap: number;
  unsubscribes: { category: string; sent: number; unsubscribes: number; per1000: number | null }[];
}
