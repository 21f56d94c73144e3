// The community health report: the function, its options and its answer.

export { healthReport } from './healthReport.js';
export { resolvePeriod, PeriodError } from './period.js';
export type { HealthOptions, ReportModels } from './scope.js';
export type * from './types.js';
