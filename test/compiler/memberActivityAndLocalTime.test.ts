// `member.activity` and `wait_until: { local_time }` in the compiler: what compiles into the plan, and the
// exact messages a manager sees when they are written wrong (file:line:col, and what to write instead).

import { describe, expect, it } from 'vitest';
import { compilePlaybooks, formatDiagnostic } from '../../compiler/index.js';
import { BASE_FILES, dedent, sourcesFrom } from './sources.js';

function compile(playbook: string, templates: Record<string, string> = {}) {
  const sources = sourcesFrom({ ...BASE_FILES, 'nudge.yaml': playbook, ...templates });
  const { plans, diagnostics } = compilePlaybooks(sources);
  return { plan: plans.find((plan) => plan.id === 'nudge'), lines: diagnostics.map(formatDiagnostic) };
}

describe('member.activity', () => {
  it('is readable in conditions, with date operators on its two dates, and in templates', () => {
    const { plan, lines } = compile(
      dedent`
        name: Nudge
        trigger: { event: member.approved }
        exit:
          - if: { member.activity.lastAttendedAt: { $within: 0d } }
        steps:
          - id: no-rsvp-yet
            if: { member.activity.rsvps: 0, member.activity.lastRsvpAt: { $exists: false } }
            then:
              - id: invite
                send_email: invite
          - id: recent
            if: { member.activity.lastRsvpAt: { $before: 30d }, member.activity.emails7d: { $lt: 3 } }
            then:
              - id: thanks
                send_email: welcome
      `,
      {
        'templates/invite.hbs': dedent`
          ---
          subject: Come along, {{member.firstName}}
          ---
          <p>{{member.activity.attended}} events, {{member.activity.surveys}} surveys,
          {{member.activity.introductions}} introductions; last {{formatDate member.activity.lastAttendedAt}}.</p>
          <p><a href="{{links.unsubscribe}}">Unsubscribe</a></p>
        `,
      },
    );
    expect(lines).toEqual([]);
    expect(plan?.steps[0]).toMatchObject({
      kind: 'if',
      condition: { 'member.activity.rsvps': 0, 'member.activity.lastRsvpAt': { $exists: false } },
    });
  });

  it.each([
    [
      'update_member refuses to write it',
      dedent`
        name: Nudge
        trigger: { event: member.approved }
        steps:
          - update_member: { set: { activity.rsvps: 1 } }
      `,
      [
        'playbooks/nudge.yaml:4:29  member.activity.rsvps is what the member has done, kept by Tend as events arrive: a playbook cannot change it',
      ],
    ],
    [
      'a field it does not have',
      dedent`
        name: Nudge
        trigger: { event: member.approved }
        steps:
          - id: check
            if: { member.activity.rsvp: 0 }
            then:
              - exit: done
      `,
      [
        'playbooks/nudge.yaml:5:11  "member.activity.rsvp" is not a field of a member activity (did you mean "member.activity.rsvps"?)',
      ],
    ],
    [
      'a date operator on a count',
      dedent`
        name: Nudge
        trigger: { event: member.approved }
        steps:
          - id: check
            if: { member.activity.rsvps: { $before: 3d } }
            then:
              - exit: done
      `,
      ['playbooks/nudge.yaml:5:36  $before compares dates, and "member.activity.rsvps" is not one'],
    ],
  ])('%s', (_name, playbook, expected) => {
    expect(compile(playbook).lines).toEqual(expected);
  });
});

describe('wait_until: { local_time, days }', () => {
  it('compiles to a wait for the next local time, on every day unless days are named', () => {
    const { plan, lines } = compile(dedent`
      name: Nudge
      trigger: { event: member.approved }
      steps:
        - id: ten
          wait_until: { local_time: "10:00" }
        - id: weekend
          wait_until: { local_time: "09:30", days: [sat, sun, sat] }
        - id: hello
          send_email: welcome
    `);
    expect(lines).toEqual([]);
    expect(plan?.steps.slice(0, 2)).toEqual([
      {
        id: 'ten',
        authoredId: true,
        kind: 'wait_local_time',
        localTime: '10:00',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      },
      { id: 'weekend', authoredId: true, kind: 'wait_local_time', localTime: '09:30', days: ['sat', 'sun'] },
    ]);
  });

  it.each([
    [
      'a time of day in time',
      'wait_until: { time: "10:00" }',
      ['playbooks/nudge.yaml:5:25  "10:00" is a time of day: write local_time: "10:00" instead of time'],
    ],
    [
      'a time that is not HH:MM',
      'wait_until: { local_time: "9:00" }',
      ['playbooks/nudge.yaml:5:31  "9:00" is not a time of day written HH:MM, like "09:30"'],
    ],
    [
      'an hour past 23',
      'wait_until: { local_time: "24:00" }',
      ['playbooks/nudge.yaml:5:31  "24:00" is not a time of day written HH:MM, like "09:30"'],
    ],
    [
      'days written in full, a typo, and a word that is no day',
      'wait_until: { local_time: "10:00", days: [Saturday, frj, weekend] }',
      [
        'playbooks/nudge.yaml:5:47  "Saturday" is not a day (did you mean "sat"?)',
        'playbooks/nudge.yaml:5:57  "frj" is not a day (did you mean "fri"?)',
        'playbooks/nudge.yaml:5:62  "weekend" is not a day: write mon, tue, wed, thu, fri, sat or sun',
      ],
    ],
    [
      'days that are not a list',
      'wait_until: { local_time: "10:00", days: sat }',
      ['playbooks/nudge.yaml:5:46  days must be the days it may fall on, like [sat, sun]; every day if none'],
    ],
    [
      'both time and local_time',
      'wait_until: { time: event.startsAt, local_time: "10:00" }',
      [
        'playbooks/nudge.yaml:5:41  this wait_until has both "time" and "local_time", and can only be one of them',
      ],
    ],
    [
      'an offset with a local time',
      'wait_until: { local_time: "10:00", offset: 1h }',
      ['playbooks/nudge.yaml:5:40  unknown field "offset" in this local time to wait for'],
    ],
  ])('%s', (_name, step, expected) => {
    const playbook = dedent`
      name: Nudge
      trigger: { event: member.approved }
      steps:
        - id: later
          ${step}
        - id: hello
          send_email: welcome
    `;
    expect(compile(playbook).lines).toEqual(expected);
  });
});
