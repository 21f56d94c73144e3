// Types for quietHours.mjs (plain JavaScript, imported by scripts/dev.mjs), for the TypeScript that imports it.
export function quietHoursSummary(communityYaml: string, now: Date): string | null;
