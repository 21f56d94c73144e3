// A did-you-mean is followed: it must never lead to a playbook that validates and is silently wrong. Record
// paths are suggested only where something writes them (record fields, a nested record's fields, attributes
// some playbook sets); a missing email only by an email sent to the same readers. Else the message lists
// what there is.

import { describe, expect, it } from 'vitest';
import { compilePlaybooks, formatDiagnostic } from '../../compiler/index.js';
import { ANY, resolveFields } from '../../compiler/context.js';
import type { Shape } from '../../compiler/context.js';
import { BASE_FILES, dedent, sourcesFrom } from './sources.js';

interface SuggestionCase {
  name: string;
  files: Record<string, string | null>;
  expect: string[];
}

const MEMBER_FIELDS =
  '_id, email, name, firstName, status, timezone, joinedAt, approvedAt, lastActiveAt, interests, tags, subgroup, profile.<field>, attributes.<field>, unsubscribed, emailStatus, activity.rsvps, activity.attended, activity.lastRsvpAt, activity.lastAttendedAt, activity.surveys, activity.introductions, activity.emails7d';

const SETS_ONBOARDED = dedent`
  name: Mark onboarded
  trigger: { event: member.active }
  steps:
    - update_member: { set: { onboarded: true } }
`;

const CASES: SuggestionCase[] = [
  {
    name: 'member.rsvps suggests member.activity.rsvps, not member.attributes.rsvps (issue 13, friction 1)',
    files: {
      'nudge.yaml': dedent`
        name: First event nudge
        trigger: { event: member.approved }
        steps:
          - id: no-rsvp-yet
            if: { member.rsvps: { $size: 0 } }
            then:
              - send_email: welcome
      `,
    },
    expect: [
      'playbooks/nudge.yaml:5:11  "member.rsvps" is not a field of a member (did you mean "member.activity.rsvps"?)',
    ],
  },
  {
    name: 'a member field with nothing close lists what a member has',
    files: {
      'nudge.yaml': dedent`
        name: First event nudge
        trigger: { event: member.approved }
        steps:
          - id: no-visit-yet
            if: { member.visits: 0 }
            then:
              - send_email: welcome
      `,
    },
    expect: [
      `playbooks/nudge.yaml:5:11  "member.visits" is not a field of a member: a member has ${MEMBER_FIELDS}`,
    ],
  },
  {
    name: 'an attribute some playbook sets is suggested under attributes',
    files: {
      'mark.yaml': SETS_ONBOARDED,
      'nudge.yaml': dedent`
        name: Nudge
        trigger: { event: member.approved }
        steps:
          - id: not-onboarded
            if: { member.onboarded: false }
            then:
              - send_email: welcome
      `,
    },
    expect: [
      'playbooks/nudge.yaml:5:11  "member.onboarded" is not a field of a member (did you mean "member.attributes.onboarded"?)',
    ],
  },
  {
    name: 'an attribute some playbook sets, read by a template',
    files: {
      'mark.yaml': SETS_ONBOARDED,
      'templates/welcome.hbs': dedent`
        ---
        subject: Welcome
        ---
        <p>{{#if member.onbaorded}}Welcome back{{/if}}</p>
      `,
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
            send_email: welcome
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:17  template "welcome" does not compile: fix playbooks/templates/welcome.hbs',
      'playbooks/templates/welcome.hbs:4:10  "member.onbaorded" is not a field of a member (did you mean "member.attributes.onboarded"?)',
    ],
  },
  {
    name: 'a missing member email is not "corrected" into the organisers\' email (issue 13, friction 3)',
    files: {
      'templates/first-event-no-rsvp.hbs': dedent`
        ---
        subject: "{{member.name}} has not RSVP'd yet"
        ---
        <p>{{member.name}} joined a week ago.</p>
      `,
      'nudge.yaml': dedent`
        name: First event nudge
        trigger: { event: member.approved }
        steps:
          - id: first-event-invite
            send_email: first-event-invite
          - id: tell-organisers
            send_email: { template: first-event-no-rsvp, to: manager }
      `,
    },
    expect: [
      'playbooks/nudge.yaml:5:17  template "first-event-invite" not found in playbooks/templates: create first-event-invite.hbs there, or send one of the emails for members: event-reminder, peer-introduction, welcome',
    ],
  },
  {
    name: "a misspelt organisers' email is suggested to the organisers",
    files: {
      'templates/first-event-no-rsvp.hbs': dedent`
        ---
        subject: "{{member.name}} has not RSVP'd yet"
        ---
        <p>{{member.name}} joined a week ago.</p>
      `,
      'nudge.yaml': dedent`
        name: First event nudge
        trigger: { event: member.approved }
        steps:
          - id: tell-organisers
            send_email: { template: first-event-no-rsvp, to: manager }
          - id: tell-organisers-again
            send_email: { template: first-event-norsvp, to: manager }
      `,
    },
    expect: [
      'playbooks/nudge.yaml:7:29  template "first-event-norsvp" not found in playbooks/templates (did you mean "first-event-no-rsvp"?)',
    ],
  },
  {
    name: 'an email sent to nobody yet may be suggested',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
            send_email: welcom
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:17  template "welcom" not found in playbooks/templates (did you mean "welcome"?)',
    ],
  },
  {
    name: 'with no email for those readers, the message says to create one',
    files: {
      'templates/welcome.hbs': null,
      'templates/event-reminder.hbs': null,
      'templates/peer-introduction.hbs': null,
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
            send_email: welcome
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:17  template "welcome" not found in playbooks/templates: create welcome.hbs there',
    ],
  },
];

describe('suggestions that cannot mislead', () => {
  it.each(CASES)('$name', ({ files, expect: expected }) => {
    const result = compilePlaybooks(sourcesFrom({ ...BASE_FILES, ...files }));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(expected);
  });

  it('suggests a field of a record inside the record (member.rsvps -> member.activity.rsvps), before attributes', () => {
    const value: Shape = { kind: 'value', date: false };
    const activity: Shape = {
      kind: 'record',
      noun: 'member activity',
      fields: new Map([
        ['rsvps', value],
        ['attended', value],
      ]),
      custom: null,
    };
    const member: Shape = {
      kind: 'record',
      noun: 'member',
      fields: new Map([
        ['status', value],
        ['activity', activity],
        ['attributes', ANY],
      ]),
      custom: 'attributes',
    };
    expect(resolveFields(member, ['rsvps'], 'member.rsvps', 'member.', new Set(['rsvps']))).toEqual({
      ok: false,
      message: '"member.rsvps" is not a field of a member (did you mean "member.activity.rsvps"?)',
    });
    expect(resolveFields(member, ['visits'], 'member.visits', 'member.')).toEqual({
      ok: false,
      message:
        '"member.visits" is not a field of a member: a member has status, activity.rsvps, activity.attended, attributes.<field>',
    });
  });
});
