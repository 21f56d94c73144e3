// The seams between the console and the reports: the health report (issue #11) computes the Overview's four
// numbers and the at-risk members, a playbook's funnel (issue #10) the counts on each step; the console only
// draws them. api/app.ts connects both; a test may pass `reports` of its own, and a page whose source is
// null says so instead of showing numbers it does not have.

export interface HealthFigure {
  /** `30-day retention`, `event attendance`, `connection rate`, `NPS` */
  label: string;
  /** As the report words it: `78%`, `61`, `pending`. */
  value: string;
  /** The figure for each earlier period, oldest first, then this one; null where there is none. */
  trend: (number | null)[];
  /** What the figure stands on: `41 responses`, `low confidence`. */
  note: string | null;
}

export interface AtRiskMember {
  memberId: string;
  name: string | null;
  email: string;
  lastActiveAt: Date | null;
  reEngagementInFlight: boolean;
}

export interface HealthSummary {
  figures: HealthFigure[];
  atRisk: AtRiskMember[];
}

/** One step's counts, as the funnel names them (docs/reports.md); each line is drawn on the step. */
export interface StepCounts {
  /** `entered 120`, `sent 98`, `held 12 (quiet hours)`, `skipped 3 (unsubscribed)`, `waiting 7`... */
  lines: string[];
}

export interface PlaybookFunnel {
  /** step id -> its counts */
  steps: Record<string, StepCounts>;
  /** `42 of 97 runs converted (43%)`; null for a playbook without a goal. */
  goal: string | null;
}

export interface ReportSources {
  health: ((nowMs: number) => Promise<HealthSummary>) | null;
  funnel: ((playbook: string, version: string) => Promise<PlaybookFunnel>) | null;
}
