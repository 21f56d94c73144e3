// What a preview says, in the words `tend preview` prints and the console's Preview page shows: a title,
// notes on the zone, the start, any made-up records and the member's activity, the timeline lines, and how the run ends.

import type { Plan } from '../compiler/plan.js';
import type { MemberActivityRecord, MemberRecord } from '../compiler/records.js';
import { activityOf } from '../domain/memberActivity/memoryFacts.js';
import type { PreviewResult } from './previewRun.js';
import { formatTimeline, localTime } from './timeline.js';

export interface PreviewReport {
  title: string;
  notes: string[];
  timeline: string[];
  end: string;
}

export function previewReport(
  plan: Plan,
  member: MemberRecord,
  start: number,
  result: PreviewResult,
  /** Said after the made-up records (` (each named below)`). */
  syntheticHint: string,
): PreviewReport {
  const { zone, end } = result;
  const who = member.name ?? member.firstName ?? member._id;
  const notes = [
    `Times are in ${zone}, ${result.zoneOwner === 'member' ? "the member's time zone" : "the community's time zone (the member has none)"}.`,
    `Starts ${localTime(start, zone)}.`,
  ];
  if (!result.inAudience) {
    notes.push("Note: the playbook's audience would not select this member now; previewed all the same.");
  }
  if (result.synthetic.length > 0) {
    notes.push(`Made up for this preview: ${result.synthetic.join(' and ')}${syntheticHint}.`);
  }
  notes.push(`member.activity at the start: ${activityText(activityOf(member))}.`);
  const days = Math.round((end.at - start) / (24 * 3600_000));
  const when = `${localTime(end.at, zone)}, ${days} day${days === 1 ? '' : 's'} after the start`;
  const emails = `${result.emails.length} email${result.emails.length === 1 ? '' : 's'}`;
  return {
    title: `${plan.name} (${plan.id}, version ${plan.version.slice(0, 12)}) for ${who} <${member.email}>`,
    notes,
    timeline: formatTimeline(result.timeline, zone),
    end:
      end.kind === 'completed'
        ? `The run completes ${when}: ${emails}.`
        : end.kind === 'exited'
          ? `The run ends ${when} (${end.reason ?? 'exit'}): ${emails}.`
          : `The preview stops ${when}: ${end.reason ?? ''}. ${emails} until then.`,
  };
}

function activityText(activity: MemberActivityRecord): string {
  const last = (label: string, at: string | undefined) => (at === undefined ? [] : [`${label} ${at}`]);
  return [
    `rsvps ${activity.rsvps}`,
    `attended ${activity.attended}`,
    `surveys ${activity.surveys}`,
    `introductions ${activity.introductions}`,
    // Only when counted: a plan that cannot read it does not count it, in a preview as in a real run.
    ...(activity.emails7d === undefined ? [] : [`emails7d ${activity.emails7d}`]),
    ...last('lastRsvpAt', activity.lastRsvpAt),
    ...last('lastAttendedAt', activity.lastAttendedAt),
  ].join(', ');
}
