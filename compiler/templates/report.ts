// What a community playbook's templates read as `report`: the weekly digest's figures, each beside the same
// figure for the week before, and the lists an organiser acts on. The runtime fills it from the health report
// (domain/reports/health) for the last 7 days and the 7 before; the names here are the ones a template writes.

/** One headline figure this week, last week, and the change between them (null where either is missing). */
export interface TemplateFigure {
  value: number | null;
  previous: number | null;
  change: number | null;
}

export interface TemplateReportFigures {
  /** Whole percentages of members who stayed 30 (90) days. */
  retention_30: TemplateFigure;
  retention_90: TemplateFigure;
  /** Whole percentage of RSVPs marked going who attended. */
  attendance: TemplateFigure;
  /** Whole percentage of new members introduced to a peer. */
  connection_rate: TemplateFigure;
  /** −100 to 100. */
  nps: TemplateFigure;
}

export interface TemplateAtRiskMember {
  name: string | null;
  email: string;
  /** ISO 8601; null when Tend never saw them do anything. */
  lastActivityAt: string | null;
}

export interface TemplateComingEvent {
  title: string | null;
  /** ISO 8601. */
  startsAt: string | null;
  going: number;
}

/** A member who applied and is waiting for a manager to approve or decline them. */
export interface TemplateApplication {
  name: string | null;
  email: string;
}

export interface TemplateReport {
  /** ISO 8601: the week the figures are about. */
  from: string;
  to: string;
  figures: TemplateReportFigures;
  at_risk: TemplateAtRiskMember[];
  events: TemplateComingEvent[];
  applications: TemplateApplication[];
}
